/**
 * The figures `npm run bench:journey` prints: each step's latency, resets per second, the help-card turns of other
 * people alone and while resets run, the bot's CPU per reset, and the goals beside what was measured.
 */
import { STEPS } from "./journey-steps";
import { failures } from "./journey-load";
import type { JourneyRound } from "./journey-load";
import type { PacedResult } from "./paced-load";

/** The help-card p99 while resets run may be at most this many times the p99 measured alone. */
export const GOAL_P99_RATIO = 1.5;

/** One measured phase: what ran, how long it took and the bot's CPU meanwhile. */
export interface Phase {
  journeys?: JourneyRound;
  help?: PacedResult;
  /** The bot's user + system CPU over the phase, every thread, in microseconds. */
  cpuMicros: number;
  /** This process's (the load generator's) user + system CPU over the phase, in microseconds. */
  loadCpuMicros: number;
  /** The phase's wall time, in nanoseconds. */
  wallNs: bigint;
}

/** The three measured phases of a run, the last two pooled over their rounds. */
export interface RunPhases {
  journeysAlone: Phase & { journeys: JourneyRound };
  helpAlone: Phase & { help: PacedResult };
  both: Phase & { journeys: JourneyRound; help: PacedResult };
  /** Each round's help-card turns, alone and with resets, in the order they ran. */
  rounds: { alone: PacedResult[]; both: PacedResult[] };
}

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** p50, p99 and the largest of some latencies. */
function spread(values: readonly number[]): { p50: number; p99: number; max: number } {
  const sorted = [...values].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted.length ? sorted[sorted.length - 1] : Number.NaN };
}

const fixed = (value: number, digits: number): string => (Number.isFinite(value) ? value.toFixed(digits) : "n/a");
/** CPU seconds over a phase, and the cores that kept busy on average. */
const cpuCell = (micros: number, wallNs: bigint): string => `${fixed(micros / 1e6, 1)} (${fixed(micros / 1e3 / Number(wallNs / 1_000_000n), 2)})`;
const seconds = (ns: bigint): number => Number(ns) / 1e9;
const resetsPerSecond = (round: JourneyRound): number => (round.elapsedNs > 0n ? round.completed / seconds(round.elapsedNs) : Number.NaN);

/** Prints rows under a header, the first column left-aligned and the others right-aligned. */
function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const format = (cells: string[]): string => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join("  ").trimEnd();
  console.log(format(header));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const row of rows) console.log(format(row));
}

function printSteps(alone: JourneyRound, both: JourneyRound): void {
  const row = (name: string, a: readonly number[], b: readonly number[]): string[] => {
    const x = spread(a);
    const y = spread(b);
    return [name, fixed(x.p50, 1), fixed(x.p99, 1), fixed(y.p50, 1), fixed(y.p99, 1)];
  };
  printTable(
    ["journey step (ms)", "alone p50", "alone p99", "with help-card p50", "with help-card p99"],
    [
      ...STEPS.map((step) => row(step, alone.stepMs[step], both.stepMs[step])),
      row("whole journey", alone.journeyMs, both.journeyMs),
      row("(code in outbox)", alone.codeWaitMs, both.codeWaitMs),
    ],
  );
  console.log("(code in outbox): not a turn; from the number step's answer until its text was read from the outbox file");
}

