import { DiagLogLevel, context, diag, metrics, propagation, trace } from "@opentelemetry/api";
import type { ProxyTracerProvider } from "@opentelemetry/api";
import type { PrometheusExporter } from "@opentelemetry/exporter-prometheus";
import type { Resource } from "@opentelemetry/resources";
import type { MetricReader } from "@opentelemetry/sdk-metrics";
import type { SpanProcessor } from "@opentelemetry/sdk-trace-node";
import type { Logger } from "../logger";
import { Telemetry } from "./telemetry";
import { serveMetrics } from "./metrics-endpoint";

export { traceMixin } from "./spans";

/** The name the bot's meter has, as the Telemetry class uses by default. */
const METER_NAME = "nhsmail-helpdesk-bot";

/** How often metrics go to Azure Monitor. */
const AZURE_METRICS_INTERVAL_MS = 60_000;

/** What to switch on; anything left unset stays off. */
export interface OpenTelemetrySettings {
  /** Serve Prometheus metrics on this port (0 picks a free one); unset: no metrics server. */
  metricsPort?: number;
  /** The address the metrics server listens on. */
  metricsHost: string;
  /** Send metrics and traces to Application Insights with this connection string. */
  azureConnectionString?: string;
  /** Send traces over OTLP/HTTP (JSON) to this base address; `/v1/traces` is added, as OTEL_EXPORTER_OTLP_ENDPOINT means. */
  otlpEndpoint?: string;
  serviceName: string;
  serviceVersion: string;
}

/** Telemetry that has been started: record through `telemetry`, and call `shutdown` on the way out. */
export interface OpenTelemetry {
  /** Records the catalogue's metrics; records nothing when no metrics exporter is on. */
  telemetry: Telemetry;
  /** Where Prometheus scrapes, with the port actually bound; undefined when the metrics server is off. */
  metricsUrl?: string;
  /** True when metrics or traces go anywhere; false when every exporter is off and recording would be thrown away. */
  exporting: boolean;
  /** Sends what is waiting, stops every exporter and closes the metrics server. Safe to call twice; never throws. */
  shutdown(): Promise<void>;
}

type Stop = () => Promise<void>;

/**
 * Starts OpenTelemetry as the settings ask: a meter provider (Prometheus on its own HTTP server and/or Azure Monitor
 * every 60 s) and a tracer provider (OTLP/HTTP and/or Azure Monitor), each registered globally so that `inSpan` and
 * the metrics API use them. With nothing set, nothing is loaded or registered and recording costs next to nothing.
 */
export async function startOpenTelemetry(settings: OpenTelemetrySettings, logger: Logger): Promise<OpenTelemetry> {
  const stops: Stop[] = [];
  let stopped: Promise<void> | undefined;
  const shutdown = (): Promise<void> => (stopped ??= stopAll(stops, logger));
  const metricsOn = settings.metricsPort !== undefined || settings.azureConnectionString !== undefined;
  const tracesOn = settings.otlpEndpoint !== undefined || settings.azureConnectionString !== undefined;
  if (!metricsOn && !tracesOn) return { telemetry: new Telemetry(), exporting: false, shutdown };
  try {
    stops.push(reportDiagnostics(logger));
    const resource = await serviceResource(settings);
    const started = metricsOn ? await startMetrics(settings, resource, stops, logger) : { telemetry: new Telemetry() };
    if (tracesOn) await startTraces(settings, resource, stops, logger);
    logger.info(
      {
        metrics: [settings.metricsPort !== undefined && "prometheus", settings.azureConnectionString && "azure-monitor"].filter(Boolean),
        traces: [settings.otlpEndpoint && "otlp", settings.azureConnectionString && "azure-monitor"].filter(Boolean),
        metricsUrl: started.metricsUrl,
      },
      "telemetry on",
    );
    return { telemetry: started.telemetry, metricsUrl: started.metricsUrl, exporting: true, shutdown };
  } catch (error) {
    await shutdown();
    throw error;
  }
}

/** The OTLP/HTTP traces address under a base address (OTEL_EXPORTER_OTLP_ENDPOINT's meaning): `<base>/v1/traces`. */
export function otlpTracesUrl(base: string): string {
  return `${base.replace(/\/+$/, "")}/v1/traces`;
}

async function serviceResource(settings: OpenTelemetrySettings): Promise<Resource> {
  const { defaultResource, resourceFromAttributes } = await import("@opentelemetry/resources");
  return defaultResource().merge(resourceFromAttributes({ "service.name": settings.serviceName, "service.version": settings.serviceVersion }));
}

