import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { CURATED_TERMS } from "./curated-terms";
import { DERIVE_SETTINGS, deriveFromLists } from "./derive";
import { HashSet64, hashCodePoints } from "./hash-set";
import type { Hash64 } from "./hash-set";
import { MIN_LIST_ENTRY_LENGTH } from "./list-spans";
import { readRankedLists, sourceVersions } from "./sources";
import { FUZZY_MIN_LENGTH, TermTrie, termSymbols } from "./term-trie";
import { encodeTrie, readTrieFile, readTrieHash, trieInputHash } from "./trie-file";

/** The banned base words derived from the lists, one per line, relative to the project root. */
export const BANNED_TERMS_FILE = path.join("var", "banned-terms.txt");
/** Hashes of every list entry for the whole-password check, relative to the project root. */
export const COMMON_LIST_FILE = path.join("var", "common-passwords.bin");
/** The banned-term matcher built from the banned terms and the curated ones, relative to the project root. */
export const TERM_TRIE_FILE = path.join("var", "term-trie.bin");

/** Bump when the derivation or the file formats change, so that existing files are rebuilt. */
const FORMAT = 1;
const MAGIC = 0x31485043; // "CPH1"
const HEADER_BYTES = 16;
const FINGERPRINT_PREFIX = "# fingerprint: ";

/** Where the data files are. */
export interface DataFileOptions {
  /** A folder to keep the files in instead of `<projectRoot>/var`. */
  dataDir?: string;
}

/** What {@link ensureBannedTerms} did. */
export interface EnsureResult {
  /** False when the files were already there and up to date. */
  built: boolean;
  termsFile: string;
  listFile: string;
  trieFile: string;
  seconds: number;
}

/** The data as loaded. */
export interface CommonData {
  /** Derived banned terms (folded). */
  terms: string[];
  list: HashSet64;
  /** The matcher over the derived and the curated terms. */
  trie: TermTrie;
}

interface DataPaths {
  termsFile: string;
  listFile: string;
  trieFile: string;
}

function files(projectRoot: string, options: DataFileOptions): DataPaths {
  const at = (file: string): string => (options.dataDir ? path.join(options.dataDir, path.basename(file)) : path.join(projectRoot, file));
  return { termsFile: at(BANNED_TERMS_FILE), listFile: at(COMMON_LIST_FILE), trieFile: at(TERM_TRIE_FILE) };
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
 * is missing or was built from other package versions or settings; then the banned-term matcher file, only when it
 * is missing or was built from other terms or settings. Synchronous (a few seconds when it builds); call it from
 * `postinstall` or at service start. Throws if a list package is not installed, unless the list files are already
 * there (then they are used as they are).
 */
export function ensureBannedTerms(projectRoot: string, options: DataFileOptions = {}): EnsureResult {
  const started = performance.now();
  const paths = files(projectRoot, options);
  const listsBuilt = ensureListFiles(projectRoot, paths);
  const trie = ensureTermTrie(paths);
  return { built: listsBuilt || trie.built, ...paths, seconds: (performance.now() - started) / 1000 };
}

/** The terms and list files: built unless present and current; true when built. */
function ensureListFiles(projectRoot: string, { termsFile, listFile }: DataPaths): boolean {
  const found = readFingerprint(termsFile);
  const existing = readListHeader(listFile);
  let expected: string;
  try {
    expected = fingerprint(projectRoot);
  } catch (error) {
    // The list packages are gone (a pruned deployment): files built earlier are still good to use.
    if (found !== undefined && existing?.fingerprint === fingerprintHash(found)) return false;
    throw error;
  }
  if (found === expected && existing?.fingerprint === fingerprintHash(expected)) return false;
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
  return true;
}

/** The derived terms in the terms file (comments left out). */
function readTerms(termsFile: string): string[] {
  return fs
    .readFileSync(termsFile, "utf8")
    .split("\n")
    .filter((line) => line.length > 0 && !line.startsWith("#"));
}

/**
 * The matcher file: built from the terms file and the curated terms unless it records the same input. Returns the
 * matcher when it was built here (so a caller need not read it back).
 */
function ensureTermTrie({ termsFile, trieFile }: DataPaths, terms: readonly string[] = readTerms(termsFile)): { built: boolean; trie?: TermTrie; hash: Hash64 } {
  const hash = trieInputHash(terms, CURATED_TERMS);
  const recorded = readTrieHash(trieFile);
  if (recorded?.hi === hash.hi && recorded.lo === hash.lo) return { built: false, hash };
  return { ...buildTermTrie(trieFile, terms, hash), hash };
}

/**
 * Builds the matcher and saves it. A file that cannot be written (a read-only deployment) is not an error: the
 * matcher is then built in memory each time.
 */
function buildTermTrie(trieFile: string, terms: readonly string[], hash: Hash64): { built: boolean; trie: TermTrie } {
  const trie = TermTrie.build(termSymbols([...terms, ...CURATED_TERMS]), FUZZY_MIN_LENGTH);
  try {
    writeAtomically(trieFile, encodeTrie(trie, hash));
  } catch {
    return { built: false, trie };
  }
  return { built: true, trie };
}

/** Reads the data files, building them first if needed (see {@link ensureBannedTerms}). */
export function loadCommonData(projectRoot: string, options: DataFileOptions = {}): CommonData {
  const paths = files(projectRoot, options);
  ensureListFiles(projectRoot, paths);
  const { termsFile, listFile, trieFile } = paths;
  const terms = readTerms(termsFile);
  const ensured = ensureTermTrie(paths, terms);
  // A matcher file with the right header but a damaged body is built and saved again.
  const trie = ensured.trie ?? readTrieFile(trieFile, ensured.hash) ?? buildTermTrie(trieFile, terms, ensured.hash).trie;
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
  return { terms, list: new HashSet64(words), trie };
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
