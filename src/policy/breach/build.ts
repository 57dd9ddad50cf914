import { performance } from "node:perf_hooks";
import { PrefixCollector } from "./collector";
import { writeHibpLines } from "./hibp-format";
import { eachLine, lineBlocks } from "./lines";
import type { BuildInput } from "./lines";
import { PrefixWriter } from "./writer";

/** Options for {@link buildIndex}. */
export interface BuildIndexOptions {
  /**
   * `"hibp"`: the Have I Been Pwned downloader's `SHA1HEX:count` lines, already in hash order — streamed, so memory
   * stays flat for any corpus size. `"passwords"`: one password per line (UTF-8, a trailing `\r` stripped, empty
   * lines skipped), hashed as is and sorted in memory (8 bytes per line).
   */
  format: "hibp" | "passwords";
}

/** What {@link buildIndex} wrote. */
export interface BuildIndexResult {
  /** Distinct 8-byte prefixes in the index. */
  entries: number;
  /** Wall-clock time of the build. */
  seconds: number;
}

/** Reads every password line of `input` into `collector`. */
export async function collectPasswords(input: BuildInput, collector: PrefixCollector): Promise<void> {
  for await (const block of lineBlocks(input)) {
    eachLine(block, (start, end) => collector.addPassword(block.subarray(start, end)));
  }
}

/**
 * Builds an offline breach index at `output` (written to a temporary file, then renamed into place).
 * A malformed or out-of-order `"hibp"` line stops the build with its line number and leaves `output` untouched.
 */
export async function buildIndex(
  input: BuildInput,
  output: string,
  opts: BuildIndexOptions,
): Promise<BuildIndexResult> {
  const started = performance.now();
  let collector: PrefixCollector | undefined;
  if (opts.format === "passwords") {
    collector = new PrefixCollector();
    await collectPasswords(input, collector);
  } else if (opts.format !== "hibp") {
    throw new Error(`unknown breach index input format "${String(opts.format)}" (expected "hibp" or "passwords")`);
  }
  const writer = await PrefixWriter.create(output);
  try {
    if (collector) await collector.writeTo(writer);
    else await writeHibpLines(input, writer);
    const entries = await writer.finish();
    return { entries, seconds: (performance.now() - started) / 1000 };
  } catch (error) {
    await writer.abort();
    throw error;
  }
}
