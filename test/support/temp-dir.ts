import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/** A temporary folder removed by {@link TempDir.remove}. */
export class TempDir {
  readonly path = fs.mkdtempSync(path.join(os.tmpdir(), "helpdesk-test-"));
  file(name: string): string {
    return path.join(this.path, name);
  }
  remove(): void {
    fs.rmSync(this.path, { recursive: true, force: true });
  }
}
