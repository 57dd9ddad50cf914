import { storeOverBackend } from "./backend";
import { memoryBackend } from "./memory-backend";
import type * as RedisBackendModule from "./redis-backend";
import { sqliteBackend } from "./sqlite-backend";
import type { StateStore, StateStoreOptions } from "./state-store";
import { parseStateUrl } from "./state-url";

const DEFAULT_TIMEOUT_MS = 2000;

/**
 * Opens the bot's state store from a keyv-style URI (see {@link parseStateUrl}): `sqlite://var/state.sqlite`
 * (relative to the working directory; the folder is created), `sqlite:///abs/path.sqlite`,
 * `redis://127.0.0.1:6379[/db]` or `memory://` (tests only).
 *
 * A SQLite file is opened at once, so a bad path fails here. Redis connects in the background and keeps
 * reconnecting, so the bot can start while Redis is briefly away; {@link StateStore.ping} tells when it is.
 *
 * @throws Error for an unsupported scheme or a SQLite file that cannot be opened
 */
export async function openStateStore(url: string, options: StateStoreOptions = {}): Promise<StateStore> {
  const location = parseStateUrl(url);
  const prefix = options.namespacePrefix ?? "";
  switch (location.kind) {
    case "memory":
      return storeOverBackend(memoryBackend(), prefix);
    case "redis":
      return storeOverBackend(loadRedis().redisBackend(location.url, options.timeoutMs ?? DEFAULT_TIMEOUT_MS), prefix);
    case "sqlite":
      return openSqlite(location.file, prefix);
  }
}

/** Opens the file at once, so that a bad path or an unwritable folder fails at start rather than on a turn. */
async function openSqlite(file: string, prefix: string): Promise<StateStore> {
  let store: StateStore | undefined;
  try {
    store = storeOverBackend(sqliteBackend(file), prefix);
    await store.ping();
    return store;
  } catch (error) {
    await store?.close();
    throw new Error(`Cannot open the SQLite state file ${file}.`, { cause: error });
  }
}

/** The Redis backend (and its client library), loaded only for a Redis store: SQLite and memory need neither. */
function loadRedis(): typeof RedisBackendModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded lazily; import() would bypass the test runner's TypeScript loader
  return require("./redis-backend") as typeof RedisBackendModule;
}
