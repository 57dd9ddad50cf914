/**
 * Every series name Prometheus sees from the bot, read from the telemetry catalogue, with the labels each carries:
 * what the dashboard and alert tests check PromQL against.
 */
import { JobKind } from "../../src/jobs/job-kinds";
import { METRICS } from "../../src/telemetry/catalogue";
import type { MetricName } from "../../src/telemetry/catalogue";

/** A label's allowed values: its words, or any value (job, instance, le). */
export type LabelWords = readonly string[] | "any";

/** One series name as Prometheus exposes it: how it may be queried and the labels it carries. */
export interface Series {
  metric: MetricName | "up";
  use: "counter" | "gauge" | "bucket" | "histogram-sum-or-count" | "up";
  labels: ReadonlyMap<string, LabelWords>;
}

/**
 * Every series name Prometheus sees, from the catalogue: counters gain `_total`, histograms are `_bucket` (with
 * `le`), `_sum` and `_count` with no unit suffix, gauges keep their name; every series also carries the scrape's
 * `job` and `instance`. Prometheus's own `up` is allowed too. A label's words are the catalogue's, plus "other"
 * (what a value outside them is recorded as); the job `kind` takes the job kinds.
 */
function exposedSeries(): ReadonlyMap<string, Series> {
  const series = new Map<string, Series>();
  const target: [string, LabelWords][] = [
    ["job", "any"],
    ["instance", "any"],
  ];
  for (const [name, definition] of Object.entries(METRICS) as [MetricName, (typeof METRICS)[MetricName]][]) {
    const labels = new Map<string, LabelWords>(target);
    for (const [label, words] of Object.entries(definition.labels) as [string, readonly string[]][]) {
      labels.set(label, [...(words[0] === "*" ? Object.values(JobKind) : words), "other"]);
    }
    if (definition.kind === "counter") series.set(`${name}_total`, { metric: name, use: "counter", labels });
    if (definition.kind === "gauge") series.set(name, { metric: name, use: "gauge", labels });
    if (definition.kind === "histogram") {
      series.set(`${name}_bucket`, { metric: name, use: "bucket", labels: new Map([...labels, ["le", "any"]]) });
      series.set(`${name}_sum`, { metric: name, use: "histogram-sum-or-count", labels });
      series.set(`${name}_count`, { metric: name, use: "histogram-sum-or-count", labels });
    }
  }
  series.set("up", { metric: "up", use: "up", labels: new Map(target) });
  return series;
}

export const SERIES = exposedSeries();
