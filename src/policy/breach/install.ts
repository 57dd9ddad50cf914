import fs from "node:fs";
import path from "node:path";
import { DEFAULT_INDEX_FILE, DEFAULT_INDEX_SOURCES, buildDefaultIndex, manifestFile } from "./default-index";
import type { DefaultIndexManifest } from "./default-index";
import { FORMAT_VERSION } from "./format";
import { OfflineBreachIndex } from "./offline";

/** Whether the manifest beside `file` records exactly the pinned sources and the index opens with its entry count. */
function isCurrent(file: string): boolean {
  try {
    const manifest = JSON.parse(fs.readFileSync(manifestFile(file), "utf8")) as DefaultIndexManifest;
    if (manifest.format !== FORMAT_VERSION || manifest.sources.length !== DEFAULT_INDEX_SOURCES.length) return false;
    const same = DEFAULT_INDEX_SOURCES.every((source, i) => {
      const recorded = manifest.sources[i];
      return (
        recorded.package === source.package &&
        recorded.version === source.version &&
        recorded.file === source.file &&
        recorded.sha256 === source.sha256
      );
    });
    if (!same) return false;
    const index = OfflineBreachIndex.open(file);
    const entries = index.entries;
    void index.close();
    return entries === manifest.entries;
  } catch {
    return false;
  }
}

/**
 * Makes sure `<projectRoot>/var/breach-index.bin` exists and was built from the pinned lists: builds it if it is
 * missing, unreadable, or recorded as built from other sources. Safe to call at install time and at every start.
 */
export async function ensureDefaultIndex(projectRoot: string): Promise<"built" | "present"> {
  const file = path.resolve(projectRoot, DEFAULT_INDEX_FILE);
  if (isCurrent(file)) return "present";
  await buildDefaultIndex(file);
  return "built";
}
