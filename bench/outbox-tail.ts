/**
 * Reads verification codes from the bot's development outbox (`OUTBOX_FILE`, one JSON line per message, see
 * `src/messaging/outbox-sender.ts`) as the file grows. The bot sends texts in the background, after the turn that
 * asked for them, so a journey waits here for its code.
 */
import fs from "node:fs";

/** How often the file is read while someone waits for a code. */
const POLL_MS = 5;

/** One line of the outbox, as far as this reads it. */
interface OutboxLine {
  channel?: unknown;
  to?: unknown;
  text?: unknown;
  at?: unknown;
}

interface Waiter {
  /** Lines the bot wrote before this (its clock, ms) are older messages, not the awaited one. */
  notBefore: number;
  resolve(code: string): void;
  reject(err: Error): void;
  timer: NodeJS.Timeout;
}

/**
 * Follows the outbox file from its start, reading only what was appended since the last read, and hands each
 * awaited number the code in the first text to it. Reads only while someone waits.
 */
export class OutboxTail {
  private offset = 0;
  private partial = Buffer.alloc(0);
  private readonly waiters = new Map<string, Waiter>();
  private timer?: NodeJS.Timeout;
  private reading = false;

  /** @param file - the bot's `OUTBOX_FILE` */
  constructor(private readonly file: string) {}

  /**
   * The code in the first verification text to `to` (E.164) written at or after `notBefore` (ms since the epoch;
   * take it before asking the bot to send). One wait per number at a time.
   *
   * @throws Error after `timeoutMs` without such a text
   */
  nextCode(to: string, notBefore: number, timeoutMs: number): Promise<string> {
    if (this.waiters.has(to)) return Promise.reject(new Error(`already waiting for a code to ${to}`));
    return new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(to);
        reject(new Error(`no code texted to ${to} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.set(to, { notBefore, resolve, reject, timer });
      this.schedule();
    });
  }

  /** Stops waiting for a code to `to` (its journey failed before the code was sent). */
  cancel(to: string): void {
    const waiter = this.waiters.get(to);
    if (!waiter) return;
    clearTimeout(waiter.timer);
    this.waiters.delete(to);
    waiter.reject(new Error(`stopped waiting for a code to ${to}`));
  }

  /** Stops reading; whoever still waits is told so. */
  close(): void {
    clearTimeout(this.timer);
    for (const [to, waiter] of this.waiters) {
      clearTimeout(waiter.timer);
      waiter.reject(new Error(`stopped waiting for a code to ${to}`));
    }
    this.waiters.clear();
  }

  private schedule(): void {
    if (this.timer || this.reading || this.waiters.size === 0) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.reading = true;
      this.readNew()
        .catch(() => undefined) // not there yet, or cut short: read again on the next tick
        .finally(() => {
          this.reading = false;
          this.schedule();
        });
    }, POLL_MS);
  }

  private async readNew(): Promise<void> {
    const handle = await fs.promises.open(this.file, "r");
    try {
      const { size } = await handle.stat();
      if (size <= this.offset) return;
      const chunk = Buffer.alloc(size - this.offset);
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, this.offset);
      this.offset += bytesRead;
      // Cut at the last newline, in bytes, so a line (or a character) read in half waits for the rest.
      const data = Buffer.concat([this.partial, chunk.subarray(0, bytesRead)]);
      const end = data.lastIndexOf(0x0a) + 1;
      this.partial = data.subarray(end);
      for (const line of data.subarray(0, end).toString("utf8").split("\n")) if (line.trim()) this.take(line);
    } finally {
      await handle.close();
    }
  }

  private take(text: string): void {
    let line: OutboxLine;
    try {
      line = JSON.parse(text) as OutboxLine;
    } catch {
      return;
    }
    if (line.channel !== "sms" || typeof line.to !== "string" || typeof line.text !== "string") return;
    const waiter = this.waiters.get(line.to);
    if (!waiter || Date.parse(String(line.at)) < waiter.notBefore) return;
    const code = /verification code is (\d{6,8})\b/.exec(line.text)?.[1];
    if (!code) return;
    clearTimeout(waiter.timer);
    this.waiters.delete(line.to);
    waiter.resolve(code);
  }
}
