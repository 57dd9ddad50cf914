import { Writable } from "node:stream";
import { createLogger } from "../../src/logger";
import type { Logger } from "../../src/logger";

/** The time the job tests start at: Tuesday 23 November 2027, 10am UK time. */
export const TEST_START = Date.parse("2027-11-23T10:00:00Z");

/** A clock the test moves by hand. */
export class TestClock {
  private at: number;
  constructor(start = TEST_START) {
    this.at = start;
  }
  /** The current time (pass as a `clock`). */
  readonly now = (): Date => new Date(this.at);
  advance(ms: number): void {
    this.at += ms;
  }
  /** The time `ms` from now. */
  in(ms: number): Date {
    return new Date(this.at + ms);
  }
}

/** The service's real logger (with its redaction), writing JSON lines the test can read. */
export class CapturedLog extends Writable {
  readonly lines: string[] = [];
  readonly logger: Logger = createLogger({ level: "info", destination: this });
  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    this.lines.push(...chunk.toString("utf8").split("\n").filter(Boolean));
    done();
  }
  get text(): string {
    return this.lines.join("\n");
  }
}
