import assert from "node:assert/strict";
import { checkPromQL } from "../support/promql-check";

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
