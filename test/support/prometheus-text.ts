/**
 * A strict reader of the Prometheus text exposition format (version 0.0.4), for tests that scrape `/metrics`: it
 * throws on any line it does not understand. The npm parser (parse-prometheus-text-format 1.1.1) cannot be used: it
 * throws on an unlabelled histogram whose _count and _sum come before its buckets, as OpenTelemetry writes them, and
 * drops a labelled histogram's labels.
 */

/** One sample line. */
export interface PrometheusSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** A metric family: its HELP, TYPE and (when given) UNIT lines, and its samples in order. */
export interface PrometheusFamily {
  name: string;
  help?: string;
  type: string;
  unit?: string;
  samples: PrometheusSample[];
}

/** One series of a histogram: its labels (without `le`), cumulative bucket counts by `le`, count and sum. */
export interface HistogramSeries {
  labels: Record<string, string>;
  buckets: Record<string, number>;
  count?: number;
  sum?: number;
}

const NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
const META = new RegExp(`^#\\s+(HELP|TYPE|UNIT)\\s+(${NAME})(?:\\s(.*))?$`);
const SAMPLE = new RegExp(`^(${NAME})(?:\\{(.*)\\})?\\s+(\\S+)(?:\\s+(-?\\d+))?$`);
const LABEL = /\s*([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*(?:,|$)/y;
const TYPES = new Set(["counter", "gauge", "histogram", "summary", "untyped"]);

/** Reads a scrape into its families, keyed by family name. */
export function parsePrometheusText(text: string): Map<string, PrometheusFamily> {
  const families = new Map<string, PrometheusFamily>();
  const family = (name: string): PrometheusFamily => {
    let found = families.get(name);
    if (!found) families.set(name, (found = { name, type: "untyped", samples: [] }));
    return found;
  };
  for (const line of text.split("\n").map((l) => l.trim())) {
    if (line === "") continue;
    if (line.startsWith("#")) {
      const meta = META.exec(line);
      if (!meta) continue;
      const [, kind, name, rest = ""] = meta;
      if (kind === "HELP") family(name).help = rest.replace(/\\(.)/g, (_, c: string) => (c === "n" ? "\n" : c));
      else if (kind === "UNIT") family(name).unit = rest;
      else if (TYPES.has(rest)) family(name).type = rest;
      else throw new Error(`unknown metric type: ${line}`);
      continue;
    }
    const sample = SAMPLE.exec(line);
    if (!sample) throw new Error(`not a sample line: ${line}`);
    const [, name, labelText = "", value] = sample;
    family(familyOf(name, families)).samples.push({ name, labels: parseLabels(labelText, line), value: parseValue(value, line) });
  }
  return families;
}

/** A histogram family's series, one for each label set. */
export function histogramSeries(family: PrometheusFamily): HistogramSeries[] {
  const series = new Map<string, HistogramSeries>();
  for (const sample of family.samples) {
    const { le, ...labels } = sample.labels;
    const key = JSON.stringify(Object.entries(labels).sort());
    let entry = series.get(key);
    if (!entry) series.set(key, (entry = { labels, buckets: {} }));
    if (sample.name === `${family.name}_bucket` && le !== undefined) entry.buckets[le] = sample.value;
    else if (sample.name === `${family.name}_count`) entry.count = sample.value;
    else if (sample.name === `${family.name}_sum`) entry.sum = sample.value;
    else throw new Error(`not part of histogram ${family.name}: ${sample.name}`);
  }
  return [...series.values()];
}

/** The family a sample belongs to: its own name, or a histogram's or summary's for the _bucket, _count and _sum lines. */
function familyOf(sampleName: string, families: Map<string, PrometheusFamily>): string {
  for (const suffix of ["_bucket", "_count", "_sum"]) {
    if (!sampleName.endsWith(suffix)) continue;
    const base = families.get(sampleName.slice(0, -suffix.length));
    if (base?.type === "histogram" || (base?.type === "summary" && suffix !== "_bucket")) return base.name;
  }
  return sampleName;
}

function parseLabels(text: string, line: string): Record<string, string> {
  const labels: Record<string, string> = {};
  LABEL.lastIndex = 0;
  while (LABEL.lastIndex < text.length) {
    const match = LABEL.exec(text);
    if (!match) throw new Error(`bad labels: ${line}`);
    const [, name, raw] = match;
    if (name in labels) throw new Error(`label ${name} given twice: ${line}`);
    labels[name] = raw.replace(/\\(.)/g, (_, c: string) => (c === "n" ? "\n" : c));
  }
  return labels;
}

function parseValue(text: string, line: string): number {
  if (text === "+Inf") return Infinity;
  if (text === "-Inf") return -Infinity;
  if (text === "NaN") return NaN;
  const value = Number(text);
  if (Number.isNaN(value) || text === "") throw new Error(`bad value: ${line}`);
  return value;
}
