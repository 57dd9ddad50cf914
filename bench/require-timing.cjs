// Preloaded with `node --require ./bench/require-timing.cjs dist/src/index.js`: times every `require` the process
// makes until the bot logs "bot listening" (or exits), and writes a report to REQUIRE_TIMING_FILE (JSON) or to
// standard error (text).
//
// For each package (or project file) it records the time its modules took to load, not counting the packages
// they load in turn ("self"), the time of the outermost require that first entered it ("inclusive"), and the growth
// of the heap and of the resident set while it loaded (inclusive, so nested packages are counted in their parents).
// A REQUIRE_TIMING_FILE ending in .json gets every row as JSON; any other name gets the text report.
const Module = require("node:module");
const fs = require("node:fs");
const path = require("node:path");
const { performance } = require("node:perf_hooks");
const { setImmediate } = require("node:timers");

const root = process.cwd();
const started = performance.now();
/** @type {Map<string, { self: number, inclusive: number, heap: number, rss: number, modules: number, firstAt: number, from: string }>} */
const places = new Map();
/** @type {Array<{ place: string, childTime: number }>} */
const stack = [];
let done = false;

/** Which package (or project file) a resolved module belongs to. */
function placeOf(file) {
  if (!file || !path.isAbsolute(file)) return `node:${file}`;
  const at = file.lastIndexOf(`${path.sep}node_modules${path.sep}`);
  if (at >= 0) {
    const parts = file.slice(at + 14).split(path.sep);
    return parts[0].startsWith("@") ? `${parts[0]}/${parts[1]}` : parts[0];
  }
  return path.relative(root, file);
}

const originalLoad = Module._load;
Module._load = function timedLoad(request, parent, isMain) {
  if (done) return originalLoad.apply(this, arguments);
  let file;
  try {
    file = Module._resolveFilename(request, parent, isMain);
  } catch {
    return originalLoad.apply(this, arguments);
  }
  if (Module._cache[file] || !path.isAbsolute(file)) return originalLoad.apply(this, arguments);
  const place = placeOf(file);
  const caller = stack.length > 0 ? stack[stack.length - 1].place : "(entry)";
  const entering = caller !== place;
  const frame = { place, childTime: 0 };
  stack.push(frame);
  const t0 = performance.now();
  const before = entering ? process.memoryUsage() : undefined;
  try {
    return originalLoad.apply(this, arguments);
  } finally {
    stack.pop();
    const elapsed = performance.now() - t0;
    let entry = places.get(place);
    if (!entry) {
      entry = { self: 0, inclusive: 0, heap: 0, rss: 0, modules: 0, firstAt: t0 - started, from: caller };
      places.set(place, entry);
    }
    entry.modules += 1;
    entry.self += elapsed - frame.childTime;
    if (stack.length > 0) stack[stack.length - 1].childTime += elapsed;
    if (entering && before) {
      const after = process.memoryUsage();
      // Only the outermost entry into a package counts towards its inclusive figures (no double counting of re-entry).
      if (!stack.some((f) => f.place === place)) {
        entry.inclusive += elapsed;
        entry.heap += after.heapUsed - before.heapUsed;
        entry.rss += after.rss - before.rss;
      }
    }
  }
};

function report() {
  if (done) return;
  done = true;
  const rows = [...places].map(([place, e]) => ({ place, ...e }));
  const out = process.env.REQUIRE_TIMING_FILE;
  const summary = { sinceStartMs: performance.now() - started, rssMb: process.memoryUsage().rss / 1048576, rows };
  if (out && out.endsWith(".json")) {
    fs.writeFileSync(out, JSON.stringify(summary));
    return;
  }
  const top = (key, n) => [...rows].sort((a, b) => b[key] - a[key]).slice(0, n);
  const line = (r) =>
    `${r.place.padEnd(60)} self ${r.self.toFixed(0).padStart(5)} ms  incl ${r.inclusive.toFixed(0).padStart(5)} ms  ` +
    `heap ${(r.heap / 1048576).toFixed(1).padStart(6)} MB  rss ${(r.rss / 1048576).toFixed(1).padStart(6)} MB  (${r.modules} modules, from ${r.from})`;
  const text = [
    `modules required before listening: ${rows.reduce((n, r) => n + r.modules, 0)}, ` +
      `${rows.reduce((t, r) => t + r.self, 0).toFixed(0)} ms in all; at ${summary.sinceStartMs.toFixed(0)} ms, rss ${summary.rssMb.toFixed(0)} MB`,
    `-- by self time`,
    ...top("self", 25).map(line),
    `-- by inclusive time`,
    ...top("inclusive", 25).map(line),
    `-- by resident set growth`,
    ...top("rss", 20).map(line),
    "",
  ].join("\n");
  if (out) fs.writeFileSync(out, text);
  else process.stderr.write(text);
}

// The bot logs "bot listening" through pino, which writes to file descriptor 1 directly.
const originalWriteSync = fs.writeSync;
fs.writeSync = function watchedWriteSync(fd, buffer, ...rest) {
  const result = originalWriteSync.call(this, fd, buffer, ...rest);
  if (!done && fd === 1 && String(buffer).includes('"bot listening"')) report();
  return result;
};
const originalWrite = fs.write;
fs.write = function watchedWrite(fd, buffer, ...rest) {
  if (!done && fd === 1 && String(buffer).includes('"bot listening"')) setImmediate(report);
  return originalWrite.call(this, fd, buffer, ...rest);
};
process.on("exit", report);
