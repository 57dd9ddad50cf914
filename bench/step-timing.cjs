// Preloaded with `node --require ./bench/step-timing.cjs dist/src/index.js`: times the bot's start-up steps (opening
// the state store, building the services, the password policy and its data, seeding the embedded directory, the app,
// the web channel, listening) by wrapping the built functions that do them, and writes the steps in the order they
// started, with their duration and the growth of the resident set, once the bot logs "bot listening" (or exits): to
// STEP_TIMING_FILE (JSON if its name ends with .json, else text) or to standard error.
const Module = require("node:module");
const fs = require("node:fs");
const path = require("node:path");
const { performance } = require("node:perf_hooks");
const { setImmediate } = require("node:timers");

const dist = path.join(process.cwd(), "dist");
/** What to time: the built module (under dist/), its export, and a static or prototype method of it when a class. */
const TARGETS = [
  ["src/telemetry/open-telemetry.js", "startOpenTelemetry"],
  ["src/state/open-state-store.js", "openStateStore"],
  ["src/services.js", "createServices"],
  ["src/policy/create-policy.js", "createPasswordPolicy"],
  ["src/policy/breach/install.js", "ensureDefaultIndex"],
  ["src/policy/breach/install.js", "openDefaultIndex"],
  ["src/policy/breach/offline.js", "OfflineBreachIndex", "open"],
  ["src/policy/common/detector.js", "CommonPasswordDetector", "load"],
  ["src/policy/common/data-files.js", "ensureBannedTerms"],
  ["src/policy/common/data-files.js", "loadCommonData"],
  ["src/adapters.js", "chooseDirectory"],
  ["src/adapters.js", "chooseMessageSender"],
  ["src/directory/embedded-directory.js", "EmbeddedDirectory", "prototype.startSeeding"],
  ["src/first-login/follow-ups.js", "registerFirstLoginJobs"],
  ["src/telemetry/summary-job.js", "registerDailySummary"],
  ["src/app.js", "createApp"],
  ["src/webchat/web-wiring.js", "createWebChannel"],
  ["src/server.js", "BotServer", "prototype.listen"],
];

/** @type {Array<{ step: string, startMs: number, ms: number, rssMb: number }>} */
const steps = [];
let done = false;

function timed(step, fn) {
  return function timedStep(...args) {
    const t0 = performance.now();
    const rss0 = process.memoryUsage.rss();
    const finish = () => steps.push({ step, startMs: t0, ms: performance.now() - t0, rssMb: (process.memoryUsage.rss() - rss0) / 1048576 });
    let result;
    try {
      result = fn.apply(this, args);
    } catch (error) {
      finish();
      throw error;
    }
    if (result && typeof result.then === "function") result.then(finish, finish);
    else finish();
    return result;
  };
}

function patch(exports, target) {
  const [file, name, member] = target;
  const owner = member ? (member.startsWith("prototype.") ? exports[name]?.prototype : exports[name]) : exports;
  const key = member ? member.replace(/^prototype\./, "") : name;
  if (!owner || typeof owner[key] !== "function") return;
  owner[key] = timed(`${path.basename(file, ".js")}: ${member ? `${name}.${key}` : name}`, owner[key]);
}

const originalLoad = Module._load;
Module._load = function loadAndPatch(request, parent, isMain) {
  const exports = originalLoad.apply(this, arguments);
  if (done || !request.startsWith(".")) return exports;
  let file;
  try {
    file = Module._resolveFilename(request, parent, isMain);
  } catch {
    return exports;
  }
  const relative = path.relative(dist, file);
  for (const target of TARGETS) {
    if (target[0] === relative && !target.patched) {
      target.patched = true;
      patch(exports, target);
    }
  }
  return exports;
};

function report() {
  if (done) return;
  done = true;
  const sorted = steps.sort((a, b) => a.startMs - b.startMs);
  const out = process.env.STEP_TIMING_FILE;
  if (out && out.endsWith(".json")) {
    fs.writeFileSync(out, JSON.stringify({ atMs: performance.now(), steps: sorted }));
    return;
  }
  const lines = sorted.map((s) => `${s.startMs.toFixed(0).padStart(6)} ms  ${s.step.padEnd(50)} ${s.ms.toFixed(0).padStart(6)} ms  rss ${s.rssMb >= 0 ? "+" : ""}${s.rssMb.toFixed(1)} MB`);
  const text = `start-up steps (started at; step; duration; resident set growth), listening at ${performance.now().toFixed(0)} ms:\n${lines.join("\n")}\n`;
  if (out) fs.writeFileSync(out, text);
  else process.stderr.write(text);
}

const originalWrite = fs.write;
fs.write = function watchedWrite(fd, buffer, ...rest) {
  if (!done && fd === 1 && String(buffer).includes('"bot listening"')) setImmediate(report);
  return originalWrite.call(this, fd, buffer, ...rest);
};
const originalWriteSync = fs.writeSync;
fs.writeSync = function watchedWriteSync(fd, buffer, ...rest) {
  const result = originalWriteSync.call(this, fd, buffer, ...rest);
  if (!done && fd === 1 && String(buffer).includes('"bot listening"')) report();
  return result;
};
process.on("exit", report);
