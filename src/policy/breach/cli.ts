import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import zlib from "node:zlib";
import { buildIndex } from "./build";
import { DEFAULT_INDEX_FILE, buildDefaultIndex } from "./default-index";

const USAGE = `Builds the offline breached-password index.

  breach-index --format hibp --input pwnedpasswords.txt [--output ${DEFAULT_INDEX_FILE}]
      the Have I Been Pwned downloader's SHA1:count lines, in hash order (streamed; .gz accepted; - for stdin)
  breach-index --format passwords --input list.txt [--output FILE]
      one password per line, hashed as is
  breach-index --default [--output ${DEFAULT_INDEX_FILE}]
      the default index from the pinned npm password lists`;

/** Where the CLI writes and reads; tests pass their own. */
export interface CliIo {
  stdin: NodeJS.ReadableStream;
  stdout: (line: string) => void;
  stderr: (line: string) => void;
}

/** Runs the builder with command-line `args`; resolves to the exit code. */
export async function runCli(args: string[], io: CliIo): Promise<number> {
  let values: { format?: string; input?: string; output?: string; default?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({
      args,
      options: {
        format: { type: "string" },
        input: { type: "string" },
        output: { type: "string" },
        default: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (error) {
    io.stderr(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (values.help === true) {
    io.stdout(USAGE);
    return 0;
  }
  const output = path.resolve(values.output ?? DEFAULT_INDEX_FILE);
  try {
    if (values.default === true) {
      const result = await buildDefaultIndex(output);
      const lists = result.sources.map((s) => `${s.package}@${s.version}: ${s.entries}`).join(", ");
      io.stdout(`wrote ${output}: ${result.entries} entries from ${lists}`);
      return 0;
    }
    if ((values.format !== "hibp" && values.format !== "passwords") || values.input === undefined) {
      io.stderr(USAGE);
      return 2;
    }
    let input: NodeJS.ReadableStream = values.input === "-" ? io.stdin : fs.createReadStream(values.input);
    if (values.input.endsWith(".gz")) input = input.pipe(zlib.createGunzip());
    const result = await buildIndex(input, output, { format: values.format });
    const rate = result.entries / Math.max(result.seconds, 1e-9) / 1e6;
    io.stdout(`wrote ${output}: ${result.entries} entries in ${result.seconds.toFixed(1)} s (${rate.toFixed(2)} M/s)`);
    return 0;
  } catch (error) {
    io.stderr(`breach-index: ${(error as Error).message}`);
    return 1;
  }
}

if (require.main === module) {
  runCli(process.argv.slice(2), {
    stdin: process.stdin,
    stdout: (line) => process.stdout.write(`${line}\n`),
    stderr: (line) => process.stderr.write(`${line}\n`),
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`${String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
