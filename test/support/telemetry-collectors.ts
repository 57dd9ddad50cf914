import http from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import { gunzipSync } from "node:zlib";
import { testTls } from "./test-tls";

/** One request a stand-in received, its body unzipped when it came gzipped. */
export interface ReceivedRequest {
  method: string;
  path: string;
  contentType: string | undefined;
  contentEncoding: string | undefined;
  body: string;
}

/** A local stand-in that records what is posted to it. */
export interface CollectorStandIn {
  /** Its base address, for example http://127.0.0.1:4318 (no trailing slash). */
  url: string;
  received: ReceivedRequest[];
  close(): Promise<void>;
}

/** One OTLP span as OTLP/HTTP JSON carries it (ids in hex). */
export interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  attributes: { key: string; value: { stringValue?: string; intValue?: string; boolValue?: boolean } }[];
  status: { code?: number; message?: string };
  events: unknown[];
}

/** One Application Insights envelope, as the Azure Monitor exporter posts them to `/v2.1/track`. */
export interface TrackEnvelope {
  name: string;
  iKey: string;
  tags: Record<string, string>;
  data: { baseType: string; baseData: { name?: string; metrics?: { name: string; value: number; count?: number }[]; properties?: Record<string, string> } };
}

/**
 * A stand-in for an OpenTelemetry collector's OTLP/HTTP receiver: `POST /v1/traces` answers 200 with an empty
 * export response; anything else 404.
 */
export function startOtlpCollector(): Promise<CollectorStandIn> {
  return listen(http.createServer(), (request) => (request.path === "/v1/traces" ? { status: 200, body: "{}" } : { status: 404, body: "" }));
}

/**
 * A stand-in for Application Insights' ingestion endpoint over HTTPS with the test certificate: `POST /v2.1/track`
 * takes every envelope (the exporter sends a JSON array); anything else 404.
 */
export function startIngestionStandIn(): Promise<CollectorStandIn> {
  const tls = testTls();
  return listen(https.createServer({ cert: tls.cert, key: tls.key }), (request) => {
    if (request.path !== "/v2.1/track") return { status: 404, body: "" };
    const count = (JSON.parse(request.body) as unknown[]).length;
    return { status: 200, body: JSON.stringify({ itemsReceived: count, itemsAccepted: count, errors: [] }) };
  });
}

/** Every span in the OTLP/HTTP JSON export requests received. */
export function otlpSpans(collector: CollectorStandIn): OtlpSpan[] {
  return collector.received
    .filter((r) => r.path === "/v1/traces")
    .flatMap((r) => (JSON.parse(r.body) as { resourceSpans: { scopeSpans: { spans: OtlpSpan[] }[] }[] }).resourceSpans)
    .flatMap((resource) => resource.scopeSpans.flatMap((scope) => scope.spans));
}

/** Every envelope the ingestion stand-in received. */
export function trackEnvelopes(standIn: CollectorStandIn): TrackEnvelope[] {
  return standIn.received.filter((r) => r.path === "/v2.1/track").flatMap((r) => JSON.parse(r.body) as TrackEnvelope[]);
}

/** An OTLP span's attributes as a plain object. */
export function spanAttributes(span: OtlpSpan): Record<string, string | boolean | undefined> {
  return Object.fromEntries(span.attributes.map((a) => [a.key, a.value.stringValue ?? a.value.intValue ?? a.value.boolValue]));
}

/** A destination for pino that keeps the JSON lines. */
export class LinesCapture extends Writable {
  readonly lines: Record<string, unknown>[] = [];
  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    for (const line of chunk.toString("utf8").split("\n").filter(Boolean)) this.lines.push(JSON.parse(line) as Record<string, unknown>);
    done();
  }
}

async function listen(
  server: http.Server | https.Server,
  answer: (request: ReceivedRequest) => { status: number; body: string },
): Promise<CollectorStandIn> {
  const received: ReceivedRequest[] = [];
  server.on("request", (request: http.IncomingMessage, response: http.ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const raw = Buffer.concat(chunks);
      const encoding = request.headers["content-encoding"];
      const entry: ReceivedRequest = {
        method: request.method ?? "",
        path: new URL(request.url ?? "/", "http://stand-in.invalid").pathname,
        contentType: request.headers["content-type"],
        contentEncoding: encoding,
        body: (encoding === "gzip" ? gunzipSync(raw) : raw).toString("utf8"),
      };
      received.push(entry);
      const { status, body } = answer(entry);
      response.writeHead(status, { "content-type": "application/json" });
      response.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const scheme = server instanceof https.Server ? "https" : "http";
  return {
    url: `${scheme}://127.0.0.1:${port}`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
