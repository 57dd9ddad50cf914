import { setImmediate } from "node:timers";
import type { CommonPasswordResult, PasswordContext } from "./types";

/** A loaded detector, as {@link LazyCommonPasswordDetector} hands checks on to it. */
export interface LoadedDetector {
  check(password: string, context?: PasswordContext): CommonPasswordResult;
}

/**
 * A common-password detector that loads its data (about 14 MB: the common-list hashes and the banned-term matcher)
 * when first needed rather than when the service starts, so that a process that has checked no password does not
 * hold it. Loading reads prepared files and takes tens of milliseconds; {@link LazyCommonPasswordDetector.prepare}
 * does it ahead of a check (a journey can call it as it starts), and a check made before then loads it first.
 */
export class LazyCommonPasswordDetector {
  private detector: LoadedDetector | undefined;

  /** @param load - loads the detector (synchronously); called at most once, unless it throws */
  constructor(private readonly load: () => LoadedDetector) {}

  /** Whether the data has been loaded. */
  get loaded(): boolean {
    return this.detector !== undefined;
  }

  /** Checks a password, loading the data first if this is the first check. */
  check(password: string, context?: PasswordContext): CommonPasswordResult {
    this.detector ??= this.load();
    return this.detector.check(password, context);
  }

  /** Loads the data if it is not loaded yet, on a later turn of the event loop; rejects if it cannot be loaded. */
  prepare(): Promise<void> {
    if (this.detector) return Promise.resolve();
    return new Promise((resolve, reject) =>
      setImmediate(() => {
        try {
          this.detector ??= this.load();
          resolve();
        } catch (error) {
          reject(error instanceof Error ? error : new Error(String(error)));
        }
      }),
    );
  }
}
