import path from "node:path";
import { CombinedBreachChecker, HibpRangeChecker, OfflineBreachIndex, ensureDefaultIndex, DEFAULT_INDEX_FILE } from "./breach";
import type { BreachedPasswordChecker } from "./breach";
import { CommonPasswordDetector } from "./common";
import { PasswordHasher, DEFAULT_SCRYPT_COST } from "./password-hasher";
import { PasswordPolicy } from "./password-policy";

/** Where breached-password answers come from. */
export type BreachSource = "offline" | "hibp" | "both" | "off";

/** Settings for {@link createPasswordPolicy}, normally taken from the service configuration. */
export interface PolicySettings {
  /** The project root; the default breach index lives under it. */
  root: string;
  breachSource: BreachSource;
  /** An index file to use instead of the default one (built at install from pinned npm packages). */
  breachIndexFile?: string;
  hibpUrl?: string;
  hibpTimeoutMs?: number;
  hibpFailMode?: "open" | "closed";
  historyLength?: number;
  scryptLog2N?: number;
  logger?: { warn(obj: object, msg: string): void };
}

/** A ready policy and what to close when done. */
export interface PolicyHandle {
  policy: PasswordPolicy;
  hasher: PasswordHasher;
  close(): Promise<void>;
}

/** Builds the password policy with its breach sources; builds the default breach index first if it is missing. */
export async function createPasswordPolicy(settings: PolicySettings): Promise<PolicyHandle> {
  const hasher = new PasswordHasher({ ...DEFAULT_SCRYPT_COST, log2N: settings.scryptLog2N ?? DEFAULT_SCRYPT_COST.log2N });
  const checkers: BreachedPasswordChecker[] = [];
  if (settings.breachSource === "offline" || settings.breachSource === "both") {
    let file = settings.breachIndexFile;
    if (!file) {
      await ensureDefaultIndex(settings.root);
      file = path.join(settings.root, DEFAULT_INDEX_FILE);
    }
    checkers.push(OfflineBreachIndex.open(file));
  }
  if (settings.breachSource === "hibp" || settings.breachSource === "both") {
    checkers.push(
      new HibpRangeChecker({
        baseUrl: settings.hibpUrl,
        timeoutMs: settings.hibpTimeoutMs,
        failMode: settings.hibpFailMode ?? "open",
        logger: settings.logger,
      }),
    );
  }
  const breach = checkers.length === 2 ? new CombinedBreachChecker(checkers[0], checkers[1]) : checkers[0];
  const policy = new PasswordPolicy({ common: CommonPasswordDetector.loadDefault(), hasher, breach, historyLength: settings.historyLength });
  const close = async (): Promise<void> => {
    await Promise.all(checkers.map((checker) => (checker.close ? checker.close() : Promise.resolve())));
  };
  return { policy, hasher, close };
}
