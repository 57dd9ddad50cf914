/** What one server measured over the counted rounds of `bench:turn`, and the table it is printed in. */
import { addRound } from "./load";
import type { RoundResult } from "./load";

/** Everything measured for one server over the counted rounds. */
export interface Tally {
  ok: number;
  errors: number;
  errorSamples: string[];
  elapsedNs: bigint;
  cpuMicros: number;
  latenciesMs: number[];
  /** Turns per second of each round, to show the spread. */
  perRound: number[];
}

export const emptyTally = (): Tally => ({ ok: 0, errors: 0, errorSamples: [], elapsedNs: 0n, cpuMicros: 0, latenciesMs: [], perRound: [] });

export function add(tally: Tally, round: RoundResult, cpuMicros: number): void {
  addRound(tally, round);
  tally.cpuMicros += cpuMicros;
  tally.perRound.push(turnsPerSecond(round.ok, round.elapsedNs));
}

export function turnsPerSecond(turns: number, elapsedNs: bigint): number {
  return elapsedNs > 0n ? turns / (Number(elapsedNs) / 1e9) : 0;
}

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

const mean = (values: readonly number[]): number => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : Number.NaN);
export const fixed = (value: number, digits: number): string => (Number.isFinite(value) ? value.toFixed(digits) : "n/a");
export const thousands = (value: number): string => (Number.isFinite(value) ? Math.round(value).toLocaleString("en-GB") : "n/a");

/** The measured figures of one server, as printed. */
export interface Figures {
  turnsPerSecond: number;
  p50: number;
  p99: number;
  meanMs: number;
  cpuMsPerTurn: number;
}

export function figures(tally: Tally): Figures {
  const sorted = [...tally.latenciesMs].sort((a, b) => a - b);
  return {
    turnsPerSecond: turnsPerSecond(tally.ok, tally.elapsedNs),
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    meanMs: mean(sorted),
    cpuMsPerTurn: tally.ok ? tally.cpuMicros / 1000 / tally.ok : Number.NaN,
  };
}

/** The printed table: one row per server, in the order given. */
export function printTable(rows: readonly (readonly [string, Tally])[]): void {
  const header = ["", "turns/s", "p50 ms", "p99 ms", "mean ms", "server CPU ms/turn", "turns", "errors", "turns/s per round"];
  const lines = rows.map(([name, tally]) => {
    const f = figures(tally);
    return [
      name,
      thousands(f.turnsPerSecond),
      fixed(f.p50, 1),
      fixed(f.p99, 1),
      fixed(f.meanMs, 1),
      fixed(f.cpuMsPerTurn, 3),
      thousands(tally.ok),
      String(tally.errors),
      tally.perRound.map((v) => thousands(v)).join(" "),
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const format = (cells: string[]): string =>
    cells.map((cell, i) => (i === 0 || i === cells.length - 1 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join("  ").trimEnd();
  console.log(format(header));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const line of lines) console.log(format(line));
  for (const [name, tally] of rows) {
    for (const sample of tally.errorSamples) console.log(`  ${name} error: ${sample}`);
  }
  const errors = rows.reduce((sum, [, tally]) => sum + tally.errors, 0);
  if (errors > 0) console.log(`note: ${errors} turns failed; figures count answered turns only`);
}

/**
 * The bot against a baseline: its cost ratio (baseline turns/s ÷ bot turns/s, the figure the goal is set on), the
 * same per round pair (rounds alternate, so their spread shows how noisy the machine was), server CPU per turn and
 * mean time, with the goal and whether it was met.
 */
export function printRatio(label: string, baseline: Tally, bot: Tally, goal: number): void {
  const e = figures(baseline);
  const b = figures(bot);
  const ratio = e.turnsPerSecond / b.turnsPerSecond;
  const pairs = bot.perRound.map((rate, i) => baseline.perRound[i] / rate).filter(Number.isFinite);
  const sorted = [...pairs].sort((x, y) => x - y);
  const middle = sorted.length / 2;
  const median = sorted.length === 0 ? Number.NaN : sorted.length % 2 === 1 ? sorted[Math.floor(middle)] : (sorted[middle - 1] + sorted[middle]) / 2;
  const met = Number.isFinite(ratio) && ratio <= goal;
  console.log(
    `bot ÷ ${label.padEnd(13)} cost ratio ${fixed(ratio, 2)} (per round pair ${pairs.map((r) => fixed(r, 2)).join(" ")}, median ${fixed(median, 2)}); ` +
      `CPU per turn ${fixed(b.cpuMsPerTurn / e.cpuMsPerTurn, 2)}; mean time ${fixed(b.meanMs / e.meanMs, 2)} — goal ≤ ${goal}: ${met ? "met" : "NOT met"}`,
  );
}
