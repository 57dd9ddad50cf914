import { KeyedQueue } from "../state/keyed-queue";
import type Keyv from "keyv";
import type { StateStore } from "../state";
import type { TranscriptLine } from "./ports";
import { redact } from "./redact";

/** Options for {@link TranscriptRecorder}. */
export interface TranscriptRecorderOptions {
  /** Lines kept per conversation (the latest). Default 20. */
  limit?: number;
  /** How long a conversation's transcript is kept after its latest line, in milliseconds. Default 24 hours. */
  ttlMs?: number;
  /** The clock, for lines recorded without `at`. Default: the system clock. */
  now?: () => Date;
}

/** keyv namespace of the transcripts: conversation id → its latest lines, oldest first. */
const NAMESPACE = "transcripts";
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The latest lines of each personal conversation, so a helpdesk agent taking over sees what went before.
 *
 * Every line is redacted (see {@link redact}) before it is stored: no password, code, secret or phone number reaches
 * the store in clear. Only the latest lines are kept, and a transcript expires a day after its latest line. Within one
 * process, lines for one conversation are appended in turn so none is lost.
 */
/** A line to record: `at` defaults to the recorder's clock. */
export type TranscriptInput = Omit<TranscriptLine, "at"> & { at?: string };

export class TranscriptRecorder {
  private readonly lines: Keyv<TranscriptLine[]>;
  private readonly limit: number;
  private readonly ttlMs: number;
  private readonly now: () => Date;
  private readonly queue = new KeyedQueue();

  /**
   * @param store - the state store (keyv namespace `transcripts`)
   * @param options - see {@link TranscriptRecorderOptions}
   */
  constructor(store: StateStore, options: TranscriptRecorderOptions = {}) {
    this.lines = store.keyv<TranscriptLine[]>(NAMESPACE);
    this.limit = Math.max(1, Math.floor(options.limit ?? 20));
    this.ttlMs = Math.max(1, Math.floor(options.ttlMs ?? DAY_MS));
    this.now = options.now ?? (() => new Date());
  }

  /**
   * Redacts the line (or a turn's lines, in one read and one write) and adds it to the conversation's transcript,
   * dropping the oldest beyond the limit.
   */
  async record(conversationId: string, lines: TranscriptInput | readonly TranscriptInput[]): Promise<void> {
    const entries = (Array.isArray(lines) ? lines : [lines]).map(
      (line: TranscriptInput): TranscriptLine => ({ from: line.from, text: redact(line.text), at: line.at ?? this.now().toISOString() }),
    );
    if (entries.length === 0) return;
    await this.queue.run(conversationId, async () => {
      const current = await this.read(conversationId);
      await this.lines.set(conversationId, [...current, ...entries].slice(-this.limit), this.ttlMs);
    });
  }

  /** The conversation's latest lines, oldest first (already redacted); empty when none are kept. */
  async read(conversationId: string): Promise<TranscriptLine[]> {
    const stored = await this.lines.get(conversationId);
    return Array.isArray(stored) ? stored : [];
  }

  /** Forgets the conversation's transcript. */
  async clear(conversationId: string): Promise<void> {
    await this.queue.run(conversationId, async () => {
      await this.lines.delete(conversationId);
    });
  }
}
