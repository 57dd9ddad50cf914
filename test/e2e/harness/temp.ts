/**
 * Temporary folders for the harness, removed when done, and removed synchronously at process exit too (an
 * interrupted run, Ctrl+C included, then leaves nothing behind in the system's temporary folder).
 *
 * @packageDocumentation
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const live = new Set<string>();
let hooked = false;

/** Creates a new folder under the system's temporary folder, named `<prefix>XXXXXX`. */
export async function makeTempDir(prefix: string): Promise<string> {
  const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), prefix));
  live.add(dir);
  if (!hooked) {
    hooked = true;
    process.on("exit", () => {
      for (const left of live) fs.rmSync(left, { recursive: true, force: true });
    });
  }
  return dir;
}

/** Removes a folder made by {@link makeTempDir}. */
export async function removeTempDir(dir: string): Promise<void> {
  await fs.promises.rm(dir, { recursive: true, force: true });
  live.delete(dir);
}
