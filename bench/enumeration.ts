/**
 * `npm run bench:enumeration`: can response times tell a known NHSmail address from an unknown one?
 * Runs the reset's first steps over HTTP (expectReplies) for a known and an unknown address in alternation and
 * prints the per-step latency of each, with the difference of medians. Prints figures; asserts nothing.
 */
import { randomUUID } from "node:crypto";
import os from "node:os";
import path from "node:path";
import { parseConfig } from "../src/config";
import { startService } from "../src/index";
import { Verb } from "../cards/verbs";
import { EmbeddedDirectory } from "../src/directory";

const RUNS = Number(process.env.BENCH_RUNS ?? 150);
const STEPS = ["start", "address", "method", "number", "code"] as const;
type Step = (typeof STEPS)[number];

async function post(endpoint: string, conversation: string, user: string, body: Record<string, unknown>): Promise<number> {
  const activity = {
    type: "message", id: randomUUID(), channelId: "msteams", serviceUrl: "http://127.0.0.1:9/", deliveryMode: "expectReplies",
    from: { id: user }, recipient: { id: "bot" }, conversation: { id: conversation, conversationType: "personal" }, ...body,
  };
  const started = process.hrtime.bigint();
  const response = await fetch(endpoint, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(activity) });
  await response.arrayBuffer();
  if (response.status !== 200) throw new Error(`HTTP ${response.status}`);
  return Number(process.hrtime.bigint() - started) / 1e6;
}

async function journey(endpoint: string, email: string, hint: string): Promise<Record<Step, number>> {
  const conversation = `a:${randomUUID()}`;
  const user = `user-${randomUUID()}`;
  const send = (body: Record<string, unknown>): Promise<number> => post(endpoint, conversation, user, body);
  return {
    start: await send({ text: "reset my password" }),
    address: await send({ text: email }),
    method: await send({ value: { verb: Verb.ChooseMethod, method: "sms" } }),
    number: await send({ text: `07700 9001${hint}` }),
    code: await send({ text: "123456" }),
  };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p90 = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.9)];

async function main(): Promise<void> {
  const config = parseConfig({
    PORT: "0", HOST: "127.0.0.1", STATE_URL: "memory://", LOG_LEVEL: "silent", CAPTCHA: "off",
    OUTBOX_FILE: process.env.BENCH_OUTBOX ?? path.join(os.tmpdir(), `enumeration-${randomUUID()}.jsonl`), SECRETS_KEY: Buffer.alloc(32, 9).toString("base64"),
  });
  const service = await startService(config, { outboxEcho: () => undefined });
  const endpoint = `${service.url}/api/messages`;
  try {
    const known: Record<Step, number[]> = { start: [], address: [], method: [], number: [], code: [] };
    const unknown: Record<Step, number[]> = { start: [], address: [], method: [], number: [], code: [] };
    const directory = service.directory;
    const jane = await directory.findByEmail("jane.smith@nhs.net");
    if (!(directory instanceof EmbeddedDirectory) || !jane) throw new Error("needs the embedded directory and the dev accounts");
    for (let i = 0; i < RUNS + 10; i++) {
      // A fresh known account (a copy of Jane's) and a fresh unknown address per run, so neither has history,
      // audit trail or throttle counts that the other lacks.
      const email = `known.${i}@nhs.net`;
      await directory.upsert({ ...jane, email });
      // Alternate which goes first, so neither is always the one after the account was set up.
      const knownFirst = i % 2 === 0;
      const first = await journey(endpoint, knownFirst ? email : `nobody.${i}@nhs.net`, "18");
      const second = await journey(endpoint, knownFirst ? `nobody.${i}@nhs.net` : email, "18");
      const [a, b] = knownFirst ? [first, second] : [second, first];
      if (i < 10) continue;
      for (const step of STEPS) {
        known[step].push(a[step]);
        unknown[step].push(b[step]);
      }
    }
    console.log(`bench:enumeration — ${RUNS} journeys each, alternating, node ${process.version}, ${os.cpus().length} cores`);
    console.log("step       known p50  unknown p50  difference   known p90  unknown p90   (ms)");
    for (const step of STEPS) {
      const k = median(known[step]);
      const u = median(unknown[step]);
      console.log(`${step.padEnd(9)} ${k.toFixed(2).padStart(10)} ${u.toFixed(2).padStart(12)} ${(u - k).toFixed(2).padStart(11)} ${p90(known[step]).toFixed(2).padStart(11)} ${p90(unknown[step]).toFixed(2).padStart(12)}`);
    }
    console.log("Known: a copy of a dev account with text, call and app registered; unknown: an address with no account.");
  } finally {
    await service.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
