/** What the index builder reads: a byte or text stream, or an async iterable of lines. */
export type BuildInput = AsyncIterable<string> | NodeJS.ReadableStream;

/** A line longer than this is taken as a sign of the wrong input. */
const MAX_LINE_BYTES = 1 << 20;
const LF = 0x0a;
const CR = 0x0d;

function isStream(input: BuildInput): input is NodeJS.ReadableStream {
  return typeof (input as { pipe?: unknown }).pipe === "function";
}

/**
 * Yields buffers each holding whole lines, so callers can parse lines synchronously without a promise per line.
 * A stream is read as chunks of bytes or text, split at `\n`; any other async iterable yields lines (an item may
 * also hold several `\n`-separated lines). Only the current chunk and one partial line are held at a time.
 */
export async function* lineBlocks(input: BuildInput): AsyncGenerator<Buffer> {
  if (!isStream(input)) {
    for await (const item of input) yield Buffer.from(item.endsWith("\n") ? item : `${item}\n`, "utf8");
    return;
  }
  let carry: Buffer | undefined;
  for await (const chunk of input) {
    let data = typeof chunk === "string" ? Buffer.from(chunk, "utf8") : chunk;
    if (carry !== undefined) {
      // Finish the partial line with the head of this chunk; the rest is used in place, not copied.
      const first = data.indexOf(LF);
      if (first < 0) {
        carry = Buffer.concat([carry, data]);
        if (carry.length > MAX_LINE_BYTES) throw new Error(`input has a line longer than ${MAX_LINE_BYTES} bytes`);
        continue;
      }
      yield Buffer.concat([carry, data.subarray(0, first + 1)]);
      carry = undefined;
      data = data.subarray(first + 1);
    }
    const last = data.lastIndexOf(LF);
    if (last < 0) {
      if (data.length > MAX_LINE_BYTES) throw new Error(`input has a line longer than ${MAX_LINE_BYTES} bytes`);
      if (data.length > 0) carry = Buffer.from(data);
      continue;
    }
    if (last + 1 < data.length) carry = Buffer.from(data.subarray(last + 1));
    yield data.subarray(0, last + 1);
  }
  if (carry !== undefined) yield carry;
}

/**
 * Calls `onLine(start, end)` for each non-empty line of `block`, a trailing `\r` excluded; returns how many lines
 * (empty ones included) the block held, for line numbers.
 */
export function eachLine(block: Uint8Array, onLine: (start: number, end: number) => void): number {
  let lines = 0;
  let pos = 0;
  const length = block.length;
  while (pos < length) {
    let newline = block.indexOf(LF, pos);
    if (newline < 0) newline = length;
    let end = newline;
    if (end > pos && block[end - 1] === CR) end--;
    lines++;
    if (end > pos) onLine(pos, end);
    pos = newline + 1;
  }
  return lines;
}
