import assert from "node:assert/strict";
import { PNG } from "pngjs";
import type { SummaryHour } from "../../src/telemetry/daily-summary";
import { SUMMARY_CHART_COLOURS, renderSummaryChart, summaryChartSvg } from "../../src/telemetry/summary-chart";
import { contrastRatio, parseColour } from "../support/contrast";

const HOUR = 3600_000;

/** 24 hours from 8am UK time on Tuesday 1 December 2026 (GMT), busy in the day and quiet at night. */
function day(start = Date.parse("2026-12-01T08:00:00Z")): SummaryHour[] {
  const resets = [0, 1, 3, 5, 6, 4, 3, 2, 4, 5, 3, 2, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 4];
  const requests = [0, 0, 1, 2, 1, 0, 1, 0, 2, 3, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1];
  return resets.map((r, i) => ({ hour: new Date(start + i * HOUR).toISOString(), resetsCompleted: r, handoffsRequested: requests[i] }));
}

/** The pixels of a PNG data URI. */
function decode(uri: string): PNG {
  assert.match(uri, /^data:image\/png;base64,/);
  return PNG.sync.read(Buffer.from(uri.slice(uri.indexOf(",") + 1), "base64"));
}

/** How many pixels are (nearly) this colour. */
function pixelsOf(png: PNG, colour: string): number {
  const { r, g, b } = parseColour(colour);
  let found = 0;
  for (let i = 0; i < png.data.length; i += 4) {
    if (Math.abs(png.data[i] - r) + Math.abs(png.data[i + 1] - g) + Math.abs(png.data[i + 2] - b) < 12) found += 1;
  }
  return found;
}

describe("the daily summary's chart", () => {
  it("meets WCAG 2.2 AA on its white background: text 4.5:1, bars and line 3:1", () => {
    const background = parseColour(SUMMARY_CHART_COLOURS.background);
    const ratio = (colour: string): number => contrastRatio(parseColour(colour), background);
    assert.ok(ratio(SUMMARY_CHART_COLOURS.text) >= 4.5, "text");
    for (const graphic of [SUMMARY_CHART_COLOURS.resets, SUMMARY_CHART_COLOURS.requests, SUMMARY_CHART_COLOURS.axis]) assert.ok(ratio(graphic) >= 3, graphic);
  });

  it("labels the hours in UK time, the dates under the first label and midnight, and has a legend", () => {
    const svg = summaryChartSvg(day());
    for (const label of ["9am", "midday", "3pm", "6pm", "9pm", "midnight", "3am", "6am", "Tue 1 Dec", "Wed 2 Dec", "Resets completed", "Help requests", "Each hour, UK time"]) {
      assert.ok(svg.includes(`>${label}<`), label);
    }
    // In summer the same UTC hours read an hour later: 07:00 UTC is 8am BST.
    const summer = summaryChartSvg(day(Date.parse("2026-06-30T07:00:00Z")));
    assert.ok(summer.includes(">9am<") && summer.includes(">midnight<") && summer.includes(">Wed 1 Jul<"));
  });

  it("is a PNG of 960 × 480 pixels, well under Teams' limits, with its text drawn in the shipped font", async () => {
    const uri = await renderSummaryChart(day());
    const png = decode(uri);
    assert.deepEqual([png.width, png.height], [960, 480], "within Teams' 1024 × 1024");
    assert.ok(uri.length < 100_000, `${uri.length} characters: far below Teams' 1 MB for a picture`);
    assert.ok(pixelsOf(png, SUMMARY_CHART_COLOURS.resets) > 10_000, "the bars are drawn");
    assert.ok(pixelsOf(png, SUMMARY_CHART_COLOURS.requests) > 1_000, "the line is drawn");
    assert.ok(pixelsOf(png, SUMMARY_CHART_COLOURS.text) > 1_500, "the labels are drawn (no system font needed)");
  });

  it("an empty day still has its scale, hours and legend", async () => {
    const quiet = day().map((hour) => ({ ...hour, resetsCompleted: 0, handoffsRequested: 0 }));
    const svg = summaryChartSvg(quiet);
    for (const tick of ["0", "1", "2", "3", "4"]) assert.ok(svg.includes(`>${tick}<`), tick);
    assert.equal((svg.match(/<rect /g) ?? []).length, 2, "the background and the legend's square: no bars");
    assert.deepEqual([decode(await renderSummaryChart(quiet)).width], [960]);
  });
});
