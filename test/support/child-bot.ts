import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { TempDir } from "./temp-dir";
import { TEST_SECRETS_KEY } from "./bot-client";
import { waitFor } from "./wait-for";

const ROOT = path.resolve(__dirname, "../..");

/**
 * The bot as its own process (`src/index.ts`, started the way `npm start` starts it), for tests that must see
 * whether a request can end the process or swell its memory: something an in-process server would take the test
 * runner down with.
 */
export class ChildBot {
  private output = "";
  private constructor(
    readonly process: ChildProcess,
    readonly dir: TempDir,
  ) {
    process.stdout?.on("data", (chunk: Buffer) => (this.output += chunk.toString("utf8")));
    process.stderr?.on("data", (chunk: Buffer) => (this.output += chunk.toString("utf8")));
  }

  /** Base URL, known once the bot logs that it listens. */
  url = "";

  /** Starts the bot with test settings (SQLite state in a temporary folder, captcha off); `env` overrides them. */
  static async start(env: Record<string, string> = {}): Promise<ChildBot> {
    const dir = new TempDir();
    const child = spawn(process.execPath, ["--disable-warning=DEP0111", "--require", "tsx/cjs", path.join(ROOT, "src/index.ts")], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        ENV_NAME: "none",
        PORT: "0",
        HOST: "127.0.0.1",
        STATE_URL: `sqlite://${dir.file("state.sqlite")}`,
        OUTBOX_FILE: dir.file("outbox.jsonl"),
        LOG_LEVEL: "info",
        CAPTCHA: "off",
        SCRYPT_LOG2N: "10",
        SECRETS_KEY: TEST_SECRETS_KEY,
        ...env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const bot = new ChildBot(child, dir);
    bot.url = await new Promise<string>((resolve, reject) => {
      const onExit = (code: number | null): void => reject(new Error(`the bot exited (${code}) before listening:\n${bot.output}`));
      child.once("exit", onExit);
      const check = (): void => {
        const line = bot.output.split("\n").find((l) => l.includes('"bot listening"'));
        if (!line) return;
        child.stdout?.off("data", check);
        child.off("exit", onExit);
        resolve((JSON.parse(line) as { url: string }).url);
      };
      child.stdout?.on("data", check);
    });
    return bot;
  }

  /**
   * Resolves once the work the bot starts right after listening is done: the development accounts' import and the
   * first reminder sweep (which waits for it), so later log lines are the test's own.
   */
  async settled(): Promise<void> {
    await waitFor(() => this.output.includes('"reminder sweep done"'), "the start-up reminder sweep");
  }

  /** Everything the process printed (its JSON log lines). */
  get log(): string {
    return this.output;
  }

  /** True while the process runs. */
  get alive(): boolean {
    return this.process.exitCode === null && this.process.signalCode === null;
  }

  /** The process's peak resident memory so far, in MiB (Linux `VmHWM`). */
  peakMemoryMiB(): number {
    const status = fs.readFileSync(`/proc/${this.process.pid}/status`, "utf8");
    return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
  }

  /** Resets the peak memory figure to the current one (Linux: writing 5 to `clear_refs`). */
  resetPeakMemory(): void {
    fs.writeFileSync(`/proc/${this.process.pid}/clear_refs`, "5");
  }

  /** Stops the process (SIGTERM, as a platform would) and removes its files. */
  async stop(): Promise<void> {
    if (this.alive) {
      const exited = new Promise((resolve) => this.process.once("exit", resolve));
      this.process.kill("SIGTERM");
      await exited;
    }
    this.dir.remove();
  }
}
