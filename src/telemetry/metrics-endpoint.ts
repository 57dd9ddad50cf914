import http from "node:http";
import type { AddressInfo } from "node:net";
import type { PrometheusExporter } from "@opentelemetry/exporter-prometheus";

/** The path Prometheus scrapes. */
export const METRICS_PATH = "/metrics";

/** A running `/metrics` server. */
export interface MetricsEndpoint {
  /** Where to scrape, for example http://127.0.0.1:9464/metrics (with the port actually bound). */
  url: string;
  /** Stops taking scrapes and closes open connections. Safe to call twice. */
  close(): Promise<void>;
}

/**
 * Serves the Prometheus exporter's text on its own HTTP server at `host:port` (port 0 picks a free one). Only
 * `GET /metrics` answers; anything else is 404. The server does not keep the process alive on its own.
 */
export async function serveMetrics(exporter: PrometheusExporter, host: string, port: number): Promise<MetricsEndpoint> {
  const server = http.createServer((request, response) => {
    if (request.method === "GET" && pathOf(request.url) === METRICS_PATH) {
      exporter.getMetricsRequestHandler(request, response);
      return;
    }
    response.statusCode = 404;
    response.end();
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen({ host, port }, () => {
      server.off("error", reject);
      resolve();
    });
  });
  server.unref();
  const bound = server.address() as AddressInfo;
  const shownHost = bound.family === "IPv6" ? `[${bound.address}]` : bound.address;
  let closed: Promise<void> | undefined;
  return {
    url: `http://${shownHost}:${bound.port}${METRICS_PATH}`,
    close: () =>
      (closed ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      })),
  };
}

function pathOf(url: string | undefined): string | undefined {
  try {
    return new URL(url ?? "", "http://metrics.invalid").pathname;
  } catch {
    return undefined;
  }
}
