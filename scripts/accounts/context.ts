import path from "node:path";
import { StoreAuditLog } from "../../src/audit";
import { loadConfig, readEnvironment } from "../../src/config";
import { EmbeddedDirectory, SecretBox, resolveSecretsKey } from "../../src/directory";
import { DEFAULT_SCRYPT_COST, PasswordHasher } from "../../src/policy/password-hasher";
import { openStateStore } from "../../src/state";
import type { StateStore } from "../../src/state";

/** A mistake in how the command was called: exit code 2 and the usage text. */
export class UsageError extends Error {}

/** A command that ran but could not do what was asked (no such account…): exit code 1, message only. */
export class CommandError extends Error {}

/** What every accounts command works with: the configured store, directory and audit log. */
export interface AccountsContext {
  readonly root: string;
  readonly env: Record<string, string | undefined>;
  readonly store: StateStore;
  readonly directory: EmbeddedDirectory;
  readonly audit: StoreAuditLog;
  /** Hashes passwords at the configured cost (`SCRYPT_LOG2N`, as the bot does). */
  readonly hasher: PasswordHasher;
  /** Prints one line to standard output. */
  out(line: string): void;
}

/**
 * Opens the store named by `STATE_URL` (environment, then `env/.env.<ENV_NAME>[.user]`) with the secrets key from
 * `SECRETS_KEY` or the development key file `var/secrets.key`, exactly as the bot does.
 *
 * @param root - the project folder (where `env/` and `var/` are)
 */
export async function openContext(root: string): Promise<AccountsContext> {
  const env = readEnvironment(process.env, root);
  const config = loadConfig(process.env, root);
  const box = new SecretBox(resolveSecretsKey(env, path.join(root, "var", "secrets.key")));
  const log2N = env.SCRYPT_LOG2N === undefined || env.SCRYPT_LOG2N.trim() === "" ? DEFAULT_SCRYPT_COST.log2N : Number(env.SCRYPT_LOG2N);
  if (!Number.isInteger(log2N) || log2N < 10 || log2N > 20) throw new UsageError("SCRYPT_LOG2N must be a whole number from 10 to 20");
  const store = await openStateStore(config.STATE_URL);
  return {
    root,
    env,
    store,
    directory: new EmbeddedDirectory(store.storage, box),
    // Administrators' actions are audited too; the event is already on screen, so it is not logged again.
    audit: new StoreAuditLog(store.storage, { logger: { info: () => undefined } }),
    hasher: new PasswordHasher({ ...DEFAULT_SCRYPT_COST, log2N }),
    out: (line) => void process.stdout.write(`${line}\n`),
  };
}
