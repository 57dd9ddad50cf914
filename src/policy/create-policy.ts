import { CombinedBreachChecker, HibpRangeChecker, OfflineBreachIndex, openDefaultIndex } from "./breach";
import type { BreachedPasswordChecker } from "./breach";
import { CommonPasswordDetector, LazyCommonPasswordDetector, ensureBannedTerms } from "./common";
import { PasswordHasher, DEFAULT_SCRYPT_COST } from "./password-hasher";
import { PasswordPolicy } from "./password-policy";

/** Where breached-password answers come from. */
export type BreachSource = "offline" | "hibp" | "both" | "off";

/** Settings for {@link createPasswordPolicy}, normally taken from the service configuration. */
export interface PolicySettings {
  /** The project root: the data files (the default breach index, the common-password data) live under its `var/`. */
  root: string;
  breachSource: BreachSource;
  /** An index file to use instead of the default one (built at install from pinned npm packages). */
  breachIndexFile?: string;
  /** The most memory the offline index is held in (MiB; unset, the index's default `DEFAULT_BREACH_MEMORY_MB`); 0 keeps it on disk. */
  breachMemoryMb?: number;
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

/**
 * Builds the password policy with its breach sources. The data files (the default breach index, the common-password
 * data) are checked now and built first if missing (once: normally at install); the common-password data is loaded
 * when first needed (see {@link LazyCommonPasswordDetector}), and the breach index is loaded into memory (or, when
 * bigger than its limit, read a bucket at a time) from the first check on, so the policy holds neither while no
 * password has been checked.
 */
export async function createPasswordPolicy(settings: PolicySettings): Promise<PolicyHandle> {
  const hasher = new PasswordHasher({ ...DEFAULT_SCRYPT_COST, log2N: settings.scryptLog2N ?? DEFAULT_SCRYPT_COST.log2N });
  const checkers: BreachedPasswordChecker[] = [];
  if (settings.breachSource === "offline" || settings.breachSource === "both") {
    // Unset, the index's own default applies.
    const memoryLimitBytes = settings.breachMemoryMb === undefined ? undefined : settings.breachMemoryMb * 2 ** 20;
    const options = { memoryLimitBytes, logger: settings.logger };
    checkers.push(
      settings.breachIndexFile ? OfflineBreachIndex.open(settings.breachIndexFile, options) : await openDefaultIndex(settings.root, options),
    );
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
  ensureBannedTerms(settings.root);
  const common = new LazyCommonPasswordDetector(() => CommonPasswordDetector.loadDefault(settings.root));
  const policy = new PasswordPolicy({ common, hasher, breach, historyLength: settings.historyLength });
  const close = async (): Promise<void> => {
    await Promise.all(checkers.map((checker) => (checker.close ? checker.close() : Promise.resolve())));
  };
  return { policy, hasher, close };
}
