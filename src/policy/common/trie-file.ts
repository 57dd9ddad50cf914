import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import { CodePointHasher } from "./hash-set";
import type { Hash64 } from "./hash-set";
import { ALPHABET_SIZE, normalise } from "./normalise";
import { FUZZY_MIN_LENGTH, MIN_TERM_LENGTH, TermTrie, termSymbols } from "./term-trie";
import { ReversedTrie } from "./trie";

/**
 * The banned-term matcher ({@link TermTrie}) saved as built, so that a process reads it instead of building it
 * (building takes a few hundred milliseconds; reading, a few). Little-endian, every array 4-byte aligned:
 *
 * | offset | size | field |
 * |---|---|---|
 * | 0 | 4 | magic `TRI1` |
 * | 4 | 4 | format ({@link TRIE_FORMAT}) |
 * | 8 | 8 | hash of what the trie was built from ({@link trieInputHash}) |
 * | 16 | 32 | SHA-256 of everything after the header, checked when the file is read |
 * | 48 | … | the exact-terms trie, then the deletions trie, each: nodes, keys, bytes per child (2 or 4), 0, then the child table (padded to 4 bytes), the values and the subtree values |
 */

const MAGIC = 0x31495254; // "TRI1"
/** Bump when {@link TermTrie.build} or this layout changes, so that saved tries are rebuilt. */
export const TRIE_FORMAT = 1;
const HEADER_BYTES = 48;
const DIGEST_AT = 16;
const SECTION_HEADER_BYTES = 16;
const SEPARATOR = 0x100;

/**
 * A hash of everything a trie is built from: the format, the matching settings, the derived terms as written, how
 * each of their characters is folded, and the curated terms' symbols. Derived terms are plain letters (see
 * `coreOf`), so folding them letter by letter is folding them whole; hashing that rather than every term's symbols
 * keeps the check cheap while a change to the normalisation still changes the hash.
 */
export function trieInputHash(derived: readonly string[], curated: readonly string[]): Hash64 {
  const hasher = new CodePointHasher();
  const add = (codes: ArrayLike<number>): void => {
    hasher.add(SEPARATOR);
    for (let i = 0; i < codes.length; i++) hasher.add(codes[i]);
  };
  add([TRIE_FORMAT, ALPHABET_SIZE, FUZZY_MIN_LENGTH, MIN_TERM_LENGTH, derived.length, curated.length]);
  const characters = new Set<string>();
  for (const term of derived) {
    hasher.add(SEPARATOR);
    for (let i = 0; i < term.length; i++) {
      hasher.add(term.charCodeAt(i));
      characters.add(term[i]);
    }
  }
  for (const character of [...characters].sort()) add([character.charCodeAt(0), ...normalise(character).symbols]);
  for (const symbols of termSymbols(curated)) add(symbols);
  return hasher.digest({ hi: 0, lo: 0 });
}

const padded = (bytes: number): number => Math.ceil(bytes / 4) * 4;

function sectionBytes(trie: ReversedTrie): number {
  return SECTION_HEADER_BYTES + padded(trie.next.byteLength) + trie.value.byteLength + trie.below.byteLength;
}

/** The file's bytes for a trie built from input with hash `hash`. */
export function encodeTrie(trie: TermTrie, hash: Hash64): Buffer {
  const sections = [trie.terms, trie.deletions];
  const out = Buffer.alloc(HEADER_BYTES + sections.reduce((n, s) => n + sectionBytes(s), 0));
  out.writeUInt32LE(MAGIC, 0);
  out.writeUInt32LE(TRIE_FORMAT, 4);
  out.writeUInt32LE(hash.lo, 8);
  out.writeUInt32LE(hash.hi, 12);
  let at = HEADER_BYTES;
  for (const section of sections) {
    out.writeUInt32LE(section.nodes, at);
    out.writeUInt32LE(section.keys, at + 4);
    out.writeUInt32LE(section.next.BYTES_PER_ELEMENT, at + 8);
    at += SECTION_HEADER_BYTES;
    for (const array of [section.next, section.value, section.below]) {
      const view = array instanceof Uint16Array ? (i: number) => out.writeUInt16LE(array[i], at + i * 2) : (i: number) => out.writeUInt32LE(array[i] >>> 0, at + i * 4);
      for (let i = 0; i < array.length; i++) view(i);
      at += padded(array.byteLength);
    }
  }
  createHash("sha256").update(out.subarray(HEADER_BYTES)).digest().copy(out, DIGEST_AT);
  return out;
}

