import path from "node:path";

/** A parsed `STATE_URL`: which backend, and where. */
export type StateLocation =
  | { readonly kind: "memory" }
  | { readonly kind: "sqlite"; readonly file: string }
  | { readonly kind: "redis"; readonly url: string };

/**
 * Parses a keyv-style state URI:
 * - `sqlite://var/state.sqlite` — a path relative to `cwd`;
 * - `sqlite:///abs/path.sqlite` — an absolute path;
 * - `redis://host:port` or `rediss://…`, optionally with `/db`;
 * - `memory://` — process memory, for tests.
 *
 * @param url - the URI
 * @param cwd - what relative SQLite paths are relative to
 * @throws Error naming only the scheme (a Redis URL may carry a password)
 */
export function parseStateUrl(url: string, cwd: string = process.cwd()): StateLocation {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url)?.[1]?.toLowerCase();
  const rest = scheme === undefined ? "" : url.slice(scheme.length + 3);
  switch (scheme) {
    case "memory":
      if (rest !== "") throw new Error("STATE_URL memory:// takes nothing after the scheme.");
      return { kind: "memory" };
    case "sqlite":
      if (rest === "" || rest.startsWith(":memory:") || rest.includes("?")) {
        throw new Error("STATE_URL sqlite:// needs a file path, e.g. sqlite://var/state.sqlite.");
      }
      return { kind: "sqlite", file: path.resolve(cwd, rest) };
    case "redis":
    case "rediss":
      if (!URL.canParse(url) || new URL(url).hostname === "") {
        throw new Error(`STATE_URL ${scheme}:// is not a valid URL, e.g. redis://127.0.0.1:6379.`);
      }
      return { kind: "redis", url };
    default:
      throw new Error(
        `STATE_URL scheme "${scheme ?? "(none)"}" is not supported; use sqlite://, redis://, rediss:// or memory://.`,
      );
  }
}
