import fs from "node:fs";
import path from "node:path";
import dotenv from "dotenv";
import { z } from "zod";
import { DEFAULT_BREACH_MEMORY_MB } from "./policy/breach/offline";
import { TIME_OF_DAY } from "./telemetry/uk-clock";

/** Environment variables whose values must never be printed, even when invalid. */
export const SECRET_VARIABLES: ReadonlySet<string> = new Set(["BOT_PASSWORD", "SECRETS_KEY", "NOTIFY_SECRET", "DIRECTLINE_SECRET", "GRAPH_CLIENT_SECRET", "NOTIFY_API_KEY", "APPLICATIONINSIGHTS_CONNECTION_STRING"]);

const blankToUndefined = (value: unknown): unknown =>
  typeof value === "string" && value.trim() === "" ? undefined : value;

const optionalText = z.preprocess(blankToUndefined, z.string().trim().min(1).optional());
const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const port = z.coerce.number().int().min(0).max(65535);
const optionalGuid = (what: string): z.ZodType<string | undefined, z.ZodTypeDef, unknown> =>
  z.preprocess(blankToUndefined, z.string().trim().regex(guid, `must be a GUID (${what})`).optional());
const httpsUrl = (fallback: string): z.ZodType<string, z.ZodTypeDef, unknown> =>
  z.preprocess(blankToUndefined, z.string().url().refine((v) => v.startsWith("https://"), "must be an https:// address").default(fallback));
const onOff = z.enum(["on", "off"], { errorMap: () => ({ message: 'must be "on" or "off"' }) });

