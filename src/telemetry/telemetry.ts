import { metrics } from "@opentelemetry/api";
import type { Counter, Gauge, Histogram, Meter } from "@opentelemetry/api";
import { METRICS, labelsFor } from "./catalogue";
import type { CounterName, GaugeName, HistogramName, LabelsOf, MetricName } from "./catalogue";

/**
 * Where counts also go, besides the metrics: the daily tally that keeps them in the store, so the morning summary
 * reads the same numbers the dashboards do and they add up across instances and restarts.
 */
export interface TallySink {
  add(metric: CounterName, labels: Readonly<Record<string, string>>, by: number): void;
  sample(metric: HistogramName, value: number): void;
}

/**
 * Records the catalogue's metrics (see `catalogue.ts`) through the OpenTelemetry metrics API, and passes counts and
 * samples to the tally sinks. Labels are cut down to the catalogue's words before anything is recorded. Plain
 * TypeScript behind the OpenTelemetry API: with no meter provider registered it records nothing and costs little.
 */
export class Telemetry {
  private readonly counters = new Map<MetricName, Counter>();
  private readonly histograms = new Map<MetricName, Histogram>();
  private readonly gauges = new Map<MetricName, Gauge>();
  private readonly sinks: TallySink[] = [];

  constructor(private readonly meter: Meter = metrics.getMeter("nhsmail-helpdesk-bot")) {}

  /** Adds a sink that is told every count and sample from now on. */
  addSink(sink: TallySink): void {
    this.sinks.push(sink);
  }

  /** Adds `by` (default 1) to a counter. */
  count<N extends CounterName>(metric: N, labels?: LabelsOf<N>, by = 1): void {
    const recorded = labelsFor(metric, labels);
    this.counter(metric).add(by, recorded);
    for (const sink of this.sinks) sink.add(metric, recorded, by);
  }

  /** Records one value in a histogram (in the metric's unit). */
  observe<N extends HistogramName>(metric: N, value: number, labels?: LabelsOf<N>): void {
    this.histogram(metric).record(value, labelsFor(metric, labels));
    for (const sink of this.sinks) sink.sample(metric, value);
  }

  /** Sets a gauge to its current value. */
  set<N extends GaugeName>(metric: N, value: number, labels?: LabelsOf<N>): void {
    let gauge = this.gauges.get(metric);
    if (!gauge) this.gauges.set(metric, (gauge = this.meter.createGauge(metric, { description: METRICS[metric].description })));
    gauge.record(value, labelsFor(metric, labels));
  }

  /**
   * Reports a gauge from a reading taken at each collection (a scrape, an export), so every instance reports the
   * value as it stands in the shared store rather than the last value it happened to see. A failed reading is
   * skipped for that collection.
   */
  watch<N extends GaugeName>(metric: N, read: () => Promise<number>): void {
    const gauge = this.meter.createObservableGauge(metric, { description: METRICS[metric].description });
    gauge.addCallback(async (result) => {
      const value = await read().catch(() => undefined);
      if (value !== undefined) result.observe(value, labelsFor(metric));
    });
  }

  /** Times an operation into a histogram (seconds), whether it succeeds or fails. */
  async time<T, N extends HistogramName>(metric: N, labels: LabelsOf<N>, operation: () => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      return await operation();
    } finally {
      this.observe(metric, (performance.now() - started) / 1000, labels);
    }
  }

  private counter(metric: MetricName): Counter {
    let counter = this.counters.get(metric);
    if (!counter) this.counters.set(metric, (counter = this.meter.createCounter(metric, { description: METRICS[metric].description })));
    return counter;
  }

  private histogram(metric: MetricName): Histogram {
    let histogram = this.histograms.get(metric);
    if (!histogram) {
      const definition = METRICS[metric];
      const buckets = "buckets" in definition ? [...definition.buckets] : undefined;
      histogram = this.meter.createHistogram(metric, { description: definition.description, unit: "unit" in definition ? definition.unit : undefined, advice: buckets ? { explicitBucketBoundaries: buckets } : undefined });
      this.histograms.set(metric, histogram);
    }
    return histogram;
  }
}
