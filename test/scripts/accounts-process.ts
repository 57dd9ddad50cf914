import { spawn } from "node:child_process";
import net from "node:net";
import type { AddressInfo } from "node:net";
import path from "node:path";

const ROOT = path.resolve(__dirname, "..", "..");

/** What one run of the accounts command line printed, and how it ended. */
export interface AccountsRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `node --require tsx/cjs scripts/accounts.ts …` (what `npm run accounts -- …` runs) as a child process.
 * Asynchronous on purpose: the bot it talks to runs in this process and must keep answering meanwhile.
 */
export function runAccounts(args: string[], env: NodeJS.ProcessEnv): Promise<AccountsRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--require", "tsx/cjs", "scripts/accounts.ts", ...args], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

/**
 * The names of the files in `dir` whose name starts with `prefix` and whose bytes contain `needle`.
 *
 * Read in a child process: closing any descriptor of a SQLite file drops every POSIX lock this process holds on
 * it, so reading the running bot's state file from here would let another process delete its WAL index.
 */
export function filesContaining(dir: string, prefix: string, needle: string): Promise<string[]> {
  const script =
    "const fs = require('node:fs'), path = require('node:path'), { DIR, PREFIX, NEEDLE } = process.env;" +
    "const found = fs.readdirSync(DIR).filter((n) => n.startsWith(PREFIX) && fs.readFileSync(path.join(DIR, n)).includes(NEEDLE));" +
    "process.stdout.write(JSON.stringify(found));";
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["-e", script], { env: { ...process.env, DIR: dir, PREFIX: prefix, NEEDLE: needle }, stdio: ["ignore", "pipe", "inherit"] });
    let stdout = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.on("error", reject);
    child.on("close", (status) => (status === 0 ? resolve(JSON.parse(stdout) as string[]) : reject(new Error(`file check ended with ${status}`))));
  });
}

/** A local port nothing listens on (it was free a moment ago, and closed). */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
