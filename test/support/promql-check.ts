/**
 * A PromQL checker for the dashboard and alert tests: Prometheus's own grammar (lezer-promql) and the catalogue's
 * series and labels.
 */
import { parser } from "@prometheus-io/lezer-promql";
import { SERIES } from "./prometheus-series";
import type { Series } from "./prometheus-series";

type SyntaxNode = ReturnType<typeof parser.parse>["topNode"];

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
export function checkPromQL(source: string): string[] {
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
