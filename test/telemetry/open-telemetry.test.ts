import assert from "node:assert/strict";
import net from "node:net";
import path from "node:path";
import { createRequire } from "node:module";
import { trace } from "@opentelemetry/api";
import { startOpenTelemetry, traceMixin } from "../../src/telemetry/open-telemetry";
import type { OpenTelemetrySettings } from "../../src/telemetry/open-telemetry";
import { inSpan } from "../../src/telemetry/spans";
import { METRICS } from "../../src/telemetry/catalogue";
import type { CounterName, GaugeName, HistogramName } from "../../src/telemetry/catalogue";
import { createLogger } from "../../src/logger";
import { histogramSeries, parsePrometheusText } from "../support/prometheus-text";
import type { PrometheusFamily, PrometheusSample } from "../support/prometheus-text";
import { LinesCapture, otlpSpans, spanAttributes, startIngestionStandIn, startOtlpCollector, trackEnvelopes } from "../support/telemetry-collectors";

const BASE: OpenTelemetrySettings = { metricsHost: "127.0.0.1", serviceName: "nhsmail-helpdesk-bot", serviceVersion: "9.8.7" };

/** The name Prometheus sees for every catalogue entry: counters gain `_total`; units add no suffix. */
const PROMETHEUS_NAMES: Record<keyof typeof METRICS, string> = {
  helpdesk_turns: "helpdesk_turns_total",
  helpdesk_turn_duration: "helpdesk_turn_duration",
  helpdesk_resets_started: "helpdesk_resets_started_total",
  helpdesk_resets_completed: "helpdesk_resets_completed_total",
  helpdesk_resets_ended: "helpdesk_resets_ended_total",
  helpdesk_verifications: "helpdesk_verifications_total",
  helpdesk_messages_sent: "helpdesk_messages_sent_total",
  helpdesk_first_login_tasks_completed: "helpdesk_first_login_tasks_completed_total",
  helpdesk_first_logins_completed: "helpdesk_first_logins_completed_total",
  helpdesk_proactive_deliveries: "helpdesk_proactive_deliveries_total",
  helpdesk_handoffs_requested: "helpdesk_handoffs_requested_total",
  helpdesk_handoffs_taken: "helpdesk_handoffs_taken_total",
  helpdesk_handoffs_timed_out: "helpdesk_handoffs_timed_out_total",
  helpdesk_handoff_queue_length: "helpdesk_handoff_queue_length",
  helpdesk_handoff_wait: "helpdesk_handoff_wait",
  helpdesk_jobs_run: "helpdesk_jobs_run_total",
  helpdesk_job_lateness: "helpdesk_job_lateness",
  helpdesk_store_operations: "helpdesk_store_operations_total",
  helpdesk_store_operation_duration: "helpdesk_store_operation_duration",
};

async function scrape(url: string): Promise<{ status: number; text: string; families: Map<string, PrometheusFamily> }> {
  const response = await fetch(url);
  const text = await response.text();
  if (response.status !== 200) return { status: response.status, text, families: new Map() };
  return { status: 200, text, families: parsePrometheusText(text) };
}

function refused(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect(Number(port), hostname);
    socket.once("connect", () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("error", (error: NodeJS.ErrnoException) => resolve(error.code === "ECONNREFUSED"));
  });
}

const byLabels = (a: { labels: Record<string, string> }, b: { labels: Record<string, string> }): number => JSON.stringify(a.labels).localeCompare(JSON.stringify(b.labels));

/** A family's samples as name, labels and value, sorted by labels. */
const samples = (family: PrometheusFamily | undefined): PrometheusSample[] => [...(family?.samples ?? [])].sort(byLabels);

