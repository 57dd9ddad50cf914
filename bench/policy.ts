/**
 * `npm run bench:policy`: how fast the password policy is on this machine. Prints figures; asserts nothing.
 *   1. the whole check except history hashing (text rules + common passwords + offline breach index), per length;
 *   2. the common-password detector on its own, including adversarial inputs;
 *   3. the offline breach index: build speed, lookups per second, memory against corpus size.
 */
import os from "node:os";
import path from "node:path";
import { randomBytes, randomInt } from "node:crypto";
import { createPasswordPolicy } from "../src/policy";
import { runCommonBench } from "./policy-common";
import { runBreachBench } from "./policy-breach";

const LENGTHS = [8, 16, 32, 64, 128, 256];
const SAMPLES = 10_000;
const ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 !@#$%^&*()-_=+[]{};:,.<>/?";

function randomPassword(length: number): string {
  let out = "";
  for (let i = 0; i < length; i++) out += ALPHABET[randomInt(ALPHABET.length)];
  return out;
}

/** Inputs a person or an attacker might send: random, word-based, repetitive. */
function samples(length: number): string[] {
  const words = ["password", "winter", "summer", "welcome", "nhsmail", "qwerty", "letmein", "Hospital", "nurse"];
  return Array.from({ length: SAMPLES }, (_, i) => {
    if (i % 3 === 0) return randomPassword(length);
    if (i % 3 === 1) {
      let s = "";
      while (s.length < length) s += words[randomInt(words.length)] + String(randomInt(100));
      return s.slice(0, length);
    }
    return randomBytes(length).toString("base64").slice(0, 4).repeat(length).slice(0, length);
  });
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function wholeCheck(): Promise<void> {
  const handle = await createPasswordPolicy({ root: path.resolve(__dirname, ".."), breachSource: "offline" });
  const context = { email: "jane.okonkwo@nhs.net", firstName: "Jane", lastName: "Okonkwo", organisation: "Leeds Teaching Hospitals" };
  console.log("1. Whole check except history hashing (text rules + common passwords + offline breach lookup)");
  console.log(`   ${SAMPLES.toLocaleString("en-GB")} inputs per length: a third random, a third common words and digits, a third repetitive`);
  console.log("   length   p50 µs   p99 µs   max µs   goal p99 < 1000 µs");
  for (const length of LENGTHS) {
    const inputs = samples(length);
    for (const input of inputs.slice(0, 500)) await handle.policy.check({ password: input, context });
    const times: number[] = [];
    for (const password of inputs) {
      const start = process.hrtime.bigint();
      await handle.policy.check({ password, context });
      times.push(Number(process.hrtime.bigint() - start) / 1000);
    }
    times.sort((a, b) => a - b);
    const p99 = percentile(times, 99);
    const row = [length, percentile(times, 50), p99, times[times.length - 1]].map((n, i) => (i === 0 ? String(n) : n.toFixed(1)).padStart(i === 0 ? 9 : 9));
    console.log(`${row.join("")}   ${p99 < 1000 ? "met" : "NOT met"}`);
  }
  await handle.close();
}

async function main(): Promise<void> {
  console.log(`bench:policy — node ${process.version}, ${os.cpus().length} cores (${os.cpus()[0]?.model ?? "unknown"})\n`);
  await wholeCheck();
  console.log("\n2. Common-password detector");
  await runCommonBench();
  console.log("\n3. Offline breach index");
  await runBreachBench();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
