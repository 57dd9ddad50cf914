/**
 * Every metric the bot records: its name (all start `helpdesk_`), what it counts, its unit and the labels it may
 * carry, each with the only words it may take. Nothing else can become a label: no address, name, phone number,
 * conversation id or anything typed. A value outside a label's words is recorded as "other".
 *
 * @packageDocumentation
 */

const ACTIVITY_TYPES = ["message", "conversationUpdate", "installationUpdate", "invoke", "event", "messageReaction", "messageUpdate", "messageDelete", "typing"] as const;
const CHANNELS = ["msteams", "directline", "webchat", "emulator"] as const;
const END_REASONS = ["blocked", "cancelled", "timed_out", "failed_verification"] as const;
const RESET_STEPS = ["address", "captcha", "method", "number", "code", "new_password"] as const;
const METHODS = ["captcha", "number", "sms", "voice", "app", "password", "secret"] as const;
const OUTCOMES = ["passed", "failed", "blocked"] as const;
const MESSAGE_CHANNELS = ["sms", "voice", "email"] as const;
const SEND_OUTCOMES = ["sent", "refused", "unavailable", "uncertain"] as const;
const TASKS = ["password", "aup", "profile", "mfa"] as const;
const DELIVERY_OUTCOMES = ["delivered", "queued", "failed"] as const;
const TRIGGERS = ["asked", "locked-out", "repeated-failures", "no-method", "first-login", "service-problem"] as const;
const JOB_OUTCOMES = ["done", "failed"] as const;
const STORE_OPS = ["read", "write", "delete", "claim"] as const;

/** How a metric is recorded. */
export type MetricKind = "counter" | "histogram" | "gauge";

/** One metric: its kind, description, unit and labels (each with its words; `"*"` for a job kind from the code). */
export interface MetricDefinition {
  kind: MetricKind;
  description: string;
  unit?: string;
  labels: Readonly<Record<string, readonly string[]>>;
  /** Histogram bucket boundaries, in the metric's unit. */
  buckets?: readonly number[];
}

const SECONDS_FAST = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const SECONDS_SLOW = [10, 30, 60, 120, 300, 600, 900, 1800, 3600];

/** The catalogue: the one place a metric's name and labels are spelled. */
export const METRICS = {
  helpdesk_turns: { kind: "counter", description: "Turns handled, by activity type and channel", labels: { activity_type: ACTIVITY_TYPES, channel: CHANNELS } },
  helpdesk_turn_duration: { kind: "histogram", description: "How long a turn took to handle", unit: "s", labels: { activity_type: ACTIVITY_TYPES }, buckets: SECONDS_FAST },
  helpdesk_resets_started: { kind: "counter", description: "Password resets started (an address given)", labels: {} },
  helpdesk_resets_completed: { kind: "counter", description: "Password resets completed (a new password set)", labels: {} },
  helpdesk_resets_ended: {
    kind: "counter",
    description: "Password resets that ended early, by reason and the step they were at",
    labels: { reason: END_REASONS, step: RESET_STEPS },
  },
  helpdesk_verifications: { kind: "counter", description: "Identity checks, by method and outcome", labels: { method: METHODS, outcome: OUTCOMES } },
  helpdesk_messages_sent: { kind: "counter", description: "Codes and notices sent, by channel and outcome", labels: { channel: MESSAGE_CHANNELS, outcome: SEND_OUTCOMES } },
  helpdesk_first_login_tasks_completed: { kind: "counter", description: "First-login tasks completed, by task", labels: { task: TASKS } },
  helpdesk_first_logins_completed: { kind: "counter", description: "First logins with every task done", labels: {} },
  helpdesk_proactive_deliveries: { kind: "counter", description: "Proactive messages, by outcome", labels: { outcome: DELIVERY_OUTCOMES } },
  helpdesk_handoffs_requested: { kind: "counter", description: "Requests for a person, by what led to them", labels: { trigger: TRIGGERS } },
  helpdesk_handoffs_taken: { kind: "counter", description: "Requests an agent took", labels: {} },
  helpdesk_handoffs_timed_out: { kind: "counter", description: "Requests nobody took in time", labels: {} },
  helpdesk_handoff_queue_length: { kind: "gauge", description: "Requests waiting for an agent", labels: {} },
  helpdesk_handoff_wait: { kind: "histogram", description: "Wait from a request until an agent took it", unit: "s", labels: {}, buckets: SECONDS_SLOW },
  helpdesk_jobs_run: { kind: "counter", description: "Scheduled jobs run, by kind and outcome", labels: { kind: ["*"], outcome: JOB_OUTCOMES } },
  helpdesk_job_lateness: { kind: "histogram", description: "How late a scheduled job started", unit: "s", labels: { kind: ["*"] }, buckets: [0.1, 1, 5, 15, 30, 60, 120, 300, 900] },
  helpdesk_store_operations: { kind: "counter", description: "State store operations, by kind", labels: { op: STORE_OPS } },
  helpdesk_store_operation_duration: { kind: "histogram", description: "How long a state store operation took", unit: "s", labels: { op: STORE_OPS }, buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5] },
} as const satisfies Record<string, MetricDefinition>;

/** A metric's name. */
export type MetricName = keyof typeof METRICS;
/** The counters' names. */
export type CounterName = { [N in MetricName]: (typeof METRICS)[N]["kind"] extends "counter" ? N : never }[MetricName];
/** The histograms' names. */
export type HistogramName = { [N in MetricName]: (typeof METRICS)[N]["kind"] extends "histogram" ? N : never }[MetricName];
/** The gauges' names. */
export type GaugeName = { [N in MetricName]: (typeof METRICS)[N]["kind"] extends "gauge" ? N : never }[MetricName];
/** The labels a metric takes, each with its words. */
export type LabelsOf<N extends MetricName> = { [L in keyof (typeof METRICS)[N]["labels"]]?: string };

/** The job kinds a `kind` label may name: the code's own job kinds, set once at start. */
let jobKinds: readonly string[] = [];

/** Names the job kinds (`src/jobs/job-kinds.ts`) the `kind` label may take. */
export function allowJobKinds(kinds: readonly string[]): void {
  jobKinds = kinds;
}

/** A label's value as recorded: one of its words, else "other". */
export function labelValue(metric: MetricName, label: string, value: string | undefined): string {
  const words = (METRICS[metric].labels as Record<string, readonly string[]>)[label];
  if (!words || value === undefined) return "other";
  const allowed = words[0] === "*" ? jobKinds : words;
  return allowed.includes(value) ? value : "other";
}

/** Every label of a metric, each with a recorded value (missing ones as "other"), in the catalogue's order. */
export function labelsFor(metric: MetricName, given: Record<string, string | undefined> = {}): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const label of Object.keys(METRICS[metric].labels)) labels[label] = labelValue(metric, label, given[label]);
  return labels;
}
