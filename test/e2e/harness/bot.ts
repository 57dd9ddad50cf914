/**
 * Starts the real bot service in this process, on a free port, with a fresh SQLite state file: a fresh bot for
 * every start.
 *
 * @packageDocumentation
 */
import path from "node:path";
import { Writable } from "node:stream";
import { parseConfig } from "../../../src/config";
import { startService } from "../../../src/index";
import { TEST_SECRETS_KEY } from "../../support/bot-client";
import type { RunningService } from "../../../src/index";
import { makeTempDir, removeTempDir } from "./temp";

/** What the end-to-end harness needs from a bot: where to reach it, what it logged, and how to stop it. */
export interface BotUnderTest {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  /** The Bot Framework messaging endpoint, `${url}/api/messages`. */
  readonly messagingEndpoint: string;
  /** Log lines so far (JSON lines for the real service), saved with a failing test's artifacts. */
  logLines(): readonly string[];
  /** Stops the bot and removes what it created. Safe to call more than once. */
  close(): Promise<void>;
}

/** The real service, started by {@link startBot}. */
export interface E2eBot extends BotUnderTest {
  /** The running service: its store lets a test inspect or seed state (references, directory, …). */
  readonly service: RunningService;
  /** Absolute path of the SQLite file holding all of this bot's state. */
  readonly stateFile: string;
  /**
   * Absolute path of the outbox file (`OUTBOX_FILE`) where this bot writes the texts, calls and emails it
   * "sends", one JSON line each; a fresh temporary file unless `env.OUTBOX_FILE` says otherwise. It does not
   * exist until the first message.
   */
  readonly outboxFile: string;
}

/** Options for {@link startBot}. */
export interface StartBotOptions {
  /**
   * Environment settings on top of the harness defaults (`PORT=0`, `HOST=127.0.0.1`, a fresh
   * `STATE_URL=sqlite:///…`, a fresh `OUTBOX_FILE`, `LOG_LEVEL=info`, `CAPTCHA=off`). Logs are captured, never
   * printed.
   */
  readonly env?: Readonly<Record<string, string>>;
}

/** Keeps what the service logs, in memory, for a failing test's artifacts. */
class LogLines extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    this.lines.push(...chunk.toString("utf8").split("\n").filter((line) => line !== ""));
    if (this.lines.length > 5_000) this.lines.splice(0, this.lines.length - 5_000);
    done();
  }
}

/**
 * Starts the service through `startService` on a free loopback port, with its state in a new temporary
 * SQLite file and its outbox in a new temporary file, so nothing from an earlier run (dialog state,
 * references, throttles, sent codes) is seen, and nothing is written into the project's `var/outbox.jsonl`.
 */
export async function startBot(options: StartBotOptions = {}): Promise<E2eBot> {
  const dir = await makeTempDir("nhsmail-e2e-bot-");
  const stateFile = path.join(dir, "state.sqlite");
  const log = new LogLines();
  try {
    const config = parseConfig({
      PORT: "0",
      HOST: "127.0.0.1",
      STATE_URL: `sqlite://${stateFile}`,
      OUTBOX_FILE: path.join(dir, "outbox.jsonl"),
      LOG_LEVEL: "info",
      CAPTCHA: "off",
      SECRETS_KEY: TEST_SECRETS_KEY,
      ...options.env,
    });
    const service = await startService(config, { logDestination: log, outboxEcho: () => undefined });
    let closing: Promise<void> | undefined;
    return {
      url: service.url,
      messagingEndpoint: `${service.url}/api/messages`,
      service,
      stateFile,
      outboxFile: path.resolve(config.OUTBOX_FILE),
      logLines: () => log.lines,
      close: () =>
        (closing ??= (async () => {
          try {
            await service.close();
          } finally {
            await removeTempDir(dir);
          }
        })()),
    };
  } catch (error: unknown) {
    await removeTempDir(dir);
    throw error;
  }
}
