import assert from "node:assert/strict";
import type { AddressInfo } from "node:net";
import { CloudAdapter, ConfigurationBotFrameworkAuthentication } from "botbuilder";
import restify from "restify";
import { CARD_SAMPLES } from "../cards/samples";
import { contrastRatio, over, parseColour, requiredRatio } from "../support/contrast";
import { describePlayground, pollUntil, settle } from "./harness";
import type { BotUnderTest } from "./harness";

/** The cards whose pictures the README shows (saved when `E2E_SCREENSHOT_DIR` is set). */
const PICTURED: ReadonlySet<string> = new Set(["privateChat", "restartReset", "enterCode", "handoffSomethingElse", "mfaApp", "helpdeskContact"]);

/** A stub bot that answers "all cards" with every card template, rendered from its sample data, one message each. */
async function startCardBot(): Promise<BotUnderTest> {
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
  const server = restify.createServer();
  server.use(restify.plugins.bodyParser());
  server.post("/api/messages", async (req, res) => {
    await adapter.process(req, res, async (context) => {
      const name = /^card (\w+)$/.exec(context.activity.type === "message" ? (context.activity.text ?? "") : "")?.[1];
      const card = name && name in CARD_SAMPLES ? CARD_SAMPLES[name as keyof typeof CARD_SAMPLES] : undefined;
      if (!card) return;
      await context.sendActivity(`card: ${name}`);
      await context.sendActivity({ attachments: [card()] });
    });
  });
  await new Promise<void>((resolve) => {
    server.listen(0, "127.0.0.1", resolve);
  });
  const address: AddressInfo = server.address();
  const url = `http://127.0.0.1:${address.port}`;
  const close = (): Promise<void> =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
    });
  return { url, messagingEndpoint: `${url}/api/messages`, logLines: () => [], close };
}

/**
 * Runs in the page: the last card in the chat, the name given by the "card: <name>" line before it, and every piece of
 * visible text in it with its colour, the backgrounds behind it (nearest first, up to the first opaque one) and font.
 */
function measureLastCard(): { card: string; texts: Array<Omit<RenderedText, "card">> } {
  let card = "";
  let root: Element | undefined;
  for (const element of Array.from(document.querySelectorAll(".fai-OutputCard, .ac-adaptiveCard"))) {
    if (element.classList.contains("ac-adaptiveCard")) root = element;
    else {
      const named = /card: (\w+)/.exec(element.textContent ?? "")?.[1];
      if (named) [card, root] = [named, undefined];
    }
  }
  const texts: Array<Omit<RenderedText, "card">> = [];
  if (!root) return { card: "", texts };
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = (node.textContent ?? "").trim();
    const element = node.parentElement;
    if (!text || !element || element.getClientRects().length === 0) continue;
    const style = getComputedStyle(element);
    if (style.visibility === "hidden") continue;
    const backgrounds: string[] = [];
    for (let e: Element | null = element; e; e = e.parentElement) {
      const bg = getComputedStyle(e).backgroundColor;
      if (bg && bg !== "rgba(0, 0, 0, 0)" && bg !== "transparent") backgrounds.push(bg);
      if (/^rgb\(/.test(bg)) break;
    }
    texts.push({ text: text.slice(0, 60), colour: style.color, backgrounds, fontSizePx: parseFloat(style.fontSize), fontWeight: Number(style.fontWeight) || 400 });
  }
  return { card, texts };
}

/** One piece of rendered text: its card, words, colour, the backgrounds behind it (nearest first) and its font. */
interface RenderedText {
  card: string;
  text: string;
  colour: string;
  backgrounds: string[];
  fontSizePx: number;
  fontWeight: number;
}

describePlayground(
  "Card contrast in the Playground (WCAG 2.2 AA)",
  (e2e) => {
    it("every text in every card, as rendered, reaches 4.5:1 (3:1 when large) against what is behind it", async () => {
      const { chat } = e2e;
      const texts: RenderedText[] = [];
      // The chat shows only the messages near the bottom, so each card is asked for and measured in turn.
      for (const name of Object.keys(CARD_SAMPLES)) {
        await chat.sendText(`card ${name}`);
        const measured = await pollUntil(async () => {
          const last = await chat.page.evaluate(measureLastCard);
          return last.card === name && last.texts.length > 0 ? last.texts : undefined;
        }, { timeoutMs: 15_000, what: `the ${name} card` });
        texts.push(...measured.map((t) => ({ ...t, card: name })));
        if (PICTURED.has(name)) {
          await settle(chat.lastCard());
          await e2e.docsScreenshot(`card-${name}`);
        }
      }
      const failures: string[] = [];
      for (const t of texts) {
        // Paint the backgrounds from the farthest (opaque, or the page's white) to the nearest.
        const behind = [...t.backgrounds].reverse().reduce((under, colour) => over(parseColour(colour), under), parseColour("#ffffff"));
        const ratio = contrastRatio(parseColour(t.colour), behind);
        const needed = requiredRatio(t.fontSizePx, t.fontWeight);
        if (ratio < needed) failures.push(`${t.card}: "${t.text}" ${t.colour} on ${t.backgrounds[0] ?? "white"} ${ratio.toFixed(2)}:1 < ${needed}:1`);
      }
      assert.deepEqual(failures, []);
      assert.ok(texts.length > Object.keys(CARD_SAMPLES).length * 2, `${texts.length} texts measured`);
    });
  },
  { startBot: startCardBot },
);