/** The one schema over the environment: every setting the service reads, with its default. */
export const configSchema = z
  .object({
    PORT: port.default(3978),
    HOST: z.string().min(1).default("0.0.0.0"),
    STATE_URL: z
      .string()
      .regex(/^(sqlite|redis|rediss|memory):\/\//, "must start with sqlite://, redis://, rediss:// or memory://")
      .default("sqlite://var/state.sqlite"),
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
    BOT_ID: z.preprocess(blankToUndefined, z.string().regex(guid, "must be a GUID (the bot's Microsoft app id)").optional()),
    BOT_PASSWORD: optionalText,
    BOT_TYPE: z.enum(["MultiTenant", "SingleTenant", "UserAssignedMSI"]).default("MultiTenant"),
    BOT_TENANT_ID: z.preprocess(blankToUndefined, z.string().regex(guid, "must be a GUID (the Entra tenant id)").optional()),
    // Where the Bot Framework channel publishes its token-signing keys; unset: the public cloud's.
    BOT_OPENID_METADATA_URL: z.preprocess(blankToUndefined, z.string().url().optional()),
    // Azure Bot Service's Direct Line (used with DIRECTLINE_SECRET); a regional one, or a stand-in in tests, may replace it.
    DIRECTLINE_DOMAIN: z.string().url().default("https://directline.botframework.com/v3/directline"),
    MAX_BODY_KB: z.coerce.number().int().min(16).max(4096).default(256),
    SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(120_000).default(10_000),
    HELPDESK_PHONE: z.string().min(3).default("0333 200 1133"),
    HELPDESK_EMAIL: z.string().email("must be an email address").default("helpdesk@nhs.net"),
    ACCOUNTS_FILE: z.string().min(1).default("env/accounts.dev.json"),
    OUTBOX_FILE: z.string().min(1).default("var/outbox.jsonl"),
    // Only the exact word "off" turns the captcha off (automated tests); anything else keeps it on.
    CAPTCHA: z.string().default("on"),
    SECRETS_KEY: z.preprocess(
      blankToUndefined,
      z.string().refine((v) => Buffer.from(v, "base64").length === 32, "must be 32 random bytes in base64").optional(),
    ),
    RESET_SESSION_MINUTES: z.coerce.number().int().min(1).max(120).default(15),
    PASSWORD_HISTORY: z.coerce.number().int().min(0).max(24).default(4),
    SCRYPT_LOG2N: z.coerce.number().int().min(10).max(20).default(15),
    BREACH_SOURCE: z.enum(["offline", "hibp", "both", "off"]).default("offline"),
    BREACH_INDEX_FILE: optionalText,
    BREACH_INDEX_MEMORY_MB: z.coerce.number().int().min(0).max(4096).default(DEFAULT_BREACH_MEMORY_MB),
    HIBP_URL: z.string().url().default("https://api.pwnedpasswords.com"),
    HIBP_TIMEOUT_MS: z.coerce.number().int().min(100).max(30_000).default(3000),
    HIBP_FAIL_MODE: z.enum(["open", "closed"]).default("open"),
    // Unset: POST /api/notify/first-login is not served (404).
    NOTIFY_SECRET: z.preprocess(blankToUndefined, z.string().min(32, "must be at least 32 characters").optional()),
    NOTIFY_RATE_PER_MINUTE: z.coerce.number().int().min(1).max(10_000).default(60),
    SYNC_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(120),
    MFA_REMINDER_HOURS: z.coerce.number().int().min(1).max(24 * 30).default(24),
    PASSWORD_EXPIRY_REMINDER_DAYS: z
      .string()
      .default("14,7,1")
      .transform((value, ctx) => {
        const days = value.split(",").map((d) => d.trim()).filter((d) => d !== "").map(Number);
        if (days.some((d) => !Number.isInteger(d) || d < 1 || d > 364)) {
          ctx.addIssue({ code: z.ZodIssueCode.custom, message: "must be whole days between 1 and 364, separated by commas, e.g. 14,7,1" });
          return z.NEVER;
        }
        return [...new Set(days)].sort((a, b) => b - a);
      }),
    JOBS_POLL_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
    // The agents' channel: its conversation id (19:…@thread.tacv2); the reference is captured when the bot is
    // installed in that team or anyone posts there. Unset: no queue, people get the helpdesk's contact details.
    AGENTS_CHANNEL_ID: z.preprocess(blankToUndefined, z.string().regex(/^19:[^;\s]+$/, "must be a Teams channel id, 19:…@thread.tacv2").optional()),
    HANDOFF_TIMEOUT_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(15),
    HANDOFF_AVERAGE_MINUTES: z.coerce.number().int().min(1).max(240).default(5),
    // When the daily summary is posted in the agents' channel, UK time (Europe/London, whether GMT or BST).
    SUMMARY_TIME: z.preprocess(blankToUndefined, z.string().trim().regex(TIME_OF_DAY, "must be a time of day on the 24-hour clock, HH:MM, e.g. 08:00").default("08:00")),
    // The web chat's Direct Line secret (Azure Bot Service's Direct Line channel). Unset, and with no BOT_ID, the bot
    // serves a local Direct Line itself under /v3/directline, for development and tests.
    DIRECTLINE_SECRET: optionalText,
    // Where accounts live: the embedded directory (ACCOUNTS_FILE) or Microsoft Entra ID through Microsoft Graph.
    DIRECTORY: z.enum(["embedded", "graph"]).default("embedded"),
    GRAPH_TENANT_ID: z.preprocess(
      blankToUndefined,
      z.string().trim().regex(/^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[a-z0-9-]+(\.[a-z0-9-]+)+)$/i, "must be the tenant's id (a GUID) or its domain").optional(),
    ),
    GRAPH_CLIENT_ID: optionalGuid("the app registration's application (client) id"),
    // Unset with DIRECTORY=graph: the host's managed identity (with GRAPH_CLIENT_ID) is used.
    GRAPH_CLIENT_SECRET: optionalText,
    GRAPH_BASE_URL: httpsUrl("https://graph.microsoft.com/v1.0"),
    AZURE_AUTHORITY_HOST: httpsUrl("https://login.microsoftonline.com"),
    GRAPH_TIMEOUT_MS: z.coerce.number().int().min(500).max(60_000).default(10_000),
    REVOKE_SESSIONS_AFTER_RESET: onOff.default("on"),
    // How texts and emails leave: the development outbox (OUTBOX_FILE) or GOV.UK Notify.
    MESSAGING: z.enum(["outbox", "notify"]).default("outbox"),
    NOTIFY_API_KEY: z.preprocess(
      blankToUndefined,
      z.string().trim().regex(/^.+-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, "must be a GOV.UK Notify API key: its name, then the service id and the secret key").optional(),
    ),
    NOTIFY_BASE_URL: z.preprocess(blankToUndefined, z.string().url().default("https://api.notifications.service.gov.uk")),
    NOTIFY_SMS_TEMPLATE_ID: optionalGuid("a GOV.UK Notify text message template whose content is ((body))"),
    NOTIFY_EMAIL_TEMPLATE_ID: optionalGuid("a GOV.UK Notify email template with subject ((subject)) and content ((body))"),
    NOTIFY_TIMEOUT_MS: z.coerce.number().int().min(500).max(60_000).default(10_000),
    // Telemetry; each part is off until set. Prometheus scrapes http://METRICS_HOST:METRICS_PORT/metrics.
    METRICS_PORT: z.preprocess(blankToUndefined, port.optional()),
    METRICS_HOST: z.string().min(1).default("127.0.0.1"),
    // Metrics and traces to Application Insights. It holds the instrumentation key, so it is never printed.
    APPLICATIONINSIGHTS_CONNECTION_STRING: z.preprocess(
      blankToUndefined,
      z.string().trim().regex(/(^|;)\s*InstrumentationKey=[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\s*(;|$)/, "must be an Application Insights connection string, InstrumentationKey=<GUID in lower case>;IngestionEndpoint=…").optional(),
    ),
    // Traces over OTLP/HTTP to a collector: its base address (the traces go to <address>/v1/traces).
    OTEL_EXPORTER_OTLP_ENDPOINT: z.preprocess(
      blankToUndefined,
      z.string().trim().url().refine((v) => /^https?:\/\//.test(v), "must be an http:// or https:// address").optional(),
    ),
  })
  .superRefine((cfg, ctx) => {
    if (cfg.BOT_TYPE === "SingleTenant" && !cfg.BOT_TENANT_ID) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["BOT_TENANT_ID"], message: "is required when BOT_TYPE is SingleTenant" });
    }
    if (cfg.BOT_ID && cfg.BOT_TYPE !== "UserAssignedMSI" && !cfg.BOT_PASSWORD) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["BOT_PASSWORD"], message: "is required when BOT_ID is set" });
    }
    const required = (when: boolean, names: (keyof typeof cfg)[], because: string): void => {
      for (const name of names) if (when && !cfg[name]) ctx.addIssue({ code: z.ZodIssueCode.custom, path: [name], message: `is required when ${because}` });
    };
    required(cfg.DIRECTORY === "graph", ["GRAPH_TENANT_ID", "GRAPH_CLIENT_ID"], "DIRECTORY is graph");
    required(cfg.MESSAGING === "notify", ["NOTIFY_API_KEY", "NOTIFY_SMS_TEMPLATE_ID", "NOTIFY_EMAIL_TEMPLATE_ID"], "MESSAGING is notify");
  });

