/** Builds the Teams app package: the filled manifest and the two icons, zipped at the root of one file. */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { strToU8, zipSync } from "fflate";
import { fillTemplate, type JsonValue, type TemplateEnv } from "./fill";
import { MANIFEST_DIR, PACKAGE_FILES, readManifestTemplate } from "./template";

/** A GUID as the manifest schema accepts it (Microsoft App IDs and Teams app ids). */
const GUID = /^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$/;

/** Zip entry time, fixed so that the same inputs give byte-identical packages. */
const ENTRY_TIME = new Date(Date.UTC(2020, 0, 1));

/** Inputs to {@link buildAppPackage}. */
export interface PackageOptions {
  /** Variables that fill the manifest placeholders. */
  readonly env: TemplateEnv;
  /** The environment name; the zip is called `appPackage.<envName>.zip`. */
  readonly envName: string;
  /** The folder the zip is written to (created if needed). */
  readonly outDir: string;
  /** The folder holding the manifest template and icons; defaults to `manifest/`. */
  readonly manifestDir?: string;
}

/** What {@link buildAppPackage} produced. */
export interface AppPackage {
  /** The absolute path of the zip written. */
  readonly zipPath: string;
  /** The filled manifest, exactly as written into the zip. */
  readonly manifest: JsonValue;
}

/** Thrown when a variable the package needs is missing or malformed; the message says how to fix it. */
export class PackageConfigError extends Error {
  override readonly name = "PackageConfigError";
}

/**
 * Checks the ids, fills the manifest and writes `appPackage.<envName>.zip` holding manifest.json, color.png and
 * outline.png at its root.
 * @throws {@link PackageConfigError} when BOT_ID or TEAMS_APP_ID is not a GUID.
 * @throws `UnfilledPlaceholdersError` (from `./fill`) naming every placeholder that has no value.
 */
export function buildAppPackage(options: PackageOptions): AppPackage {
  const manifestDir = options.manifestDir ?? MANIFEST_DIR;
  const userFile = `env/.env.${options.envName}.user`;
  requireGuid(options.env, "BOT_ID", `the bot's Microsoft App ID (from its Azure Bot / Entra app registration)`,
    userFile);
  requireGuid(options.env, "TEAMS_APP_ID", "the Teams app id (any GUID, kept stable for this environment)",
    `env/.env.${options.envName}`);

  const manifest = fillTemplate(readManifestTemplate(manifestDir), options.env);
  const entries: Record<string, Uint8Array> = {};
  for (const file of PACKAGE_FILES) {
    entries[file] = file === "manifest.json"
      ? strToU8(`${JSON.stringify(manifest, null, 2)}\n`)
      : readFileSync(path.join(manifestDir, file));
  }
  const zip = zipSync(entries, { level: 9, mtime: ENTRY_TIME });

  mkdirSync(options.outDir, { recursive: true });
  const zipPath = path.resolve(options.outDir, `appPackage.${options.envName}.zip`);
  writeFileSync(zipPath, zip);
  return { zipPath, manifest };
}

function requireGuid(env: TemplateEnv, key: string, meaning: string, where: string): void {
  const value = env[key];
  if (value !== undefined && GUID.test(value)) return;
  const problem = value ? `${key} is not a GUID (${JSON.stringify(value)})` : `${key} is not set`;
  throw new PackageConfigError(
    `${problem}. Set ${key} to ${meaning} in ${where}, as ${key}=xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx, ` +
    `or in the environment.`);
}
