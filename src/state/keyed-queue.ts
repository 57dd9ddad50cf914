/**
 * Runs tasks one after another per key, within this process: a task starts only once every earlier task for the same
 * key has settled (whether it succeeded or not). Used where one process appends to the same stored item many times
 * at once, so its own writes queue instead of conflicting; across processes, compare-and-set still decides.
 */
export class KeyedQueue {
  private readonly tails = new Map<string, Promise<unknown>>();

  /** Runs `task` after every earlier task for `key`, and resolves or rejects as it does. */
  async run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const run = previous.then(task, task);
    const settled = run.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, settled);
    try {
      return await run;
    } finally {
      if (this.tails.get(key) === settled) this.tails.delete(key);
    }
  }
}
