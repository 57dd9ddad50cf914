import fs from "node:fs";
import path from "node:path";
import { DEFAULT_INDEX_FILE, DEFAULT_INDEX_SOURCES, buildDefaultIndex, manifestFile } from "./default-index";
import type { DefaultIndexManifest } from "./default-index";
import { FORMAT_VERSION } from "./format";
import { OfflineBreachIndex } from "./offline";
import type { OfflineIndexOptions } from "./offline";

/**
 * The index at `file`, opened, when the manifest beside it records exactly the pinned sources and the index opens with
 * its entry count; undefined otherwise.
 */
function openIfCurrent(file: string, options: OfflineIndexOptions = {}): OfflineBreachIndex | undefined {
  try {
    const manifest = JSON.parse(fs.readFileSync(manifestFile(file), "utf8")) as DefaultIndexManifest;
    if (manifest.format !== FORMAT_VERSION || manifest.sources.length !== DEFAULT_INDEX_SOURCES.length) return undefined;
    const same = DEFAULT_INDEX_SOURCES.every((source, i) => {
      const recorded = manifest.sources[i];
      return (
        recorded.package === source.package &&
        recorded.version === source.version &&
        recorded.file === source.file &&
        recorded.sha256 === source.sha256
      );
    });
    if (!same) return undefined;
    const index = OfflineBreachIndex.open(file, options);
    if (index.entries === manifest.entries) return index;
    void index.close();
    return undefined;
  } catch {
    return undefined;
  }
}

/**
 * Makes sure `<projectRoot>/var/breach-index.bin` exists and was built from the pinned lists: builds it if it is
 * missing, unreadable, or recorded as built from other sources. Safe to call at install time and at every start.
 */
export async function ensureDefaultIndex(projectRoot: string): Promise<"built" | "present"> {
  const file = path.resolve(projectRoot, DEFAULT_INDEX_FILE);
  const current = openIfCurrent(file);
  if (current) {
    await current.close();
    return "present";
  }
  await buildDefaultIndex(file);
  return "built";
}

/**
 * Opens `<projectRoot>/var/breach-index.bin`, building it first as {@link ensureDefaultIndex} does when it is missing,
 * unreadable or built from other sources. The file is checked once, not once to decide and again to open.
 */
export async function openDefaultIndex(projectRoot: string, options: OfflineIndexOptions = {}): Promise<OfflineBreachIndex> {
  const file = path.resolve(projectRoot, DEFAULT_INDEX_FILE);
  const current = openIfCurrent(file, options);
  if (current) return current;
  await buildDefaultIndex(file);
  return OfflineBreachIndex.open(file, options);
}
