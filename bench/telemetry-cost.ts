/**
 * What metrics and tracing cost per turn, for `bench:turn`: a collector that takes OTLP/HTTP traces and drops them
 * (so the bot's exporter does its whole job), and the line that compares the bot with telemetry on and off.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";

/** A local OTLP/HTTP receiver that answers every export and keeps only a count of the requests. */
export interface DiscardCollector {
  url: string;
  exports(): number;
  close(): Promise<void>;
}

export async function startDiscardCollector(): Promise<DiscardCollector> {
  let exports = 0;
  const server = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      exports += 1;
      res.writeHead(200, { "content-type": "application/json" });
      res.end("{}");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    exports: () => exports,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** One server's figures, as far as this comparison needs them. */
export interface CostFigures {
  turnsPerSecond: number;
  cpuMsPerTurn: number;
}

/** "metrics and tracing on: … ms CPU per turn against … off (+… ms, +…%); … turns/s against …". */
export function telemetryCostLine(off: CostFigures, on: CostFigures, exports: number): string {
  const extra = on.cpuMsPerTurn - off.cpuMsPerTurn;
  const share = (extra / off.cpuMsPerTurn) * 100;
  const sign = (value: number): string => (value >= 0 ? "+" : "");
  return (
    `metrics and tracing on (METRICS_PORT, OTLP traces to a local collector, ${exports} exports): ` +
    `${on.cpuMsPerTurn.toFixed(3)} ms server CPU per turn against ${off.cpuMsPerTurn.toFixed(3)} off ` +
    `(${sign(extra)}${extra.toFixed(3)} ms, ${sign(share)}${share.toFixed(0)}%); ` +
    `${Math.round(on.turnsPerSecond).toLocaleString("en-GB")} turns/s against ${Math.round(off.turnsPerSecond).toLocaleString("en-GB")}`
  );
}