function printPhases(run: RunPhases): void {
  const { journeysAlone, helpAlone, both } = run;
  const dash = "—";
  const journeyCells = (round: JourneyRound | undefined, cell: (r: JourneyRound) => string): string => (round ? cell(round) : dash);
  const helpCells = (help: PacedResult | undefined, cell: (h: PacedResult) => string): string => (help ? cell(help) : dash);
  const phases: Phase[] = [journeysAlone, helpAlone, both];
  const helpSpread = (h: PacedResult): string => {
    const s = spread(h.latenciesMs);
    return `${fixed(s.p50, 1)} / ${fixed(s.p99, 1)} / ${fixed(s.max, 1)}`;
  };
  printTable(
    ["", "journeys alone", "help-card alone", "journeys + help-card"],
    [
      ["resets completed", ...phases.map((p) => journeyCells(p.journeys, (r) => String(r.completed)))],
      ["resets/s", ...phases.map((p) => journeyCells(p.journeys, (r) => fixed(resetsPerSecond(r), 2)))],
      ["journeys failed", ...phases.map((p) => journeyCells(p.journeys, (r) => String(failures(r))))],
      ["help-card turns ok / errors", ...phases.map((p) => helpCells(p.help, (h) => `${h.ok} / ${h.errors}`))],
      ["help-card p50 / p99 / max ms", ...phases.map((p) => helpCells(p.help, helpSpread))],
      ["help-card send lag max ms", ...phases.map((p) => helpCells(p.help, (h) => fixed(h.maxLagMs, 1)))],
      ["wall s", ...phases.map((p) => fixed(seconds(p.wallNs), 1))],
      ["bot CPU s (cores busy)", ...phases.map((p) => cpuCell(p.cpuMicros, p.wallNs))],
      ["load generator CPU s (cores busy)", ...phases.map((p) => cpuCell(p.loadCpuMicros, p.wallNs))],
    ],
  );
  for (const [name, phase] of [["journeys alone", journeysAlone], ["with help-card", both]] as const) {
    const failedAt = Object.entries(phase.journeys.failedAt).map(([step, n]) => `${step} ${n}`).join(", ");
    if (failedAt) console.log(`  ${name}: journeys failed at ${failedAt}`);
    for (const sample of phase.journeys.errorSamples) console.log(`  ${name} journey error: ${sample}`);
  }
  for (const [name, help] of [["help-card alone", helpAlone.help], ["help-card with resets", both.help]] as const) {
    for (const sample of help.errorSamples) console.log(`  ${name} error: ${sample}`);
  }
}

/** The bot's CPU per completed reset: alone, and with the help-card turns' share (at their cost alone) taken off. */
function printCpu(run: RunPhases): void {
  const { journeysAlone, helpAlone, both } = run;
  const perReset = journeysAlone.journeys.completed ? journeysAlone.cpuMicros / 1e3 / journeysAlone.journeys.completed : Number.NaN;
  const perHelpTurn = helpAlone.help.ok ? helpAlone.cpuMicros / 1e3 / helpAlone.help.ok : Number.NaN;
  const helpShare = perHelpTurn * (both.help.ok + both.help.errors);
  const perResetBoth = both.journeys.completed ? (both.cpuMicros / 1e3 - helpShare) / both.journeys.completed : Number.NaN;
  console.log(`bot CPU per completed reset: ${fixed(perReset, 0)} ms (journeys alone); ${fixed(perResetBoth, 0)} ms with help-card turns running (their share at ${fixed(perHelpTurn, 2)} ms/turn, as measured alone, taken off)`);
}

function printGoals(run: RunPhases): void {
  const alone = spread(run.helpAlone.help.latenciesMs).p99;
  const withResets = spread(run.both.help.latenciesMs).p99;
  const ratio = withResets / alone;
  const journeys = run.journeysAlone.journeys.completed + run.both.journeys.completed;
  const failed = failures(run.journeysAlone.journeys) + failures(run.both.journeys);
  const helpTurns = run.helpAlone.help.ok + run.both.help.ok;
  const helpErrors = run.helpAlone.help.errors + run.both.help.errors;
  const verdict = (met: boolean): string => (met ? "met" : "NOT met");
  printTable(
    ["goal", "measured", ""],
    [
      [
        `help-card p99 while resets run ≤ ${GOAL_P99_RATIO} × help-card p99 alone`,
        `${fixed(withResets, 1)} ms vs ${fixed(alone, 1)} ms alone (${fixed(ratio, 2)}×; ${run.rounds.alone.length} rounds pooled)`,
        verdict(Number.isFinite(ratio) && ratio <= GOAL_P99_RATIO),
      ],
      [
        "  each round's p99, alone → with resets",
        run.rounds.alone.map((round, i) => `${fixed(spread(round.latenciesMs).p99, 1)} → ${fixed(spread(run.rounds.both[i].latenciesMs).p99, 1)}`).join(", "),
        "",
      ],
      ["no journey fails", `${failed} of ${journeys + failed}`, verdict(failed === 0)],
      ["no help-card turn fails", `${helpErrors} of ${helpTurns + helpErrors}`, verdict(helpErrors === 0)],
    ],
  );
}

/** Prints every table of the run. */
export function printReport(run: RunPhases): void {
  printSteps(run.journeysAlone.journeys, run.both.journeys);
  console.log("");
  printPhases(run);
  console.log("");
  printCpu(run);
  console.log("");
  printGoals(run);
}
