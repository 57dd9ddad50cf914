import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { DERIVE_SETTINGS, deriveFromLists } from "./derive";
import { HashSet64, hashCodePoints } from "./hash-set";
import { MIN_LIST_ENTRY_LENGTH } from "./list-spans";
import { readRankedLists, sourceVersions } from "./sources";

/** The banned base words derived from the lists, one per line, relative to the project root. */
export const BANNED_TERMS_FILE = path.join("var", "banned-terms.txt");
/** Hashes of every list entry for the whole-password check, relative to the project root. */
export const COMMON_LIST_FILE = path.join("var", "common-passwords.bin");

/** Bump when the derivation or the file formats change, so that existing files are rebuilt. */
const FORMAT = 1;
const MAGIC = 0x31485043; // "CPH1"
const HEADER_BYTES = 16;
const FINGERPRINT_PREFIX = "# fingerprint: ";

/** Where the data files are. */
export interface DataFileOptions {
  /** A folder to keep both files in instead of `<projectRoot>/var`. */
  dataDir?: string;
}

/** What {@link ensureBannedTerms} did. */
export interface EnsureResult {
  /** False when the files were already there and up to date. */
  built: boolean;
  termsFile: string;
  listFile: string;
  seconds: number;
}

/** The data as loaded. */
export interface CommonData {
  /** Derived banned terms (folded). */
  terms: string[];
  list: HashSet64;
}

function files(projectRoot: string, options: DataFileOptions): { termsFile: string; listFile: string } {
  const dir = options.dataDir;
  return {
    termsFile: dir ? path.join(dir, path.basename(BANNED_TERMS_FILE)) : path.join(projectRoot, BANNED_TERMS_FILE),
    listFile: dir ? path.join(dir, path.basename(COMMON_LIST_FILE)) : path.join(projectRoot, COMMON_LIST_FILE),
  };
}

/** Identifies what the files were built from and how; a change means a rebuild. */
function fingerprint(projectRoot: string): string {
  const s = DERIVE_SETTINGS;
  return [
    `format=${FORMAT}`,
    ...sourceVersions(projectRoot),
    `minVariants=${s.minVariants}`,
    `termLength=${s.minLength}-${s.maxLength}`,
    `minEntry=${MIN_LIST_ENTRY_LENGTH}`,
  ].join(" ");
}

function fingerprintHash(text: string): number {
  return hashCodePoints(Array.from(text, (c) => c.codePointAt(0) ?? 0)).lo;
}

/**
 * Builds the banned-terms file and the common-list hash file from the installed list packages, only when either
 * is missing or was built from other package versions or settings. Synchronous (a few seconds when it builds);
 * call it from `postinstall` or at service start. Throws if a list package is not installed, unless both files
 * are already there (then they are used as they are).
 */
export function ensureBannedTerms(projectRoot: string, options: DataFileOptions = {}): EnsureResult {
  const started = performance.now();
  const { termsFile, listFile } = files(projectRoot, options);
  const done = (built: boolean): EnsureResult => ({ built, termsFile, listFile, seconds: (performance.now() - started) / 1000 });
  const found = readFingerprint(termsFile);
  const existing = readListHeader(listFile);
  let expected: string;
  try {
    expected = fingerprint(projectRoot);
  } catch (error) {
    // The list packages are gone (a pruned deployment): files built earlier are still good to use.
    if (found !== undefined && existing?.fingerprint === fingerprintHash(found)) return done(false);
    throw error;
  }
  if (found === expected && existing?.fingerprint === fingerprintHash(expected)) return done(false);
  const lists = readRankedLists(projectRoot);
  const derived = deriveFromLists(lists);
  const words = HashSet64.encode(derived.entryHashes);
  const header = new Uint32Array([MAGIC, fingerprintHash(expected), words.length / 2, 0]);
  const text = [
    `# Banned base words for the common-password check, derived from ${lists.map((l) => l.source).join(", ")}:`,
    `# the core of each entry (digits and symbols around it stripped, substitutions undone, i and l written l) that at`,
    `# least ${DERIVE_SETTINGS.minVariants} distinct entries share. Generated; do not edit (curated terms live in src/policy/common).`,
    `${FINGERPRINT_PREFIX}${expected}`,
    ...derived.terms,
    "",
  ].join("\n");
  writeAtomically(listFile, Buffer.concat([bytes(header), bytes(words)]));
  writeAtomically(termsFile, Buffer.from(text, "utf8"));
  return done(true);
}

/** Reads both files, building them first if needed (see {@link ensureBannedTerms}). */
export function loadCommonData(projectRoot: string, options: DataFileOptions = {}): CommonData {
  const { termsFile, listFile } = ensureBannedTerms(projectRoot, options);
  const terms = fs
    .readFileSync(termsFile, "utf8")
    .split("\n")
    .filter((line) => line.length > 0 && !line.startsWith("#"));
  const buffer = fs.readFileSync(listFile);
  const header = readListHeader(listFile, buffer);
  if (!header) throw new Error(`${listFile} is not a common-password hash file`);
  if (buffer.length !== HEADER_BYTES + header.count * 8) throw new Error(`${listFile} is truncated`);
  let words: Uint32Array;
  if (os.endianness() === "LE" && buffer.byteOffset % 4 === 0) {
    words = new Uint32Array(buffer.buffer, buffer.byteOffset + HEADER_BYTES, header.count * 2);
  } else {
    words = new Uint32Array(header.count * 2);
    for (let i = 0; i < words.length; i++) words[i] = buffer.readUInt32LE(HEADER_BYTES + i * 4);
  }
  return { terms, list: new HashSet64(words) };
}

function readFingerprint(file: string): string | undefined {
  if (!fs.existsSync(file)) return undefined;
  const fd = fs.openSync(file, "r");
  try {
    const head = Buffer.alloc(2048);
    const read = fs.readSync(fd, head, 0, head.length, 0);
    const line = head.subarray(0, read).toString("utf8").split("\n").find((l) => l.startsWith(FINGERPRINT_PREFIX));
    return line?.slice(FINGERPRINT_PREFIX.length);
  } finally {
    fs.closeSync(fd);
  }
}

function readListHeader(file: string, contents?: Buffer): { fingerprint: number; count: number } | undefined {
  let head = contents;
  if (!head) {
    if (!fs.existsSync(file)) return undefined;
    const fd = fs.openSync(file, "r");
    try {
      head = Buffer.alloc(HEADER_BYTES);
      if (fs.readSync(fd, head, 0, HEADER_BYTES, 0) < HEADER_BYTES) return undefined;
    } finally {
      fs.closeSync(fd);
    }
  }
  if (head.length < HEADER_BYTES || head.readUInt32LE(0) !== MAGIC) return undefined;
  return { fingerprint: head.readUInt32LE(4), count: head.readUInt32LE(8) };
}

function bytes(words: Uint32Array): Buffer {
  const out = Buffer.alloc(words.length * 4);
  for (let i = 0; i < words.length; i++) out.writeUInt32LE(words[i], i * 4);
  return out;
}

function writeAtomically(file: string, contents: Buffer): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, contents);
  fs.renameSync(temp, file);
}
