/**
 * Password policy from the command line.
 *
 *   npm run --silent policy -- check [--email a@nhs.net] [--name "First Last"] [--organisation "…"]
 *                                   [--breach offline|hibp|both|off] [--index file]
 *     reads one password from standard input and prints {"ok":bool,"failures":[{"rule":"…","message":"…"}]};
 *     exit 0 when it passes, 1 when it does not, 2 on a usage error.
 *   npm run policy -- build-index <file> [--format hibp|passwords] [--out var/breach-index.bin]
 *     builds a breached-password index from Have I Been Pwned `HASH:count` lines (hash-ordered; .gz or - for
 *     standard input accepted) or a password list.
 *   npm run policy -- build-default-index
 *     (re)builds the default index from the pinned npm password lists.
 */
import path from "node:path";
import { parseArgs } from "node:util";
import { createPasswordPolicy } from "../src/policy";
import type { BreachSource } from "../src/policy";
import { DEFAULT_INDEX_FILE } from "../src/policy/breach";
import { runCli } from "../src/policy/breach/cli";
import { readSecret } from "./read-secret";

const ROOT = path.resolve(__dirname, "..");

async function check(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { email: { type: "string" }, name: { type: "string" }, organisation: { type: "string" }, breach: { type: "string", default: "offline" }, index: { type: "string" } },
  });
  const breach = values.breach as BreachSource;
  if (!["offline", "hibp", "both", "off"].includes(breach)) throw new UsageError("--breach must be offline, hibp, both or off");
  const [firstName, ...rest] = (values.name ?? "").trim().split(/\s+/).filter(Boolean);
  const password = await readSecret("Password to check: ");
  const handle = await createPasswordPolicy({
    root: ROOT,
    breachSource: breach,
    breachIndexFile: values.index ? path.resolve(values.index) : undefined,
    logger: { warn: (obj, msg) => process.stderr.write(`${msg} ${JSON.stringify(obj)}\n`) },
  });
  try {
    const verdict = await handle.policy.check({
      password,
      context: { email: values.email, firstName, lastName: rest.length ? rest[rest.length - 1] : undefined, organisation: values.organisation },
    });
    process.stdout.write(`${JSON.stringify({ ok: verdict.ok, failures: verdict.failures })}\n`);
    return verdict.ok ? 0 : 1;
  } finally {
    await handle.close();
  }
}

/** The index builder's own command line, with the input file as the first argument. */
function buildIndexCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { format: { type: "string", default: "hibp" }, out: { type: "string", default: DEFAULT_INDEX_FILE } },
  });
  const [input] = positionals;
  if (!input) throw new UsageError("build-index needs the input file (- for standard input): npm run policy -- build-index <file>");
  return runCli(["--input", input, "--format", values.format, "--output", values.out], cliIo);
}

const cliIo = {
  stdin: process.stdin,
  stdout: (line: string) => void process.stdout.write(`${line}\n`),
  stderr: (line: string) => void process.stderr.write(`${line}\n`),
};

class UsageError extends Error {}

async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  switch (command) {
    case "check":
      return check(args);
    case "build-index":
      return buildIndexCommand(args);
    case "build-default-index":
      return runCli(["--default", "--output", path.join(ROOT, DEFAULT_INDEX_FILE)], cliIo);
    default:
      throw new UsageError(`unknown command "${command ?? ""}": use check, build-index or build-default-index`);
  }
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (err: unknown) => {
    process.stderr.write(`policy: ${(err as Error).message}\n`);
    process.exitCode = err instanceof UsageError ? 2 : 3;
  },
);
