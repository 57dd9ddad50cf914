import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { parser } from "@prometheus-io/lezer-promql";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { JobKind } from "../../src/jobs/job-kinds";
import { METRICS } from "../../src/telemetry/catalogue";
import type { MetricName } from "../../src/telemetry/catalogue";

const ROOT = path.join(__dirname, "..", "..");
const DASHBOARD_FILE = path.join(ROOT, "docs", "grafana", "helpdesk-dashboard.json");
const ALERTS_FILE = path.join(ROOT, "docs", "prometheus", "alerts.yml");
const DATASOURCE = "${DS_PROMETHEUS}";

type SyntaxNode = ReturnType<typeof parser.parse>["topNode"];

/** A label's allowed values: its words, or any value (job, instance, le). */
type LabelWords = readonly string[] | "any";

/** One series name as Prometheus exposes it: how it may be queried and the labels it carries. */
interface Series {
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

const SERIES = exposedSeries();

/** Grafana's variables as Grafana fills them in before the query reaches Prometheus. */
const GRAFANA_VARIABLES: Readonly<Record<string, string>> = { __rate_interval: "4m", __interval: "1m", __range: "1d", instance: ".*" };

/** Functions that take a counter's range and handle its resets. */
const COUNTER_FUNCTIONS = new Set(["Rate", "Increase", "Irate"]);

/** What a function call calls: the lezer node's name, such as "Rate" or "HistogramQuantile". */
function functionOf(call: SyntaxNode): string | undefined {
  return call.getChild("FunctionIdentifier")?.firstChild?.name;
}

function children(node: SyntaxNode): SyntaxNode[] {
  const found: SyntaxNode[] = [];
  for (let child = node.firstChild; child; child = child.nextSibling) found.push(child);
  return found;
}

function descendants(node: SyntaxNode, name: string): SyntaxNode[] {
  const found: SyntaxNode[] = [];
  const visit = (at: SyntaxNode): void => {
    for (const child of children(at)) {
      if (child.name === name) found.push(child);
      visit(child);
    }
  };
  visit(node);
  return found;
}

function ancestors(node: SyntaxNode): SyntaxNode[] {
  const found: SyntaxNode[] = [];
  for (let at = node.parent; at; at = at.parent) found.push(at);
  return found;
}

/** A PromQL string literal's content ("…", '…' or `…`); escapes are not used in these files. */
function unquote(literal: string): string {
  return literal.slice(1, -1);
}

/**
 * Checks one PromQL expression as Prometheus's own grammar reads it, and against the catalogue: no syntax error;
 * every metric is a series the bot exposes; every label in a matcher, `by`, `without`, `on` or `ignoring` is one that
 * series carries, and a matcher's words are the label's; counters and histogram series only inside rate(), increase()
 * or irate() (or absent()), gauges never; `_bucket` only inside histogram_quantile(), aggregated by `le`.
 *
 * @returns the problems found, in words; none when the expression is sound
 */
function checkPromQL(source: string): string[] {
  const problems: string[] = [];
  const expr = source.replace(/\$(?:\{(\w+)\}|(\w+))/g, (whole, braced?: string, bare?: string) => {
    const value = GRAFANA_VARIABLES[braced ?? bare ?? ""];
    if (value === undefined) problems.push(`unknown Grafana variable ${whole}`);
    return value ?? whole;
  });
  if (problems.length > 0) return problems;

  const tree = parser.parse(expr);
  tree.iterate({
    enter: (node) => {
      if (node.type.isError) problems.push(`syntax error at character ${node.from + 1}: ${JSON.stringify(expr.slice(Math.max(0, node.from - 12), node.to + 12))}`);
    },
  });
  if (problems.length > 0) return problems;

  const top = tree.topNode;
  const text = (node: SyntaxNode): string => expr.slice(node.from, node.to);
  const seriesIn = (node: SyntaxNode): { name: string; series?: Series }[] =>
    descendants(node, "VectorSelector").map((selector) => {
      const name = selector.getChild("Identifier");
      return { name: name ? text(name) : "", series: name ? SERIES.get(text(name)) : undefined };
    });
  const labelOn = (label: string, where: string, node: SyntaxNode): void => {
    for (const { name, series } of seriesIn(node)) {
      if (series && !series.labels.has(label)) problems.push(`${where} label "${label}" is not a label of ${name}`);
    }
  };

  for (const selector of descendants(top, "VectorSelector")) {
    const identifier = selector.getChild("Identifier");
    if (!identifier) {
      problems.push(`a selector without a metric name: ${text(selector)}`);
      continue;
    }
    const name = text(identifier);
    const series = SERIES.get(name);
    if (!series) {
      problems.push(`unknown metric ${name}`);
      continue;
    }
    const matchers = selector.getChild("LabelMatchers");
    for (const matcher of matchers ? children(matchers) : []) {
      if (matcher.name !== "UnquotedLabelMatcher") {
        problems.push(`use a plain label name in ${text(matcher)}`);
        continue;
      }
      const label = text(matcher.getChild("LabelName") as SyntaxNode);
      const op = matcher.getChild("MatchOp")?.firstChild?.name;
      const value = unquote(text(matcher.getChild("StringLiteral") as SyntaxNode));
      const words = series.labels.get(label);
      if (words === undefined) {
        problems.push(`label "${label}" is not a label of ${name}`);
        continue;
      }
      if (words === "any") continue;
      const asked = op === "EqlRegex" || op === "NeqRegex" ? (/^[\w-]+(\|[\w-]+)*$/.test(value) ? value.split("|") : []) : [value];
      for (const word of asked) if (!words.includes(word)) problems.push(`${name} has no ${label} "${word}" (its words: ${words.join(", ")})`);
    }

    const lineage = ancestors(selector);
    const calls = lineage.filter((node) => node.name === "FunctionCall").map(functionOf);
    const parent = selector.parent;
    const rangeCall = parent?.name === "MatrixSelector" && parent.parent?.name === "FunctionCallBody" ? functionOf(parent.parent.parent as SyntaxNode) : undefined;
    const underCounterFunction = rangeCall !== undefined && COUNTER_FUNCTIONS.has(rangeCall);
    const inAbsent = calls.includes("Absent") || calls.includes("AbsentOverTime");
    if ((series.use === "counter" || series.use === "bucket" || series.use === "histogram-sum-or-count") && !underCounterFunction && !inAbsent) {
      problems.push(`${name} only goes up: use it inside rate(), increase() or irate() over a range`);
    }
    if ((series.use === "gauge" || series.use === "up") && underCounterFunction) problems.push(`${name} is not a counter: do not take its rate() or increase()`);
    if (series.use === "bucket" && !calls.includes("HistogramQuantile")) problems.push(`${name} belongs inside histogram_quantile()`);
  }

  for (const aggregate of descendants(top, "AggregateExpr")) {
    const modifier = aggregate.getChild("AggregateModifier");
    const body = aggregate.getChild("FunctionCallBody");
    if (!modifier || !body) continue;
    const way = modifier.firstChild?.name === "Without" ? "without" : "by";
    for (const label of descendants(modifier, "LabelName")) labelOn(text(label), `"${way} (…)":`, body);
  }

  for (const binary of descendants(top, "BinaryExpr")) {
    const clause = binary.getChild("MatchingModifierClause");
    if (clause) for (const label of descendants(clause, "LabelName")) labelOn(text(label), "on/ignoring/group:", binary);
  }

  for (const call of descendants(top, "FunctionCall").filter((node) => functionOf(node) === "HistogramQuantile")) {
    const [quantile, vector] = children(call.getChild("FunctionCallBody") as SyntaxNode);
    const phi = quantile?.name === "NumberDurationLiteral" ? Number(text(quantile)) : NaN;
    if (!(phi >= 0 && phi <= 1)) problems.push(`histogram_quantile() needs a quantile from 0 to 1 first, not ${quantile ? text(quantile) : "nothing"}`);
    if (!vector || !seriesIn(vector).some(({ series }) => series?.use === "bucket")) {
      problems.push("histogram_quantile() needs a histogram's _bucket series");
      continue;
    }
    let inner: SyntaxNode | null = vector;
    while (inner?.name === "ParenExpr") inner = inner.firstChild;
    const modifier = inner?.name === "AggregateExpr" ? inner.getChild("AggregateModifier") : null;
    if (inner?.name === "AggregateExpr") {
      const labels = modifier ? descendants(modifier, "LabelName").map(text) : [];
      const keepsLe = modifier?.firstChild?.name === "Without" ? !labels.includes("le") : labels.includes("le");
      if (!keepsLe) problems.push("histogram_quantile() over an aggregation must keep le: sum by (le) (…)");
    }
  }
  return problems;
}

// ---- The files, as Grafana and Prometheus read them

const Target = z.object({ refId: z.string().min(1), expr: z.string().min(1), datasource: z.object({ type: z.literal("prometheus"), uid: z.string() }) });
const GridPos = z.object({ h: z.number().int().positive(), w: z.number().int().positive(), x: z.number().int().min(0), y: z.number().int().min(0) });
interface Panel {
  id: number;
  type: string;
  title: string;
  description?: string;
  datasource?: { type: string; uid: string };
  gridPos: z.infer<typeof GridPos>;
  targets?: z.infer<typeof Target>[];
  panels?: Panel[];
}
const PanelSchema: z.ZodType<Panel> = z.lazy(() =>
  z.object({
    id: z.number().int(),
    type: z.string(),
    title: z.string(),
    description: z.string().optional(),
    datasource: z.object({ type: z.string(), uid: z.string() }).optional(),
    gridPos: GridPos,
    targets: z.array(Target).optional(),
    panels: z.array(PanelSchema).optional(),
  }),
);
const DashboardSchema = z.object({
  __inputs: z.array(z.object({ name: z.string(), type: z.string(), pluginId: z.string() })),
  __requires: z.array(z.object({ type: z.string(), id: z.string(), version: z.string() })),
  uid: z.string().min(1),
  title: z.string(),
  schemaVersion: z.number().int(),
  time: z.object({ from: z.string(), to: z.string() }),
  panels: z.array(PanelSchema),
  templating: z.object({
    list: z.array(z.object({ name: z.string(), type: z.string(), datasource: z.object({ uid: z.string() }).optional(), definition: z.string().optional(), query: z.unknown() })),
  }),
});
type Dashboard = z.infer<typeof DashboardSchema>;

const RuleSchema = z
  .object({
    alert: z.string().regex(/^[A-Z][A-Za-z0-9]*$/),
    expr: z.string().min(1),
    for: z.string().regex(/^\d+[smhdwy]$/),
    labels: z.object({ severity: z.enum(["critical", "warning"]) }),
    annotations: z.object({ summary: z.string().min(1), description: z.string().min(1) }).strict(),
  })
  .strict();
const AlertsSchema = z.object({ groups: z.array(z.object({ name: z.string().min(1), rules: z.array(RuleSchema).min(1) }).strict()).min(1) }).strict();
type Alerts = z.infer<typeof AlertsSchema>;

function readDashboard(): Dashboard {
  const raw: unknown = JSON.parse(fs.readFileSync(DASHBOARD_FILE, "utf8"));
  return DashboardSchema.parse(raw);
}

function readAlerts(): Alerts {
  const raw: unknown = parseYaml(fs.readFileSync(ALERTS_FILE, "utf8"));
  return AlertsSchema.parse(raw);
}

function allPanels(panels: readonly Panel[]): Panel[] {
  return panels.flatMap((panel) => [panel, ...allPanels(panel.panels ?? [])]);
}

describe("the PromQL checker", () => {
  it("passes a sound expression", () => {
    assert.deepEqual(checkPromQL('histogram_quantile(0.9, sum by (le) (rate(helpdesk_handoff_wait_bucket{instance=~"$instance"}[$__rate_interval])))'), []);
    assert.deepEqual(checkPromQL('sum by (channel) (increase(helpdesk_messages_sent_total{outcome=~"refused|unavailable"}[15m])) >= 3'), []);
    assert.deepEqual(checkPromQL('sum by (kind) (increase(helpdesk_jobs_run_total{kind="summary.daily", outcome="failed"}[1h]))'), []);
  });

  const broken: [string, string, RegExp][] = [
    ["a missing bracket", "sum(rate(helpdesk_turns_total[5m])", /syntax error/],
    ["a misspelt function", "rat(helpdesk_turns_total[5m])", /syntax error/],
    ["an unfinished matcher", 'helpdesk_turns_total{channel="msteams"', /syntax error/],
    ["a renamed metric", "rate(helpdesk_turn_total[5m])", /unknown metric helpdesk_turn_total/],
    ["a unit suffix the exporter does not add", "histogram_quantile(0.5, sum by (le) (rate(helpdesk_turn_duration_seconds_bucket[5m])))", /unknown metric/],
    ["a label the metric does not have", "sum by (channel) (rate(helpdesk_resets_started_total[5m]))", /"channel" is not a label of helpdesk_resets_started_total/],
    ["a matcher on a label the metric does not have", 'rate(helpdesk_turns_total{outcome="sent"}[5m])', /label "outcome" is not a label/],
    ["a word outside the label's words", 'rate(helpdesk_messages_sent_total{outcome="refuse"}[5m])', /has no outcome "refuse"/],
    ["a word outside the label's words in a regex", 'rate(helpdesk_messages_sent_total{outcome=~"refused|unavailible"}[5m])', /has no outcome "unavailible"/],
    ["a counter read raw", "sum(helpdesk_turns_total)", /only goes up/],
    ["the rate of a gauge", "rate(helpdesk_handoff_queue_length[5m])", /not a counter/],
    ["a quantile without le", "histogram_quantile(0.9, sum(rate(helpdesk_handoff_wait_bucket[5m])))", /must keep le/],
    ["a quantile above 1", "histogram_quantile(90, sum by (le) (rate(helpdesk_handoff_wait_bucket[5m])))", /from 0 to 1/],
    ["a misspelt Grafana variable", "rate(helpdesk_turns_total[$__rate_intervall])", /unknown Grafana variable/],
    ["on() with a label one side lacks", "rate(helpdesk_turns_total[5m]) / on (channel) rate(helpdesk_resets_started_total[5m])", /"channel" is not a label of helpdesk_resets_started_total/],
  ];
  for (const [what, expr, expected] of broken) {
    it(`finds ${what}`, () => {
      const problems = checkPromQL(expr);
      assert.ok(
        problems.some((problem) => expected.test(problem)),
        `expected a problem matching ${String(expected)}, got ${JSON.stringify(problems)}`,
      );
    });
  }
});

describe("the Grafana dashboard (docs/grafana/helpdesk-dashboard.json)", () => {
  const dashboard = readDashboard();
  const panels = allPanels(dashboard.panels);
  const queryPanels = panels.filter((panel) => panel.type !== "row");

  it("is in Grafana's import format, for a Prometheus data source chosen at import", () => {
    assert.deepEqual(
      dashboard.__inputs.map(({ name, type, pluginId }) => ({ name, type, pluginId })),
      [{ name: "DS_PROMETHEUS", type: "datasource", pluginId: "prometheus" }],
    );
    const required = new Set(dashboard.__requires.map((entry) => `${entry.type}:${entry.id}`));
    for (const needed of ["grafana:grafana", "datasource:prometheus", ...queryPanels.map((panel) => `panel:${panel.type}`)]) {
      assert.ok(required.has(needed), `__requires names ${needed}`);
    }
    assert.equal(dashboard.title, "NHSmail helpdesk bot");
    assert.match(dashboard.uid, /^[A-Za-z0-9_-]{1,40}$/);
    assert.ok(dashboard.schemaVersion >= 39, "a current Grafana's schema");
    assert.deepEqual(dashboard.time, { from: "now-24h", to: "now" });
  });

  it("has an instance variable from the bot's own series", () => {
    const instance = dashboard.templating.list.find((variable) => variable.name === "instance");
    assert.ok(instance, "the $instance variable");
    assert.equal(instance.type, "query");
    assert.equal(instance.datasource?.uid, DATASOURCE);
    assert.equal(instance.definition, "label_values(helpdesk_turns_total, instance)");
    const query = typeof instance.query === "string" ? instance.query : (instance.query as { query?: unknown } | undefined)?.query;
    assert.equal(query, instance.definition);
    const [, metric, label] = /^label_values\((\w+),\s*(\w+)\)$/.exec(instance.definition) ?? [];
    assert.ok(SERIES.get(metric)?.labels.has(label), `${metric} is exposed and carries ${label}`);
  });

  it("gives every panel a unique id, a title, a description and the data source", () => {
    const ids = panels.map((panel) => panel.id);
    assert.equal(new Set(ids).size, ids.length, `panel ids are unique: ${ids.join(", ")}`);
    for (const panel of panels) assert.ok(panel.title.trim().length > 0, `panel ${panel.id} has a title`);
    for (const panel of queryPanels) {
      assert.ok((panel.description ?? "").trim().length > 20, `"${panel.title}" says in words what it shows`);
      assert.equal(panel.datasource?.uid, DATASOURCE, `"${panel.title}" uses the chosen data source`);
      assert.ok(panel.targets && panel.targets.length > 0, `"${panel.title}" has a query`);
      const refIds = panel.targets.map((target) => target.refId);
      assert.equal(new Set(refIds).size, refIds.length, `"${panel.title}" has unique query ids`);
      for (const target of panel.targets) assert.equal(target.datasource.uid, DATASOURCE, `"${panel.title}" ${target.refId} uses the chosen data source`);
      assert.ok(panel.gridPos.x + panel.gridPos.w <= 24, `"${panel.title}" fits the 24-column grid`);
    }
  });

  it("lays the panels out without overlaps", () => {
    const overlap = (a: Panel["gridPos"], b: Panel["gridPos"]): boolean => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
    for (const [i, a] of dashboard.panels.entries()) {
      for (const b of dashboard.panels.slice(i + 1)) assert.ok(!overlap(a.gridPos, b.gridPos), `"${a.title}" and "${b.title}" overlap`);
    }
  });

  it("has queries that Prometheus's own PromQL grammar reads, on the catalogue's metrics and labels", () => {
    const problems = queryPanels.flatMap((panel) =>
      (panel.targets ?? []).flatMap((target) => checkPromQL(target.expr).map((problem) => `"${panel.title}" ${target.refId}: ${problem}\n    ${target.expr}`)),
    );
    assert.deepEqual(problems, []);
  });

  it("shows every metric in the catalogue", () => {
    const used = new Set(queryPanels.flatMap((panel) => (panel.targets ?? []).flatMap((target) => [...target.expr.matchAll(/\bhelpdesk_\w+/g)].map((m) => SERIES.get(m[0])?.metric))));
    const missing = Object.keys(METRICS).filter((name) => !used.has(name as MetricName));
    assert.deepEqual(missing, [], "each metric has a panel");
  });
});

describe("the Prometheus alert rules (docs/prometheus/alerts.yml)", () => {
  const alerts = readAlerts();
  const rules = alerts.groups.flatMap((group) => group.rules);

  it("has groups of rules, each with a name, a severity, a summary and a description", () => {
    const groups = alerts.groups.map((group) => group.name);
    assert.equal(new Set(groups).size, groups.length, "group names are unique");
    const names = rules.map((rule) => rule.alert);
    assert.equal(new Set(names).size, names.length, "alert names are unique");
  });

  it("has expressions that Prometheus's own PromQL grammar reads, on the catalogue's metrics and labels", () => {
    const problems = rules.flatMap((rule) => checkPromQL(rule.expr).map((problem) => `${rule.alert}: ${problem}\n    ${rule.expr.trim()}`));
    assert.deepEqual(problems, []);
  });

  it("watches messages, blocked resets, the queue, jobs and the scrape", () => {
    const exprs = rules.map((rule) => rule.expr).join("\n");
    for (const watched of [
      "helpdesk_messages_sent_total",
      "helpdesk_resets_ended_total",
      "helpdesk_handoff_wait_bucket",
      "helpdesk_handoff_queue_length",
      "helpdesk_handoffs_timed_out_total",
      "helpdesk_job_lateness_bucket",
      "helpdesk_jobs_run_total",
      "up{",
      "absent(",
    ]) {
      assert.ok(exprs.includes(watched), `an alert uses ${watched}`);
    }
  });
});
