/**
 * Starts the Agents Playground for a test, with the same launcher `npm run playground` uses, on a free port.
 *
 * @packageDocumentation
 */
import path from "node:path";
import { PlaygroundError, findFreePort, startPlayground } from "../../../scripts/playground";
import type { RunningPlayground } from "../../../scripts/playground";
import { makeTempDir, removeTempDir } from "./temp";

export { PlaygroundError, findFreePort, pollUntil } from "../../../scripts/playground";
export type { RunningPlayground } from "../../../scripts/playground";

/** Options for {@link startTestPlayground}. */
export interface TestPlaygroundOptions {
  /** The bot's messaging endpoint. */
  readonly appEndpoint: string;
  /** A fixed personal-chat id; random (a new conversation for the bot) when absent. */
  readonly conversationId?: string;
  /** Bound on start-up (`Listening on N` and ping); 30 000 ms by default. */
  readonly startTimeoutMs?: number;
}

/** A Playground started for a test; {@link TestPlayground.stop} also removes its temporary log. */
export interface TestPlayground extends RunningPlayground {
  /** Milliseconds from spawn to `pong`. */
  readonly startupMs: number;
}

/**
 * Finds a free port and starts the Playground on it, offline, as a detached process group, logging to a
 * temporary file. If another program takes the port between the check and the start (the Playground would
 * then move elsewhere, which the launcher refuses), it tries again with a new port, three times at most.
 */
export async function startTestPlayground(options: TestPlaygroundOptions): Promise<TestPlayground> {
  const dir = await makeTempDir("nhsmail-e2e-playground-");
  let lastError: unknown;
  for (let attempt = 1; attempt <= 3; attempt += 1) {
    const port = await findFreePort();
    const startedAt = Date.now();
    try {
      const running = await startPlayground({
        port,
        appEndpoint: options.appEndpoint,
        logFile: path.join(dir, "playground.log"),
        conversationId: options.conversationId,
        startTimeoutMs: options.startTimeoutMs,
      });
      const startupMs = Date.now() - startedAt;
      const stop = async (graceMs?: number): Promise<void> => {
        await running.stop(graceMs);
        await removeTempDir(dir);
      };
      return { ...running, startupMs, stop };
    } catch (error: unknown) {
      lastError = error;
      const portRace = error instanceof PlaygroundError && /in use|listening on/i.test(error.message);
      if (!portRace) break;
    }
  }
  await removeTempDir(dir);
  throw lastError;
}