async function startMetrics(
  settings: OpenTelemetrySettings,
  resource: Resource,
  stops: Stop[],
  logger: Logger,
): Promise<{ telemetry: Telemetry; metricsUrl?: string }> {
  const { MeterProvider, PeriodicExportingMetricReader } = await import("@opentelemetry/sdk-metrics");
  const readers: MetricReader[] = [];
  let prometheus: PrometheusExporter | undefined;
  if (settings.metricsPort !== undefined) {
    const { PrometheusExporter } = await import("@opentelemetry/exporter-prometheus");
    // Its own server cannot listen on port 0 (0 reads as "unset") nor tell the port it bound, so ours serves it.
    prometheus = new PrometheusExporter({ preventServerStart: true, withoutScopeInfo: true });
    readers.push(prometheus);
  }
  if (settings.azureConnectionString) {
    const { AzureMonitorMetricExporter } = await import("@azure/monitor-opentelemetry-exporter");
    const exporter = new AzureMonitorMetricExporter({ connectionString: settings.azureConnectionString });
    readers.push(new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: AZURE_METRICS_INTERVAL_MS }));
  }
  const provider = new MeterProvider({ resource, readers });
  const registered = metrics.setGlobalMeterProvider(provider);
  if (!registered) logger.warn("another meter provider was already registered; the bot's own metrics still go to its exporters");
  stops.push(async () => {
    await provider.shutdown();
    if (registered) metrics.disable();
  });
  let metricsUrl: string | undefined;
  if (prometheus && settings.metricsPort !== undefined) {
    const endpoint = await serveMetrics(prometheus, settings.metricsHost, settings.metricsPort);
    stops.push(() => endpoint.close());
    metricsUrl = endpoint.url;
  }
  return { telemetry: new Telemetry(provider.getMeter(METER_NAME)), metricsUrl };
}

async function startTraces(settings: OpenTelemetrySettings, resource: Resource, stops: Stop[], logger: Logger): Promise<void> {
  const { NodeTracerProvider, BatchSpanProcessor } = await import("@opentelemetry/sdk-trace-node");
  const spanProcessors: SpanProcessor[] = [];
  if (settings.otlpEndpoint) {
    const { OTLPTraceExporter } = await import("@opentelemetry/exporter-trace-otlp-http");
    spanProcessors.push(new BatchSpanProcessor(new OTLPTraceExporter({ url: otlpTracesUrl(settings.otlpEndpoint) })));
  }
  if (settings.azureConnectionString) {
    const { AzureMonitorTraceExporter } = await import("@azure/monitor-opentelemetry-exporter");
    spanProcessors.push(new BatchSpanProcessor(new AzureMonitorTraceExporter({ connectionString: settings.azureConnectionString })));
  }
  const provider = new NodeTracerProvider({ resource, spanProcessors });
  // The default context manager is AsyncLocalStorage's, so the active span follows awaits.
  provider.register();
  const registered = (trace.getTracerProvider() as ProxyTracerProvider).getDelegate() === provider;
  if (!registered) logger.warn("another tracer provider was already registered; the bot's spans go to it instead");
  stops.push(async () => {
    await provider.shutdown();
    if (!registered) return;
    trace.disable();
    context.disable();
    propagation.disable();
  });
}

/** Passes OpenTelemetry's own warnings and errors (an exporter that cannot send, say) to the log. */
function reportDiagnostics(logger: Logger): Stop {
  const to =
    (level: "warn" | "error") =>
    (message: string, ...args: unknown[]): void =>
      logger[level]({ details: args.map(describe) }, `telemetry: ${message}`);
  const ignore = (): void => undefined;
  diag.setLogger({ error: to("error"), warn: to("warn"), info: ignore, debug: ignore, verbose: ignore }, { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true });
  return () => {
    diag.disable();
    return Promise.resolve();
  };
}

function describe(arg: unknown): string {
  if (arg instanceof Error) return `${arg.name}: ${arg.message}`;
  if (Array.isArray(arg)) return arg.map(describe).join("; ");
  return typeof arg === "string" || typeof arg === "number" ? String(arg) : typeof arg;
}

/** Runs the stops newest first; one that fails is logged and the rest still run. */
async function stopAll(stops: Stop[], logger: Logger): Promise<void> {
  for (const stop of stops.reverse()) {
    try {
      await stop();
    } catch (error) {
      logger.warn({ details: describe(error) }, "telemetry did not stop cleanly");
    }
  }
}
