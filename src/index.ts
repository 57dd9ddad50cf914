import { serviceProblemOffer } from "./turn-errors";
import type { DestinationStream } from "pino";
import type { TurnContext } from "botbuilder";
import { ConfigError, loadConfig } from "./config";
import type { Config } from "./config";
import { createLogger } from "./logger";
import type { Logger } from "./logger";
import { openStateStore } from "./state";
import type { StateStore } from "./state";
import { createApp } from "./app";
import { BotServer } from "./server";
import { BotAdapter } from "./bot-adapter";
import { channelKeySettings, tokenChecker } from "./http/channel-auth";
import { createServices } from "./services";
import type { Directory } from "./directory";
import type { JobScheduler } from "./jobs/job-scheduler";
import type { AuditLog } from "./audit/audit-log";
import { ConversationReferenceStore, FirstLoginNotifier, ProactiveTurnHooks, UserMessenger, createNotifyHandler } from "./proactive";
import { syncMinutesLeft } from "./first-login";
import { ukTime } from "./uk-time";
import { registerFirstLoginJobs } from "./first-login/follow-ups";
import { AgentsChannel } from "./handoff/agents-channel";
import { createHandoffDesk } from "./handoff/desk";
import { StoreHandoffs } from "./handoff";
import type { WebChatGrant } from "./webchat/direct-line";
import { createWebChannel } from "./webchat/web-wiring";
import { startOpenTelemetry } from "./telemetry/open-telemetry";
import type { OpenTelemetry } from "./telemetry/open-telemetry";
import { meteredStore } from "./telemetry/metered-store";
import { DailyTally } from "./telemetry/daily-tally";
import { registerDailySummary } from "./telemetry/summary-job";
import type { DailySummaryJob } from "./telemetry/summary-job";
import { allowJobKinds } from "./telemetry/catalogue";
import { JobKind } from "./jobs/job-kinds";
import { version } from "../package.json";

/** How often the reminder sweep (MFA and password-expiry reminders) runs. */
const REMINDER_SWEEP_MS = 60 * 60_000;

/** How long a web chat conversation's client is remembered, for the per-user limits. */
const DAY_MS = 24 * 3600_000;

/** How long an activity id is remembered, to drop Teams' redeliveries (it retries after 15 s). */
const ACTIVITY_MEMORY_MS = 10 * 60_000;

/** A started bot service. */
export interface RunningService {
  /** Base URL, for example http://127.0.0.1:3978 */
  url: string;
  store: StateStore;
  logger: Logger;
  /** The directory in use (the embedded one, or Entra ID). */
  directory: Directory;
  /** The audit log (administration and tests). */
  audit: Pick<AuditLog, "list">;
  /** Durable scheduled jobs (tests run them with a moved clock). */
  jobs: Pick<JobScheduler, "runDue">;
  /** Requests received and not yet answered. */
  requestsInFlight(): number;
  /** Waits until every text, call and email under way has been sent (they go out off the turn). */
  drainMessages(): Promise<void>;
  /** Stops taking requests, lets turns in flight finish, then closes the store. Safe to call twice. */
  close(): Promise<void>;
  /**
   * A token for a new web chat visitor from the local Direct Line: a new conversation and a user id (`dl_…`) chosen
   * by the server. Undefined when the local Direct Line is off (`BOT_ID` or `DIRECTLINE_SECRET` set).
   */
  issueWebChatToken(): WebChatGrant | undefined;
  /** The local Direct Line's domain for Web Chat (`${url}/v3/directline`); undefined when it is off. */
  directLineDomain: string | undefined;
  /** Where Prometheus scrapes the metrics (`METRICS_PORT`); undefined when off. */
  metricsUrl?: string;
  /** The daily summary: `runNow()` posts the last 24 hours' card in the agents' channel at once. */
  summary: Pick<DailySummaryJob, "runNow">;
}

/** Options for {@link startService}, used by tests and benchmarks. */
export interface StartOptions {
  /** Where logs go (standard output by default). */
  logDestination?: DestinationStream;
  /** The project root: where env/, var/ and the password data live. Default: the working directory. */
  root?: string;
  /** The clock (tests move it to expire sessions and codes). */
  clock?: () => Date;
  /** Where the development outbox echoes each message; the console by default. Tests pass their own. */
  outboxEcho?: (line: string) => void;
  /** How proactive sends wait between retries (tests pass one that does not sleep). */
  retryDelay?: (ms: number) => Promise<void>;
}

