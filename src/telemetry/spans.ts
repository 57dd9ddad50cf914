import { ProxyTracerProvider, SpanKind, SpanStatusCode, isSpanContextValid, trace } from "@opentelemetry/api";
import type { Attributes } from "@opentelemetry/api";

/** The tracer every span of the bot comes from. */
const TRACER_NAME = "nhsmail-helpdesk-bot";

/**
 * The span attributes {@link inSpan} passes on; any other attribute is left off.
 *
 * An attribute must be a fixed word the code chooses: the activity type, the card verb, the dialog id, the outcome,
 * the step, the method and the like. Never text someone typed, an address, a phone number, a name, or the id of a
 * person or a conversation. A string value must also look like such a word (a letter, then letters, digits, `_`,
 * `.`, `:` or `-`, at most 64 in all); anything else is recorded as "other", as the metrics' labels are. Span names
 * follow the same rule.
 */
export const spanAttributesAllowed: readonly string[] = [
  "activity_type",
  "channel",
  "verb",
  "dialog_id",
  "outcome",
  "step",
  "method",
  "reason",
  "task",
  "trigger",
  "kind",
  "op",
];

const ALLOWED = new Set(spanAttributesAllowed);
/** What the API's global provider hands spans to while no tracer provider is registered. */
const NO_TRACER_PROVIDER = new ProxyTracerProvider().getDelegate();
const FIXED_WORD = /^[A-Za-z][A-Za-z0-9_.:-]{0,63}$/;

/**
 * Runs `fn` inside a new span named `name`, the child of whatever span is active, so spans nest across awaits. When
 * `fn` throws, the span's status is ERROR and it records only the error's name (`error.type`), never its message,
 * since messages can carry addresses. The span always ends. With no tracer provider registered this costs next to
 * nothing.
 */
export function inSpan<T>(name: string, attributes: Record<string, string | number | boolean>, fn: () => Promise<T>, kind: SpanKind = SpanKind.INTERNAL): Promise<T> {
  if (!tracing()) return untraced(fn);
  return trace.getTracer(TRACER_NAME).startActiveSpan(name, { attributes: allowedAttributes(attributes), kind }, async (span) => {
    try {
      return await fn();
    } catch (error) {
      const type = errorType(error);
      span.setAttribute("error.type", type);
      span.setStatus({ code: SpanStatusCode.ERROR, message: type });
      throw error;
    } finally {
      span.end();
    }
  });
}

/** True when a tracer provider is registered (spans would go somewhere). */
function tracing(): boolean {
  const provider = trace.getTracerProvider();
  return !(provider instanceof ProxyTracerProvider) || provider.getDelegate() !== NO_TRACER_PROVIDER;
}

/** Runs `fn` as {@link inSpan} would with no tracer: a throw becomes a rejection. */
async function untraced<T>(fn: () => Promise<T>): Promise<T> {
  return fn();
}

/** Adds attributes (on the allowed list, cut down as {@link inSpan} does) to the span in progress, if any. */
export function noteOnSpan(attributes: Record<string, string | number | boolean>): void {
  trace.getActiveSpan()?.setAttributes(allowedAttributes(attributes));
}

/**
 * A pino `mixin`: the active span's `trace_id` and `span_id`, so a log line can be found from its trace and the other
 * way round; nothing when no span is active (or tracing is off).
 */
export function traceMixin(): { trace_id?: string; span_id?: string } {
  const context = trace.getActiveSpan()?.spanContext();
  if (!context || !isSpanContextValid(context)) return {};
  return { trace_id: context.traceId, span_id: context.spanId };
}

/** The attributes on the allowed list, each string cut down to a fixed word or "other". */
function allowedAttributes(attributes: Record<string, string | number | boolean>): Attributes {
  const allowed: Attributes = {};
  for (const [key, value] of Object.entries(attributes)) {
    if (!ALLOWED.has(key)) continue;
    allowed[key] = typeof value === "string" && !FIXED_WORD.test(value) ? "other" : value;
  }
  return allowed;
}

/** An error's name when it looks like a class name ("TypeError", "GraphError"); otherwise a plain word for it. */
function errorType(error: unknown): string {
  if (error instanceof Error) return FIXED_WORD.test(error.name) ? error.name : "Error";
  return typeof error;
}
