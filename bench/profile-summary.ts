/**
 * Summarises a V8 `.cpuprofile` (as written by `BENCH_CPU_PROF=<dir> npm run bench:turn`) in text:
 * busy time by where the code lives (self time), the functions with the most self time, and the functions with
 * the most inclusive time (time with the function anywhere on the stack, counted once per sample).
 *
 * Usage: `npx tsx bench/profile-summary.ts <file.cpuprofile> [--turns N] [--top N] [--grep REGEX]`
 * With `--turns`, times are also shown in microseconds per turn.
 */
import fs from "node:fs";
import path from "node:path";

/** The parts of V8's profile format that are read here. */
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

/** Self and inclusive microseconds of one function (name + file + line). */
interface FunctionTime {
  label: string;
  selfMicros: number;
  totalMicros: number;
}

/** Where a frame's code lives: a package, a project folder, Node's own code or V8. */
function placeOf(url: string, functionName: string, root: string): string {
  if (url === "") return functionName.startsWith("(") ? functionName : "(V8 builtins and native code)";
  const modules = url.lastIndexOf("/node_modules/");
  if (modules >= 0) {
    const rest = url.slice(modules + "/node_modules/".length).split("/");
    return rest[0].startsWith("@") ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  if (url.startsWith("node:")) return `node:${url.slice(5).replace(/^internal\//, "").split("/")[0]}`;
  const file = url.startsWith("file://") ? new URL(url).pathname : url;
  const relative = path.relative(root, file);
  return relative.startsWith("..") ? file : `project ${relative}`;
}

function labelOf(node: ProfileNode, root: string): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const name = functionName || "(anonymous)";
  if (url === "") return name;
  const file = url.startsWith("file://") ? new URL(url).pathname : url;
  const shown = file.includes("/node_modules/") ? file.slice(file.lastIndexOf("/node_modules/") + 14) : path.relative(root, file);
  return `${name}  ${shown.startsWith("..") ? file : shown}:${lineNumber + 1}`;
}

function parseArgs(argv: string[]): { file: string; turns?: number; top: number; grep?: RegExp } {
  let file: string | undefined;
  let turns: number | undefined;
  let top = 25;
  let grep: RegExp | undefined;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === "--turns") turns = Number(argv[(i += 1)]);
    else if (arg === "--top") top = Number(argv[(i += 1)]);
    else if (arg === "--grep") grep = new RegExp(argv[(i += 1)] ?? "", "i");
    else file = arg;
  }
  if (!file) throw new Error("usage: tsx bench/profile-summary.ts <file.cpuprofile> [--turns N] [--top N] [--grep REGEX]");
  return { file, turns: turns && turns > 0 ? turns : undefined, top: top > 0 ? top : 25, grep };
}

function main(): void {
  const { file, turns, top, grep } = parseArgs(process.argv.slice(2));
  const root = path.resolve(__dirname, "..");
  const profile = JSON.parse(fs.readFileSync(file, "utf8")) as CpuProfile;

  const byId = new Map<number, ProfileNode>();
  const parent = new Map<number, number>();
  for (const node of profile.nodes) {
    byId.set(node.id, node);
    for (const child of node.children ?? []) parent.set(child, node.id);
  }

  const selfByNode = new Map<number, number>();
  profile.samples.forEach((id, i) => {
    // A sample stands for the time until the next one.
    const micros = profile.timeDeltas[i + 1] ?? 0;
    selfByNode.set(id, (selfByNode.get(id) ?? 0) + micros);
  });

  const functions = new Map<string, FunctionTime>();
  const places = new Map<string, number>();
  let total = 0;
  let idle = 0;
  for (const [id, micros] of selfByNode) {
    const node = byId.get(id);
    if (!node) continue;
    total += micros;
    const place = placeOf(node.callFrame.url, node.callFrame.functionName, root);
    if (place === "(idle)") {
      idle += micros;
      continue;
    }
    places.set(place, (places.get(place) ?? 0) + micros);
    // Inclusive time: every distinct function on this node's stack gets the sample's time once.
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at);
      if (!frame || frame.callFrame.functionName === "(root)") continue;
      const label = labelOf(frame, root);
      if (seen.has(label)) continue;
      seen.add(label);
      const entry = functions.get(label) ?? { label, selfMicros: 0, totalMicros: 0 };
      entry.totalMicros += micros;
      if (at === id) entry.selfMicros += micros;
      functions.set(label, entry);
    }
  }

  const busy = total - idle;
  const share = (micros: number): string => `${((100 * micros) / busy).toFixed(1).padStart(5)}%`;
  const perTurn = (micros: number): string => (turns ? `${(micros / turns).toFixed(1).padStart(7)} µs/turn` : "");
  const line = (micros: number, label: string): string => `  ${share(micros)} ${perTurn(micros)}  ${label}`;

  console.log(`${path.basename(file)}: ${(total / 1e6).toFixed(2)} s sampled, ${(busy / 1e6).toFixed(2)} s busy` + (turns ? `, ${turns} turns` : ""));
  console.log("\nbusy time by where the code lives (self time):");
  for (const [place, micros] of [...places].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(line(micros, place));
  console.log("\nfunctions by self time:");
  for (const f of [...functions.values()].sort((a, b) => b.selfMicros - a.selfMicros).slice(0, top)) console.log(line(f.selfMicros, f.label));
  console.log("\nfunctions by inclusive time:");
  const inclusive = [...functions.values()].filter((f) => !grep || grep.test(f.label)).sort((a, b) => b.totalMicros - a.totalMicros);
  for (const f of inclusive.slice(0, grep ? inclusive.length : top)) console.log(line(f.totalMicros, f.label));
}

main();