/** OpenTelemetry as configured (metrics on METRICS_PORT, Azure Monitor, OTLP traces); the job kinds named for labels. */
function startTelemetry(config: Config, logger: Logger): Promise<OpenTelemetry> {
  allowJobKinds(Object.values(JobKind));
  return startOpenTelemetry(
    {
      metricsPort: config.METRICS_PORT,
      metricsHost: config.METRICS_HOST,
      azureConnectionString: config.APPLICATIONINSIGHTS_CONNECTION_STRING,
      otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT,
      serviceName: "nhsmail-helpdesk-bot",
      serviceVersion: version,
    },
    logger,
  );
}

/** The one wiring point: config → storage → app → server. */
export async function startService(config: Config, options: StartOptions = {}): Promise<RunningService> {
  const logger = createLogger({ level: config.LOG_LEVEL, destination: options.logDestination });
  const root = options.root ?? process.cwd();
  const clock = options.clock ?? (() => new Date());
  const otel = await startTelemetry(config, logger);
  const { telemetry } = otel;
  // Store calls are counted, timed and traced only when that goes somewhere: otherwise it is work for nothing, every turn.
  const unmetered = await openStateStore(config.STATE_URL);
  const store = otel.exporting ? meteredStore(unmetered, telemetry) : unmetered;
  const services = await createServices(config, store, logger, { root, clock, outboxEcho: options.outboxEcho, telemetry }).catch(async (error: unknown) => {
    await Promise.all([store.close(), otel.shutdown()]);
    throw error;
  });
  const adapter = new BotAdapter({
    MicrosoftAppId: config.BOT_ID ?? "",
    MicrosoftAppPassword: config.BOT_PASSWORD ?? "",
    MicrosoftAppType: config.BOT_TYPE,
    MicrosoftAppTenantId: config.BOT_TENANT_ID ?? "",
    ...channelKeySettings(config.BOT_OPENID_METADATA_URL),
  });
  adapter.telemetry = telemetry;
  const references = new ConversationReferenceStore(store, clock);
  const messenger = new UserMessenger({ references, adapter, botAppId: config.BOT_ID ?? "", logger, backoff: { delay: options.retryDelay }, telemetry });
  const helpdesk = { phone: config.HELPDESK_PHONE, email: config.HELPDESK_EMAIL };
  services.undelivered.connect((reference, text) =>
    adapter.continueConversationAsync(config.BOT_ID ?? "", reference, async (context) => {
      await context.sendActivity({ text, attachments: [serviceProblemOffer(helpdesk, "a message to them could not be sent")] });
    }),
  );
  const followUps = registerFirstLoginJobs(services.jobs, {
    listAccounts: () => services.listAccounts(),
    links: services.links,
    messenger,
    store,
    clock,
    logger,
    mfaReminderHours: config.MFA_REMINDER_HOURS,
    expiryReminderDays: config.PASSWORD_EXPIRY_REMINDER_DAYS,
    sweepEveryMs: REMINDER_SWEEP_MS,
  });
  await followUps.ensureReminderSweep();
  const notifier = new FirstLoginNotifier({
    store,
    findAccount: (email) => services.directory.findByEmail(email),
    links: services.links,
    checklistMessages: services.checklistMessages,
    messenger,
    syncMinutes: config.SYNC_MINUTES,
    logger,
    clock,
  });
  const syncWindow = async (context: TurnContext): Promise<{ minutesLeft: number; readyAt: string } | undefined> => {
    const email = await services.links.emailOf(context.activity.from?.aadObjectId ?? context.activity.from?.id ?? "");
    const account = email ? await services.directory.findByEmail(email) : undefined;
    const left = account ? syncMinutesLeft(account, config.SYNC_MINUTES, clock()) : undefined;
    return left && { minutesLeft: left.minutesLeft, readyAt: ukTime(left.readyAt) };
  };
  const channel = new AgentsChannel({ store, adapter, botAppId: config.BOT_ID ?? "", channelId: config.AGENTS_CHANNEL_ID, logger, backoff: { delay: options.retryDelay }, clock });
  // The counts behind the metrics, kept in the store by the hour: the morning summary reads them.
  const tally = new DailyTally(store, { clock, logger });
  telemetry.addSink(tally);
  const summary = registerDailySummary(services.jobs, { tally, channel, store, clock, logger, time: config.SUMMARY_TIME });
  await summary.ensureScheduled();
  const handoffs = new StoreHandoffs(store, { averageMinutes: config.HANDOFF_AVERAGE_MINUTES });
  const handoff = createHandoffDesk({ handoffs, channel, messenger, jobs: services.jobs, services: services.reset, timeoutMinutes: config.HANDOFF_TIMEOUT_MINUTES, logger });
  const app = createApp({
    adapter,
    storage: store.storage,
    logger,
    botAppId: config.BOT_ID,
    helpdesk: { phone: config.HELPDESK_PHONE, email: config.HELPDESK_EMAIL },
    reset: services.reset,
    firstLogin: services.firstLogin,
    syncWindow,
    agents: { isFor: (context) => handoff.isAgentActivity(context), handle: handoff.onAgentActivity },
    keepTranscript: true,
    handoff: {
      desk: handoff.desk,
      emailOf: async (user, conversationId) => (await services.links.emailOf(user)) ?? (await services.accountOfConversation(conversationId)),
      position: (id) => handoffs.position(id),
    },
    claimActivity: (key) => store.claim("activities", key, ACTIVITY_MEMORY_MS),
    proactive: new ProactiveTurnHooks(references, notifier, logger),
    webClientOf: async (conversationId) => (await webClients.get(conversationId)) ?? undefined,
  });
  // The local Direct Line, only without Azure: no app id (its requests to the bot are unsigned) and no secret.
  let listeningAt: string | undefined = undefined;
  const webClients = store.keyv<string>("webchat_clients");
  const web = createWebChannel(config, {
    logger,
    clock,
    baseUrl: () => {
      if (listeningAt === undefined) throw new Error("the server is not listening yet");
      return listeningAt;
    },
    limit: (client) => services.reset.throttles.consume("webchatTokens", client),
    rememberClient: async (conversationId, client) => void (await webClients.set(conversationId, services.reset.pseudonym(`client|${client}`), DAY_MS)),
  });
  const { localDirectLine, webChat } = web;
  const server = new BotServer({
    adapter,
    bot: (context) => app.run(context),
    ping: () => store.ping(),
    logger,
    maxBodyBytes: config.MAX_BODY_KB * 1024,
    checkToken: tokenChecker(config),
    notifyFirstLogin: config.NOTIFY_SECRET
      ? createNotifyHandler({
          secret: config.NOTIFY_SECRET,
          limit: (client) => services.reset.throttles.consume("notifyCalls", client),
          notify: (email, aadObjectId) => notifier.notify(email, aadObjectId),
          logger,
        })
      : undefined,
    directLine: localDirectLine,
    webChat,
  });
  const url = await server.listen(config.PORT, config.HOST);
  listeningAt = url;
  services.jobs.start(config.JOBS_POLL_SECONDS * 1000);
  logger.info({ url, metrics: otel.metricsUrl ?? "off", store: store.kind, authentication: config.BOT_ID ? "on" : "off", localDirectLine: localDirectLine ? "on" : "off" }, "bot listening");

  let closed: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closed ??= (async () => {
      await server.close(config.SHUTDOWN_GRACE_MS);
      // The development accounts are imported in the background after start: let that finish before the store closes.
      await services.embeddedDirectory?.whenSeeded();
      await services.close();
      await tally.close();
      await store.close();
      await otel.shutdown();
      logger.info("bot stopped");
    })());
  return {
    url,
    store,
    logger,
    directory: services.directory,
    audit: services.reset.audit,
    jobs: services.jobs,
    close,
    requestsInFlight: () => server.requestsInFlight,
    drainMessages: () => services.drainMessages(),
    issueWebChatToken: () => localDirectLine?.issueToken(),
    directLineDomain: localDirectLine?.domain,
    metricsUrl: otel.metricsUrl,
    summary,
  };
}

/** Command-line entry: load config (fail fast), start, and stop cleanly on SIGTERM/SIGINT. */
export async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  const service = await startService(config);
  const stop = (signal: string): void => {
    service.logger.info({ signal }, "shutting down");
    service.close().then(
      () => process.exit(0),
      (err: unknown) => {
        service.logger.error({ err }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  process.once("SIGTERM", () => stop("SIGTERM"));
  process.once("SIGINT", () => stop("SIGINT"));
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`Failed to start: ${(err as Error).message}\n`);
    process.exit(1);
  });
}
