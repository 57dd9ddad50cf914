import assert from "node:assert/strict";
import { readAlerts } from "../support/monitoring-files";
import { checkPromQL } from "../support/promql-check";

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
