import path from "node:path";
import type * as Resvg from "@resvg/resvg-js";
import type { SummaryHour } from "./daily-summary";
import { ukHour, ukHourLabel } from "./uk-clock";
import { ukShortDate } from "../uk-time";

/**
 * The chart's colours on its white background (WCAG 2.2 AA): text 4.5:1 or more, the bars and the line 3:1 or more.
 * The two series differ in shape (bars, and a line with dots) as well as colour, and the line has a white edge, so
 * it stands out from the bars it crosses for anyone, whatever colours they see.
 */
export const SUMMARY_CHART_COLOURS = {
  background: "#ffffff",
  /** Labels and the legend: 14.4:1. */
  text: "#212b32",
  /** The axis line: 6.4:1. */
  axis: "#4c6272",
  /** Grid lines: decoration only (each is labelled in text). */
  grid: "#d8dde0",
  /** Resets completed, the bars: 6.4:1. */
  resets: "#005eb8",
  /** Help requests, the line and its dots: 5.0:1. */
  requests: "#b45309",
} as const;

/** The chart's size in the SVG's own units; the PNG is drawn at {@link SUMMARY_CHART_SCALE} times this. */
export const SUMMARY_CHART_SIZE = { width: 480, height: 240 } as const;
/** Drawn at twice its size, for sharp text on high-resolution screens: 960 × 480 pixels (Teams takes up to 1024 × 1024). */
export const SUMMARY_CHART_SCALE = 2;

const FONT_FAMILY = "Atkinson Hyperlegible";
/** Atkinson Hyperlegible (the Braille Institute's face for low vision), shipped with the code so every host draws the same. */
const FONT_FILES = ["400Regular/AtkinsonHyperlegible_400Regular.ttf", "700Bold/AtkinsonHyperlegible_700Bold.ttf"].map((file) =>
  path.join(path.dirname(require.resolve("@expo-google-fonts/atkinson-hyperlegible/package.json")), file),
);

const PLOT = { left: 36, right: 470, top: 40, bottom: 182 } as const;

/**
 * The chart as SVG: resets completed each hour as bars, help requests each hour as a line with dots, on one scale,
 * with the hours in UK time along the bottom (every three hours, the date under midnight) and a legend above.
 */
