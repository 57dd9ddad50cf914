/** Where the Teams app manifest template and its icons live, and typed reads of it. */
import { readFileSync } from "node:fs";
import path from "node:path";
import type { JsonValue } from "./fill";

/** The folder holding manifest.json, color.png and outline.png. */
export const MANIFEST_DIR = path.resolve(__dirname, "..", "..", "manifest");

/** The files that make up an app package, in the order they are zipped. */
export const PACKAGE_FILES = ["manifest.json", "color.png", "outline.png"] as const;

/** Reads and parses `manifest.json` from `dir` (placeholders still in place). */
export function readManifestTemplate(dir: string = MANIFEST_DIR): JsonValue {
  return JSON.parse(readFileSync(path.join(dir, "manifest.json"), "utf8")) as JsonValue;
}

/**
 * The titles of every bot command in the manifest, across all command lists, in manifest order and without
 * duplicates. The bot must route each of these texts.
 */
export function manifestCommandTitles(manifest: JsonValue = readManifestTemplate()): string[] {
  const titles = new Set<string>();
  for (const bot of arrayAt(manifest, "bots")) {
    for (const list of arrayAt(bot, "commandLists")) {
      for (const command of arrayAt(list, "commands")) {
        const title = objectOf(command)?.title;
        if (typeof title === "string") titles.add(title);
      }
    }
  }
  return [...titles];
}

function objectOf(value: JsonValue | undefined): { [key: string]: JsonValue } | undefined {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? value : undefined;
}

function arrayAt(value: JsonValue, key: string): JsonValue[] {
  const item = objectOf(value)?.[key];
  return Array.isArray(item) ? item : [];
}
