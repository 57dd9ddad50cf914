import assert from "node:assert/strict";
import { METRICS } from "../../src/telemetry/catalogue";
import type { MetricName } from "../../src/telemetry/catalogue";
import { allPanels, readDashboard } from "../support/monitoring-files";
import type { Panel } from "../support/monitoring-files";
import { SERIES } from "../support/prometheus-series";
import { checkPromQL } from "../support/promql-check";

const DATASOURCE = "${DS_PROMETHEUS}";

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