/** The input hash recorded in a trie file's header; undefined when the file is missing or not a trie file. */
export function readTrieHash(file: string): Hash64 | undefined {
  let fd: number;
  try {
    fd = fs.openSync(file, "r");
  } catch {
    return undefined;
  }
  try {
    const head = Buffer.alloc(HEADER_BYTES);
    if (fs.readSync(fd, head, 0, HEADER_BYTES, 0) < HEADER_BYTES) return undefined;
    if (head.readUInt32LE(0) !== MAGIC || head.readUInt32LE(4) !== TRIE_FORMAT) return undefined;
    return { lo: head.readUInt32LE(8), hi: head.readUInt32LE(12) };
  } finally {
    fs.closeSync(fd);
  }
}

/** The arrays of one section, as views of the buffer (no copy; the buffer is aligned and little-endian). */
function readSection(buffer: Buffer, at: number): { trie: ReversedTrie; end: number } {
  if (at + SECTION_HEADER_BYTES > buffer.length) throw new Error("the trie file is truncated");
  const nodes = buffer.readUInt32LE(at);
  const keys = buffer.readUInt32LE(at + 4);
  const width = buffer.readUInt32LE(at + 8);
  if (width !== 2 && width !== 4) throw new Error("the trie file has an unknown child width");
  let offset = buffer.byteOffset + at + SECTION_HEADER_BYTES;
  const nextLength = nodes * ALPHABET_SIZE;
  const end = at + SECTION_HEADER_BYTES + padded(nextLength * width) + nodes * 8;
  if (end > buffer.length) throw new Error("the trie file is truncated");
  const next = width === 2 ? new Uint16Array(buffer.buffer, offset, nextLength) : new Int32Array(buffer.buffer, offset, nextLength);
  offset += padded(nextLength * width);
  const value = new Uint32Array(buffer.buffer, offset, nodes);
  const below = new Uint32Array(buffer.buffer, offset + nodes * 4, nodes);
  const trie = ReversedTrie.fromArrays(next, value, below);
  if (trie.keys !== keys) throw new Error("the trie file's key count does not match");
  return { trie, end };
}

/**
 * Reads a trie file written for input with hash `hash`. Undefined when it is missing, was built from other input,
 * is damaged (its contents no longer match their SHA-256), or this machine is big-endian (the caller then builds the
 * trie).
 */
export function readTrieFile(file: string, hash: Hash64): TermTrie | undefined {
  if (os.endianness() !== "LE") return undefined;
  let buffer: Buffer;
  try {
    buffer = fs.readFileSync(file);
  } catch {
    return undefined;
  }
  if (buffer.byteOffset % 4 !== 0) {
    const aligned = Buffer.alloc(buffer.length);
    buffer.copy(aligned);
    buffer = aligned;
  }
  if (buffer.length < HEADER_BYTES || buffer.readUInt32LE(0) !== MAGIC || buffer.readUInt32LE(4) !== TRIE_FORMAT) return undefined;
  if (buffer.readUInt32LE(8) !== hash.lo || buffer.readUInt32LE(12) !== hash.hi) return undefined;
  const digest = createHash("sha256").update(buffer.subarray(HEADER_BYTES)).digest();
  if (!digest.equals(buffer.subarray(DIGEST_AT, DIGEST_AT + 32))) return undefined;
  try {
    const terms = readSection(buffer, HEADER_BYTES);
    const deletions = readSection(buffer, terms.end);
    if (deletions.end !== buffer.length) return undefined;
    return TermTrie.fromTries(terms.trie, deletions.trie);
  } catch {
    return undefined;
  }
}
