import { randomBytes, timingSafeEqual } from "node:crypto";
import { sharedHashingPool } from "./hashing-pool";
import type { HashingPool } from "./hashing-pool";

/** scrypt cost settings. */
export interface ScryptCost {
  /** log2 of N, the CPU/memory cost (N = 2^log2N). */
  log2N: number;
  /** Block size. */
  r: number;
  /** Parallelism. */
  p: number;
}

/** The default: N = 2^15, r = 8, p = 1 (32 MiB and tens of milliseconds per hash), 16-byte salt, 32-byte key. */
export const DEFAULT_SCRYPT_COST: ScryptCost = { log2N: 15, r: 8, p: 1 };

const KEY_LENGTH = 32;
const SALT_LENGTH = 16;
const FORMAT = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/]+={0,2})\$([A-Za-z0-9+/]+={0,2})$/;

/**
 * scrypt of the secret, on the pool's worker threads. Each hash keeps a core busy for tens of milliseconds; the workers
 * (one core fewer than the machine has, at least one) run at the lowest scheduling priority, so the main thread, and
 * with it other people's turns, gets a core first. See `HashingPool`.
 */
function derive(pool: HashingPool, secret: string, salt: Buffer, cost: ScryptCost): Promise<Buffer> {
  const N = 2 ** cost.log2N;
  // Secrets are compared as a person typed them, normalised so that é typed two ways is one password.
  return pool.scrypt(secret.normalize("NFC"), salt, KEY_LENGTH, { N, r: cost.r, p: cost.p, maxmem: 256 * N * cost.r });
}

/**
 * Salted, slow hashes for passwords, password history and account secrets. Stored as
 * `$scrypt$ln=15,r=8,p=1$<salt>$<key>` (base64), so the cost can be raised later without breaking old hashes.
 */
export class PasswordHasher {
  /** `pool`: where the hashes run; the process's shared pool unless given another (tests). */
  constructor(
    private readonly cost: ScryptCost = DEFAULT_SCRYPT_COST,
    private readonly pool: HashingPool = sharedHashingPool(),
  ) {}

  /** Hashes a secret with a fresh random salt. */
  async hash(secret: string): Promise<string> {
    const salt = randomBytes(SALT_LENGTH);
    const key = await derive(this.pool, secret, salt, this.cost);
    const { log2N, r, p } = this.cost;
    return `$scrypt$ln=${log2N},r=${r},p=${p}$${salt.toString("base64")}$${key.toString("base64")}`;
  }

  /** True when `secret` is the one behind `encoded` (case-sensitive, constant-time compare). False for a malformed hash. */
  async verify(secret: string, encoded: string): Promise<boolean> {
    const match = FORMAT.exec(encoded);
    if (!match) return false;
    const cost = { log2N: Number(match[1]), r: Number(match[2]), p: Number(match[3]) };
    if (cost.log2N < 10 || cost.log2N > 20 || cost.r < 1 || cost.p < 1) return false;
    const expected = Buffer.from(match[5], "base64");
    const key = await derive(this.pool, secret, Buffer.from(match[4], "base64"), cost);
    return key.length === expected.length && timingSafeEqual(key, expected);
  }

  /** True when `secret` matches any of the hashes. Every hash is checked, so timing does not say which one matched. */
  async matchesAny(secret: string, encoded: readonly string[]): Promise<boolean> {
    const results = await Promise.all(encoded.map((hash) => this.verify(secret, hash)));
    return results.some(Boolean);
  }
}