/** The validated configuration the service runs with. */
export type Config = z.infer<typeof configSchema>;

/** Raised when the environment holds invalid settings; its message lists every bad variable, never a secret. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

/**
 * Validates an environment object. Messages name the variable and the rule; a received value is shown only
 * for non-secret variables, so a mistyped secret is never echoed into logs.
 */
export function parseConfig(env: Record<string, string | undefined>): Config {
  const result = configSchema.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = issue.path.join(".") || "(environment)";
    const shown = SECRET_VARIABLES.has(name) ? "" : describeReceived(env[name]);
    return `${name} ${issue.message.replace(/^./, (c) => c.toLowerCase())}${shown}`;
  });
  throw new ConfigError(problems);
}

function describeReceived(value: string | undefined): string {
  if (value === undefined) return "";
  const trimmed = value.length > 60 ? `${value.slice(0, 57)}...` : value;
  return ` (got "${trimmed}")`;
}

/**
 * Reads `env/.env.<name>` (committed defaults) and `env/.env.<name>.user` (ignored, secrets) from `root`;
 * real environment variables win over both. `ENV_NAME` picks the name, `dev` by default.
 */
export function readEnvironment(
  processEnv: Record<string, string | undefined> = process.env,
  root: string = process.cwd(),
): Record<string, string | undefined> {
  const name = processEnv.ENV_NAME ?? "dev";
  const merged: Record<string, string | undefined> = {};
  for (const file of [`.env.${name}`, `.env.${name}.user`]) {
    const full = path.join(root, "env", file);
    if (fs.existsSync(full)) Object.assign(merged, dotenv.parse(fs.readFileSync(full)));
  }
  return { ...merged, ...processEnv };
}

/** Loads and validates the configuration; throws {@link ConfigError} listing every bad variable. */
export function loadConfig(processEnv: Record<string, string | undefined> = process.env, root?: string): Config {
  return parseConfig(readEnvironment(processEnv, root));
}