describe("OpenTelemetry", () => {
  it("with nothing set registers no tracer: spans cost nothing and log lines carry no trace id", async () => {
    const otel = await startOpenTelemetry(BASE, createLogger({ level: "silent" }));
    try {
      assert.equal(otel.metricsUrl, undefined);
      const inside = await inSpan("turn", { activity_type: "message" }, () => Promise.resolve({ span: trace.getActiveSpan(), mixin: traceMixin() }));
      assert.equal(inside.span?.isRecording() ?? false, false);
      assert.deepEqual(inside.mixin, {});
    } finally {
      await otel.shutdown();
    }
  });

  describe("Prometheus", () => {
    it("serves the catalogue's metrics with exact values and labels, and an unknown label value as other", async () => {
      const otel = await startOpenTelemetry({ ...BASE, metricsPort: 0 }, createLogger({ level: "silent" }));
      try {
        const { telemetry } = otel;
        assert.match(otel.metricsUrl ?? "", /^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
        telemetry.count("helpdesk_turns", { activity_type: "message", channel: "msteams" });
        telemetry.count("helpdesk_turns", { activity_type: "message", channel: "msteams" }, 2);
        telemetry.count("helpdesk_turns", { activity_type: "someone@nhs.net", channel: "msteams" });
        telemetry.count("helpdesk_resets_started");
        telemetry.observe("helpdesk_handoff_wait", 45);
        telemetry.observe("helpdesk_handoff_wait", 700);
        telemetry.observe("helpdesk_turn_duration", 0.2, { activity_type: "message" });
        telemetry.observe("helpdesk_turn_duration", 0.03, { activity_type: "Hello, I forgot my password" });
        telemetry.set("helpdesk_handoff_queue_length", 3);
        telemetry.set("helpdesk_handoff_queue_length", 2);

        const { status, text, families } = await scrape(otel.metricsUrl ?? "");
        assert.equal(status, 200);
        assert.deepEqual([...families.keys()].sort(), ["helpdesk_handoff_queue_length", "helpdesk_handoff_wait", "helpdesk_resets_started_total", "helpdesk_turn_duration", "helpdesk_turns_total", "target_info"]);
        assert.deepEqual(samples(families.get("target_info")), [
          {
            name: "target_info",
            labels: { service_name: "nhsmail-helpdesk-bot", service_version: "9.8.7", telemetry_sdk_language: "nodejs", telemetry_sdk_name: "opentelemetry", telemetry_sdk_version: "2.12.0" },
            value: 1,
          },
        ]);

        const turns = families.get("helpdesk_turns_total");
        assert.equal(turns?.type, "counter");
        assert.equal(turns?.help, METRICS.helpdesk_turns.description);
        assert.deepEqual(samples(turns), [
          { name: "helpdesk_turns_total", labels: { activity_type: "message", channel: "msteams" }, value: 3 },
          { name: "helpdesk_turns_total", labels: { activity_type: "other", channel: "msteams" }, value: 1 },
        ]);
        assert.deepEqual(samples(families.get("helpdesk_resets_started_total")), [{ name: "helpdesk_resets_started_total", labels: {}, value: 1 }]);
        assert.deepEqual(families.get("helpdesk_handoff_queue_length"), {
          name: "helpdesk_handoff_queue_length",
          help: METRICS.helpdesk_handoff_queue_length.description,
          type: "gauge",
          samples: [{ name: "helpdesk_handoff_queue_length", labels: {}, value: 2 }],
        });

        // The catalogue's buckets, not the SDK's defaults; the unit is a UNIT line, not a suffix on the name.
        const wait = families.get("helpdesk_handoff_wait");
        assert.equal(wait?.type, "histogram");
        assert.equal(wait?.unit, "s");
        assert.deepEqual(histogramSeries(wait), [
          { labels: {}, count: 2, sum: 745, buckets: { "10": 0, "30": 0, "60": 1, "120": 1, "300": 1, "600": 1, "900": 2, "1800": 2, "3600": 2, "+Inf": 2 } },
        ]);
        const duration = families.get("helpdesk_turn_duration");
        assert.equal(duration?.type, "histogram");
        assert.deepEqual(histogramSeries(duration).sort(byLabels), [
          {
            labels: { activity_type: "message" },
            count: 1,
            sum: 0.2,
            buckets: { "0.005": 0, "0.01": 0, "0.025": 0, "0.05": 0, "0.1": 0, "0.25": 1, "0.5": 1, "1": 1, "2.5": 1, "5": 1, "10": 1, "+Inf": 1 },
          },
          {
            labels: { activity_type: "other" },
            count: 1,
            sum: 0.03,
            buckets: { "0.005": 0, "0.01": 0, "0.025": 0, "0.05": 1, "0.1": 1, "0.25": 1, "0.5": 1, "1": 1, "2.5": 1, "5": 1, "10": 1, "+Inf": 1 },
          },
        ]);
        assert.ok(!text.includes("@") && !text.includes("forgot"), "a label value outside the catalogue reached the scrape");
      } finally {
        await otel.shutdown();
      }
    });

    it("names every catalogue entry as expected", async () => {
      const otel = await startOpenTelemetry({ ...BASE, metricsPort: 0 }, createLogger({ level: "silent" }));
      try {
        for (const [name, definition] of Object.entries(METRICS)) {
          if (definition.kind === "counter") otel.telemetry.count(name as CounterName);
          else if (definition.kind === "histogram") otel.telemetry.observe(name as HistogramName, 1);
          else otel.telemetry.set(name as GaugeName, 1);
        }
        const { families } = await scrape(otel.metricsUrl ?? "");
        for (const [name, definition] of Object.entries(METRICS)) {
          const family = families.get(PROMETHEUS_NAMES[name as keyof typeof METRICS]);
          assert.equal(family?.type, definition.kind, name);
          assert.equal(family?.help, definition.description, name);
        }
        assert.equal(families.size, Object.keys(METRICS).length + 1, "the catalogue's metrics and target_info, nothing else");
      } finally {
        await otel.shutdown();
      }
    });

    it("answers only GET /metrics, and closes its port on shutdown", async () => {
      const otel = await startOpenTelemetry({ ...BASE, metricsPort: 0 }, createLogger({ level: "silent" }));
      const url = otel.metricsUrl ?? "";
      try {
        assert.equal((await scrape(url)).status, 200);
        assert.equal((await scrape(new URL("/", url).href)).status, 404);
        assert.equal((await scrape(`${url}/x`)).status, 404);
        assert.equal((await fetch(url, { method: "POST" })).status, 404);
      } finally {
        await otel.shutdown();
      }
      assert.equal(await refused(url), true, "the metrics port still answers after shutdown");
      await otel.shutdown();
    });
  });

  describe("traces over OTLP/HTTP", () => {
    it("nests spans across awaits, keeps only allowed attributes, records an error's name only, and puts the trace id in log lines", async () => {
      const collector = await startOtlpCollector();
      const capture = new LinesCapture();
      const log = createLogger({ level: "info", destination: capture });
      const otel = await startOpenTelemetry({ ...BASE, otlpEndpoint: `${collector.url}/` }, log);
      try {
        await inSpan("turn", { activity_type: "message", verb: "reset.start", conversation_id: "19:abc@thread.v2" }, async () => {
          await Promise.resolve();
          await inSpan("dialog", { dialog_id: "reset", outcome: "someone@nhs.net" }, async () => {
            await new Promise((resolve) => setImmediate(resolve));
            log.info("inside the dialog");
          });
        });
        const failure = inSpan("lookup", { op: "read" }, () => Promise.reject(new TypeError("no account for someone@nhs.net")));
        await assert.rejects(failure, TypeError);
        log.info("outside any span");
      } finally {
        await otel.shutdown();
        await collector.close();
      }

      assert.ok(collector.received.every((r) => r.method === "POST" && r.path === "/v1/traces" && r.contentType === "application/json"));
      const spans = new Map(otlpSpans(collector).map((span) => [span.name, span]));
      assert.deepEqual([...spans.keys()].sort(), ["dialog", "lookup", "turn"]);
      const [turn, dialog, lookup] = [spans.get("turn"), spans.get("dialog"), spans.get("lookup")];
      assert.ok(turn && dialog && lookup);
      assert.ok(!turn.parentSpanId, "the turn is a root span");
      assert.equal(dialog.parentSpanId, turn.spanId);
      assert.equal(dialog.traceId, turn.traceId);
      assert.notEqual(lookup.traceId, turn.traceId);
      assert.deepEqual(spanAttributes(turn), { activity_type: "message", verb: "reset.start" });
      assert.deepEqual(spanAttributes(dialog), { dialog_id: "reset", outcome: "other" });
      assert.deepEqual(spanAttributes(lookup), { op: "read", "error.type": "TypeError" });
      assert.equal(lookup.status.code, 2, "status ERROR");
      assert.deepEqual(lookup.events, []);
      assert.ok(!collector.received.some((r) => r.body.includes("nhs.net") || r.body.includes("abc@thread")), "a message or an id reached the spans");

      const inside = capture.lines.find((line) => line.msg === "inside the dialog");
      assert.equal(inside?.trace_id, dialog.traceId);
      assert.equal(inside?.span_id, dialog.spanId);
      const outside = capture.lines.find((line) => line.msg === "outside any span");
      assert.ok(outside && !("trace_id" in outside));
      assert.deepEqual(capture.lines.filter((line) => Number(line.level) >= 40), [], "telemetry warned or failed");
    });
  });

  describe("Azure Monitor", () => {
    let statsbeat: string | undefined;
    before(() => {
      // Statsbeat (the SDK's own usage reports) would go to Microsoft's endpoints, not the stand-in.
      statsbeat = process.env.APPLICATION_INSIGHTS_NO_STATSBEAT;
      process.env.APPLICATION_INSIGHTS_NO_STATSBEAT = "true";
    });
    after(() => {
      if (statsbeat === undefined) delete process.env.APPLICATION_INSIGHTS_NO_STATSBEAT;
      else process.env.APPLICATION_INSIGHTS_NO_STATSBEAT = statsbeat;
      stopAzureSettingsPoll();
    });

    it("sends a span and a metric to the ingestion endpoint", async () => {
      const ingestion = await startIngestionStandIn();
      const capture = new LinesCapture();
      // The exporter turns an http:// ingestion endpoint into https://, so the stand-in serves HTTPS.
      const connectionString = `InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=${ingestion.url}/`;
      const otel = await startOpenTelemetry({ ...BASE, azureConnectionString: connectionString }, createLogger({ level: "info", destination: capture }));
      try {
        assert.equal(otel.metricsUrl, undefined);
        otel.telemetry.count("helpdesk_resets_started");
        await inSpan("turn", { activity_type: "message" }, () => Promise.resolve());
      } finally {
        await otel.shutdown();
        await ingestion.close();
      }

      assert.ok(ingestion.received.length > 0);
      assert.ok(ingestion.received.every((r) => r.method === "POST" && r.path === "/v2.1/track" && r.contentType === "application/json"));
      const envelopes = trackEnvelopes(ingestion);
      assert.ok(envelopes.every((e) => e.iKey === "00000000-0000-0000-0000-000000000000" && e.tags["ai.cloud.role"] === "nhsmail-helpdesk-bot"));
      const span = envelopes.find((e) => e.data.baseData.name === "turn");
      assert.equal(span?.name, "Microsoft.ApplicationInsights.RemoteDependency");
      assert.deepEqual(span?.data.baseData.properties, { activity_type: "message" });
      const metric = envelopes.find((e) => e.data.baseData.metrics?.[0]?.name === "helpdesk_resets_started");
      assert.equal(metric?.name, "Microsoft.ApplicationInsights.Metric");
      assert.equal(metric?.data.baseData.metrics?.[0]?.value, 1);
      assert.deepEqual(capture.lines.filter((line) => Number(line.level) >= 40), [], "telemetry warned or failed");
    });
  });
});

/**
 * Stops the exporter's poll of Microsoft's settings service (it starts 5 to 15 seconds after the first exporter, and
 * has no switch), so the rest of the test run makes no call outside this machine. Its class is not exported, so it is
 * reached beside the package's entry point.
 */
function stopAzureSettingsPoll(): void {
  const load = createRequire(__filename);
  const entry = load.resolve("@azure/monitor-opentelemetry-exporter");
  const manager = load(path.join(path.dirname(entry), "_configuration", "configurationManager.js")) as { ConfigurationManager: { getInstance(): { shutdown(): void } } };
  manager.ConfigurationManager.getInstance().shutdown();
}
