import type { BreachStatus, BreachedPasswordChecker } from "./types";

/**
 * Asks its checkers in order (the offline index first, then the range API) and stops at the first `"breached"`,
 * so a password already found offline never reaches the network. If none says `"breached"` but one was
 * `"unavailable"`, the answer is `"unavailable"`; otherwise `"clear"`.
 */
export class CombinedBreachChecker implements BreachedPasswordChecker {
  private readonly checkers: readonly BreachedPasswordChecker[];

  constructor(...checkers: BreachedPasswordChecker[]) {
    if (checkers.length === 0) throw new Error("CombinedBreachChecker needs at least one checker");
    this.checkers = checkers;
  }

  /** See the class description. */
  async check(password: string): Promise<BreachStatus> {
    let unavailable = false;
    for (const checker of this.checkers) {
      const status = await checker.check(password);
      if (status === "breached") return status;
      if (status === "unavailable") unavailable = true;
    }
    return unavailable ? "unavailable" : "clear";
  }

  /** Closes every checker that can be closed. */
  async close(): Promise<void> {
    await Promise.all(this.checkers.map((checker) => (checker.close ? checker.close() : Promise.resolve())));
  }
}