export function summaryChartSvg(hours: readonly SummaryHour[]): string {
  const c = SUMMARY_CHART_COLOURS;
  const { width, height } = SUMMARY_CHART_SIZE;
  const { step, top } = scaleFor(Math.max(0, ...hours.flatMap((h) => [h.resetsCompleted, h.handoffsRequested])));
  const slot = (PLOT.right - PLOT.left) / Math.max(1, hours.length);
  const y = (value: number): number => PLOT.bottom - (value / top) * (PLOT.bottom - PLOT.top);
  const parts: string[] = [];
  const text = (x: number, yAt: number, words: string, attributes = ""): void =>
    void parts.push(`<text x="${n(x)}" y="${n(yAt)}" ${attributes}>${escapeXml(words)}</text>`);

  // The scale: a grid line and a number at each step.
  for (let value = 0; value <= top; value += step) {
    if (value > 0) parts.push(`<line x1="${PLOT.left}" x2="${PLOT.right}" y1="${n(y(value))}" y2="${n(y(value))}" stroke="${c.grid}" stroke-width="1"/>`);
    text(PLOT.left - 8, y(value) + 5, String(value), `text-anchor="end"`);
  }
  // Resets completed: a bar in the middle of each hour's slot.
  hours.forEach((hour, i) => {
    if (hour.resetsCompleted <= 0) return;
    const barTop = y(hour.resetsCompleted);
    parts.push(`<rect x="${n(PLOT.left + i * slot + slot * 0.2)}" y="${n(barTop)}" width="${n(slot * 0.6)}" height="${n(PLOT.bottom - barTop)}" fill="${c.resets}"/>`);
  });
  parts.push(`<line x1="${PLOT.left}" x2="${PLOT.right}" y1="${PLOT.bottom}" y2="${PLOT.bottom}" stroke="${c.axis}" stroke-width="1.5"/>`);
  // Help requests: a line through the middle of each hour's slot, edged in white, with a dot at each hour.
  const points = hours.map((hour, i) => `${n(PLOT.left + (i + 0.5) * slot)},${n(y(hour.handoffsRequested))}`).join(" ");
  if (hours.length > 0) {
    parts.push(`<polyline points="${points}" fill="none" stroke="${c.background}" stroke-width="6" stroke-linejoin="round"/>`);
    parts.push(`<polyline points="${points}" fill="none" stroke="${c.requests}" stroke-width="2.5" stroke-linejoin="round"/>`);
    hours.forEach((hour, i) => parts.push(`<circle cx="${n(PLOT.left + (i + 0.5) * slot)}" cy="${n(y(hour.handoffsRequested))}" r="3.5" fill="${c.requests}" stroke="${c.background}" stroke-width="1.5"/>`));
  }
  // The hours: a tick and a label at the start of every third hour; the date under the first label and midnight.
  const labelled = hours.map((hour, i) => ({ at: new Date(hour.hour), i })).filter(({ at }) => ukHour(at) % 3 === 0);
  const midnight = labelled.find(({ at }) => ukHour(at) === 0);
  for (const { at, i } of labelled) {
    const x = PLOT.left + i * slot;
    parts.push(`<line x1="${n(x)}" x2="${n(x)}" y1="${PLOT.bottom}" y2="${PLOT.bottom + 5}" stroke="${c.axis}" stroke-width="1.5"/>`);
    text(x, PLOT.bottom + 21, ukHourLabel(at), `text-anchor="middle"`);
    // The first label's date only when it cannot run into midnight's.
    const dated = at === midnight?.at || (i === labelled[0].i && (midnight === undefined || (midnight.i - i) * slot >= 100));
    if (dated) text(x, PLOT.bottom + 42, ukShortDate(at), `text-anchor="middle" font-weight="700"`);
  }
  // The legend, and what the numbers count.
  parts.push(`<rect x="4" y="9" width="14" height="14" fill="${c.resets}"/>`);
  text(24, 21, "Resets completed");
  const second = 152;
  parts.push(`<line x1="${second}" x2="${second + 22}" y1="16" y2="16" stroke="${c.requests}" stroke-width="2.5"/>`);
  parts.push(`<circle cx="${second + 11}" cy="16" r="3.5" fill="${c.requests}" stroke="${c.background}" stroke-width="1.5"/>`);
  text(second + 28, 21, "Help requests");
  text(PLOT.right, 21, "Each hour, UK time", `text-anchor="end"`);

  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<rect width="${width}" height="${height}" fill="${c.background}"/>`,
    `<g font-family="${FONT_FAMILY}" font-size="15" fill="${c.text}">`,
    ...parts,
    "</g>",
    "</svg>",
  ].join("\n");
}

/**
 * The chart as a PNG data URI for an Adaptive Card's Image, drawn off the event loop with the font shipped with the
 * code (no system fonts), so it looks the same on every host.
 */
export async function renderSummaryChart(hours: readonly SummaryHour[]): Promise<string> {
  // Loaded on the first chart, once a day: nothing at start needs it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded lazily; import() would bypass the test runner's TypeScript loader
  const { renderAsync } = require("@resvg/resvg-js") as typeof Resvg;
  const image = await renderAsync(summaryChartSvg(hours), {
    background: SUMMARY_CHART_COLOURS.background,
    fitTo: { mode: "zoom", value: SUMMARY_CHART_SCALE },
    font: { loadSystemFonts: false, fontFiles: FONT_FILES, defaultFontFamily: FONT_FAMILY, sansSerifFamily: FONT_FAMILY },
  });
  return `data:image/png;base64,${image.asPng().toString("base64")}`;
}

/** A scale from 0 with at most 5 steps of 1, 2 or 5 times a power of ten; at least 0 to 4, so an empty day has a grid. */
function scaleFor(max: number): { step: number; top: number } {
  for (let power = 1; ; power *= 10) {
    for (const step of [power, 2 * power, 5 * power]) {
      if (Math.ceil(max / step) <= 5) return { step, top: Math.max(Math.ceil(max / step), step === 1 ? 4 : 1) * step };
    }
  }
}

/** A coordinate with at most one decimal place. */
function n(value: number): string {
  return String(Math.round(value * 10) / 10);
}

function escapeXml(words: string): string {
  return words.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}
