/**
 * The accounts `npm run bench:journey` resets: a fixture file (the format of `env/accounts.dev.json`, read by the bot
 * through `ACCOUNTS_FILE`) of accounts that each have their own mobile, the seeding of the bot's store from it, and
 * the pool that lends each account to one journey at a time.
 */
import fs from "node:fs";
import { performance } from "node:perf_hooks";
import { EmbeddedDirectory, PASSWORD_HISTORY_LIMIT, SecretBox } from "../src/directory";
import { DEFAULT_SCRYPT_COST, PasswordHasher } from "../src/policy/password-hasher";
import { openStateStore } from "../src/state";

/** Mobiles come from Ofcom's range for drama, 07700 900000–900999, so at most this many accounts. */
export const MAX_ACCOUNTS = 1000;

/** Every account's current password (the journeys never need it: they prove who they are by text). */
const CURRENT_PASSWORD = "Harbour-Lantern-58";

/** One account the journeys may reset. */
export interface BenchAccount {
  email: string;
  /** As a person types it, e.g. "07700 900042". */
  typedMobile: string;
  /** E.164, as the outbox names the recipient, e.g. "+447700900042". */
  mobile: string;
}

/** The accounts, numbered from 0: `journey.tester.<n>@nhs.net` with the mobile 07700 900<n>. */
export function benchAccounts(count: number): BenchAccount[] {
  if (!Number.isInteger(count) || count < 1 || count > MAX_ACCOUNTS) throw new RangeError(`between 1 and ${MAX_ACCOUNTS} accounts`);
  return Array.from({ length: count }, (_, n) => {
    const digits = String(n).padStart(3, "0");
    return { email: `journey.tester.${n}@nhs.net`, typedMobile: `07700 900${digits}`, mobile: `+447700900${digits}` };
  });
}

/**
 * Writes the fixture: one entry per account, each with `history` previous passwords (the bot checks a new password
 * against the current one and the newest `PASSWORD_HISTORY` of these, one scrypt verification each). Every password
 * meets the policy; every account has the same ones, so seeding hashes each only once.
 */
export function writeFixture(file: string, accounts: readonly BenchAccount[], history: number): void {
  if (!Number.isInteger(history) || history < 0 || history > PASSWORD_HISTORY_LIMIT) {
    throw new RangeError(`history must be 0 to ${PASSWORD_HISTORY_LIMIT} passwords`);
  }
  const previousPasswords = Array.from({ length: history }, (_, k) => `Willow-Station-${31 + k}`);
  const entries = accounts.map((account, n) => ({
    email: account.email,
    mobile: account.typedMobile,
    password: CURRENT_PASSWORD,
    previousPasswords,
    displayName: `Journey Tester${n}`,
    organisation: "Bench Teaching Hospitals NHS Trust",
    organisationType: "NHS Trust",
    createdAt: "2020-04-01T09:00:00Z",
    aupAcceptedAt: "2020-04-01T09:00:00Z",
    profileUpdatedAt: "2020-04-01T09:00:00Z",
    mfaMethod: "sms",
  }));
  fs.writeFileSync(file, `${JSON.stringify(entries, null, 2)}\n`, "utf8");
}

/** What seeding did. */
export interface SeedResult {
  imported: number;
  /** Distinct secrets hashed (the accounts share them). */
  hashes: number;
  /** Wall time of the whole seeding, in milliseconds. */
  elapsedMs: number;
}

/** Wall time of one scrypt hash at cost 2^`log2N` here in the load generator, with no other hash running, in ms. */
export async function timeOneHash(log2N: number): Promise<number> {
  const hasher = new PasswordHasher({ ...DEFAULT_SCRYPT_COST, log2N });
  await hasher.hash("warm-up-first-call"); // the first call also loads OpenSSL's scrypt
  const started = performance.now();
  await hasher.hash(CURRENT_PASSWORD);
  return performance.now() - started;
}

/**
 * Imports the fixture into the store at `stateUrl` before the bot starts, as `npm run accounts -- seed` would, but
 * hashing each distinct password once for all accounts: the bot's own import (accounts already present are kept)
 * then costs no hashing, where it would otherwise hash every account's passwords one account at a time. The hashes
 * are at the bot's cost, so each verification in a journey costs what a real account's would.
 *
 * @param secretsKey - the bot's `SECRETS_KEY`
 */
export async function seedStore(stateUrl: string, fixtureFile: string, secretsKey: string, log2N: number): Promise<SeedResult> {
  const started = performance.now();
  const hasher = new PasswordHasher({ ...DEFAULT_SCRYPT_COST, log2N });
  const hashed = new Map<string, Promise<string>>();
  const sharedHasher = {
    hash: (secret: string): Promise<string> => {
      const hash = hashed.get(secret) ?? hasher.hash(secret);
      hashed.set(secret, hash);
      return hash;
    },
  };
  const store = await openStateStore(stateUrl);
  try {
    const directory = new EmbeddedDirectory(store.storage, new SecretBox(secretsKey));
    const result = await directory.seedFromFile(fixtureFile, { hasher: sharedHasher });
    return { imported: result.imported.length, hashes: hashed.size, elapsedMs: performance.now() - started };
  } finally {
    await store.close();
  }
}

/**
 * Lends accounts to journeys, least recently used first, so that no two journeys use one account at the same time
 * (a code texted to it would be ambiguous) and each is reset as seldom as the pool allows.
 */
export class AccountPool {
  private readonly free: BenchAccount[];
  private readonly uses = new Map<string, number>();

  constructor(accounts: readonly BenchAccount[]) {
    this.free = [...accounts];
  }

  /** The least recently used free account. @throws Error when every account is lent out */
  take(): BenchAccount {
    const account = this.free.shift();
    if (!account) throw new Error("every account is in a journey: use more accounts than concurrent journeys");
    this.uses.set(account.email, (this.uses.get(account.email) ?? 0) + 1);
    return account;
  }

  /** Returns an account to the back of the queue. */
  give(account: BenchAccount): void {
    this.free.push(account);
  }

  /** The most journeys any one account has been lent to. */
  mostUses(): number {
    return Math.max(0, ...this.uses.values());
  }
}
