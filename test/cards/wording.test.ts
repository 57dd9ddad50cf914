import assert from "node:assert/strict";
import { chooseMethodCard, handoffOfferCard, helpdeskContactCard, templates } from "../../cards/render";
import { cardElements } from "../support/card-elements";

const asReplies = (...cards: Array<ReturnType<typeof helpdeskContactCard>>) => [{ attachments: cards }];

/** Every action in a template, with the verb its data names (as a template expression, before expansion). */
function actionsOf(template: unknown): Array<{ title: string; verb: string }> {
  const found: Array<{ title: string; verb: string }> = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== "object") return;
    const o = node as { type?: unknown; title?: unknown; data?: { verb?: unknown } };
    if (typeof o.type === "string" && o.type.startsWith("Action.") && typeof o.title === "string") found.push({ title: o.title, verb: typeof o.data?.verb === "string" ? o.data.verb : "" });
    Object.values(o).forEach(walk);
  };
  walk(template);
  return found;
}

describe("card wording", () => {
  it('one name for one thing: every button that asks for a person says "Talk to the helpdesk"', () => {
    const handoffButtons = Object.entries(templates).flatMap(([name, template]) =>
      actionsOf(template).filter((a) => a.verb === "${verbs.startHandoff}").map((a) => `${name}: ${a.title}`),
    );
    assert.ok(handoffButtons.length >= 4, handoffButtons.join(", "));
    for (const button of handoffButtons) assert.match(button, /: Talk to the helpdesk$/);
  });

  it("the helpdesk's phone and email can be tapped: tel: and mailto: links", () => {
    for (const card of [helpdeskContactCard({ reason: "", phone: "0333 200 1133", email: "helpdesk@nhs.net" }), handoffOfferCard({ title: "t", reason: "", trigger: "locked-out", step: "", phone: "0333 200 1133", email: "helpdesk@nhs.net", primary: true })]) {
      const texts = cardElements(asReplies(card)).map((e) => e.text ?? "");
      assert.ok(texts.includes("Phone: [0333 200 1133](tel:+443332001133)"), texts.join(" | "));
      assert.ok(texts.includes("Email: [helpdesk@nhs.net](mailto:helpdesk@nhs.net)"), texts.join(" | "));
    }
  });

  it("on the method card the three ways to verify carry the emphasis, not the helpdesk fallback", () => {
    const methods = cardElements(asReplies(chooseMethodCard({ sms: true, voice: true, app: true }))).filter((e) => e.type === "Action.Submit");
    assert.deepEqual(methods.map((e) => e.style ?? "default"), ["positive", "positive", "positive", "default"]);
    const fallback = handoffOfferCard({ title: "Can't use any of these?", reason: "", trigger: "no-method", step: "", phone: "", email: "", primary: false });
    assert.deepEqual(cardElements(asReplies(fallback)).filter((e) => e.type === "Action.Submit").map((e) => e.style), ["default"]);
  });
});
