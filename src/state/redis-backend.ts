import KeyvRedis, { createClient } from "@keyv/redis";
import Keyv from "keyv";
import type { Backend, Namespace } from "./backend";
import { claimEntry, keyvOptions } from "./stored-entry";

/**
 * Atomic compare-and-set: write ARGV[1] at KEYS[1] when nothing is there or the stored entry's `value.eTag`
 * equals ARGV[2]. Redis runs a script without interleaving any other command, so two instances racing with the
 * same eTag cannot both succeed.
 */
const WRITE_IF_MATCH = `
local current = redis.call('GET', KEYS[1])
if current then
  local ok, entry = pcall(cjson.decode, current)
  if not ok or type(entry) ~= 'table' or type(entry.value) ~= 'table' or entry.value.eTag ~= ARGV[2] then
    return 0
  end
end
redis.call('SET', KEYS[1], ARGV[1])
return 1
`;

/** Namespaces that may share the client, each with its own listeners on it (the bot opens about fifteen). */
const MAX_NAMESPACES = 64;

/**
 * A Redis server: one client shared by one @keyv/redis adapter per namespace. The adapter keeps keys as
 * `<namespace>::<key>`; the atomic write goes through the same client with a Lua script, and a claim is one
 * `SET … NX PX`, which Redis expires by itself. native() hands out the same client with the prefix `<name>::`.
 *
 * The client connects at once and reconnects for ever with capped back-off. While it is disconnected, commands
 * wait at most `timeoutMs` to be sent and then fail, so a turn fails rather than hangs; ping() is bounded too.
 *
 * @param url - `redis://` or `rediss://` URL, optionally with `/db`
 * @param timeoutMs - bound on connecting, on a command waiting for the connection, and on ping()
 */
export function redisBackend(url: string, timeoutMs: number): Backend {
  const client = createClient({
    url,
    socket: {
      connectTimeout: timeoutMs,
      reconnectStrategy: (retries: number) => Math.min(100 * 2 ** retries, 2000),
    },
    commandOptions: { timeout: timeoutMs },
  });
  // Connection errors are reported through failing commands and ping(); without a listener they would crash.
  client.on("error", () => undefined);
  // Each namespace's adapter listens to the shared client for its connection events: the namespaces are a fixed set
  // (about fifteen), so Node's default of 10 listeners per event would only print a false leak warning.
  client.setMaxListeners(MAX_NAMESPACES);
  // connect() marks the client open synchronously, so the adapters use it as is and never race to connect it.
  const connecting = client.connect().then(
    () => undefined,
    () => undefined,
  );

  return {
    kind: "redis",
    open(name: string): Namespace {
      const adapter = new KeyvRedis(client, { namespace: name, throwOnErrors: true });
      return {
        // keyv's namespace tells the adapter its prefix; useKeyPrefix is off so keys are not prefixed twice.
        keyv: new Keyv<unknown>(adapter, keyvOptions(name)),
        writer: {
          writeIfMatch: async (key, entry, expectedETag) => {
            const written = await client.eval(WRITE_IF_MATCH, {
              keys: [adapter.createKeyPrefix(key, name)],
              arguments: [entry, expectedETag],
            });
            return written === 1;
          },
        },
        claim: async (key, ttlMs) => {
          const entry = claimEntry(ttlMs, Date.now());
          const set = await client.set(adapter.createKeyPrefix(key, name), entry, { NX: true, PX: ttlMs });
          return set === "OK";
        },
      };
    },
    native: (name) => ({ kind: "redis", client, keyPrefix: `${name}::` }),
    ping: async () => {
      const answered = await within(client.ping(), timeoutMs);
      if (!answered) throw new Error(`Redis did not answer PING within ${timeoutMs} ms.`);
    },
    close: async () => {
      // node-redis completes a socket that was being opened even after destroy(), leaving it open; so let an
      // attempt under way settle (bounded) before deciding how to close.
      if (client.isOpen && !client.isReady) await within(connecting, timeoutMs);
      // close() waits for commands in flight; destroy() also stops a connection that is still being retried.
      if (client.isReady) await client.close();
      else if (client.isOpen) client.destroy();
    },
  };
}

/** Resolves true when `promise` settles within `ms`, false when it does not (a rejection is rethrown). */
async function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([promise.then(() => true), timedOut]);
  } finally {
    clearTimeout(timer);
  }
}
