import { createHmac } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { openStateStore } from "../../src/state";
import type { StateStore } from "../../src/state";
import type { KeyedHash } from "../../src/verification/claim-store";

/** HMAC-SHA256 under a fixed test key, as the secret box provides it in the bot. */
export function testHmac(key = "test key"): KeyedHash {
  return (text) => createHmac("sha256", key).update(text, "utf8").digest("hex");
}

/** A clock the test moves by hand. */
export class TestClock {
  constructor(private at: number) {}
  readonly now = (): Date => new Date(this.at);
  advance(ms: number): void {
    this.at += ms;
  }
}

/** A real SQLite state store in a fresh temporary folder, removed by `dispose`; `url` opens it again. */
export async function openSqliteStore(): Promise<{ store: StateStore; url: string; dispose: () => Promise<void> }> {
  const folder = mkdtempSync(path.join(tmpdir(), "verification-"));
  const url = `sqlite://${path.join(folder, "state.sqlite")}`;
  const store = await openStateStore(url);
  return {
    store,
    url,
    dispose: async () => {
      await store.close();
      rmSync(folder, { recursive: true, force: true });
    },
  };
}
