/**
 * The figures and the table `bench/footprint.ts` prints: medians with min–max, differences taken round by round (the
 * runs alternate, so drift in the machine falls on both sides of a pair alike), and each goal met or not.
 */

/** A set of measurements of one quantity. */
export interface Spread {
  median: number;
  min: number;
  max: number;
}

/** Median, minimum and maximum of a non-empty list. */
export function spread(values: readonly number[]): Spread {
  if (values.length === 0) throw new Error("no measurements");
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1] };
}

/** Round-by-round differences `a[i] - b[i]`. */
export function pairedDifferences(a: readonly number[], b: readonly number[]): number[] {
  return a.map((value, i) => value - b[i]);
}

/** One row of the table. */
export interface Row {
  what: string;
  unit: "ms" | "MB";
  /** What the bot is compared with, and its measurements. */
  baseLabel: string;
  base: readonly number[];
  bot: readonly number[];
  /** The most the bot may exceed the base by (same unit); none for a row shown for information. */
  allowance?: number;
  goal: string;
}

function figure(value: number, unit: Row["unit"], signed = false): string {
  const text = unit === "ms" ? value.toFixed(0) : value.toFixed(1);
  return signed && value >= 0 ? `+${text}` : text;
}

function cell(values: readonly number[], unit: Row["unit"], signed = false): string {
  const s = spread(values);
  return `${figure(s.median, unit, signed)} (${figure(s.min, unit, signed)} to ${figure(s.max, unit, signed)})`;
}

/** The table: base, bot, their difference (median of round-by-round differences, with its range), goal, met. */
export function formatTable(rows: readonly Row[]): string {
  const header = ["", "compared with", "base: median (min to max)", "bot: median (min to max)", "difference", "goal", ""];
  const lines = rows.map((row) => {
    const differences = pairedDifferences(row.bot, row.base);
    const met = row.allowance === undefined ? "" : spread(differences).median <= row.allowance ? "met" : "NOT met";
    return [
      `${row.what} (${row.unit})`,
      row.baseLabel,
      cell(row.base, row.unit),
      cell(row.bot, row.unit),
      cell(differences, row.unit, true),
      row.goal,
      met,
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((line) => line[i].length)));
  const render = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i])).join("  ").trimEnd();
  return [render(header), render(widths.map((w) => "-".repeat(w))), ...lines.map(render)].join("\n");
}
