/**
 * A small per-instance memory of recent facts, each forgotten after `ttlMs` (and the oldest first when it is full).
 * For skipping a store round trip that would change nothing; the shared store stays the truth, so a fact an
 * instance remembers wrongly (another instance changed the store meanwhile) is corrected within `ttlMs`.
 */
export class RecentMemory<Value> {
  private readonly entries = new Map<string, { value: Value; until: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** The value remembered for `key`, unless it has been forgotten. */
  get(key: string): Value | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.until <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  /** Remembers `value` for `key` (as the newest entry). */
  set(key: string, value: Value): void {
    this.entries.delete(key);
    this.entries.set(key, { value, until: this.now() + this.ttlMs });
    if (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
  }

  /** Forgets `key`. */
  forget(key: string): void {
    this.entries.delete(key);
  }
}
