import path from "node:path";
import type { Config } from "./config";
import type { Logger } from "./logger";
import type { StateStore } from "./state";
import { EmbeddedDirectory, SecretBox, resolveSecretsKey } from "./directory";
import { BackgroundSender, OutboxSender } from "./messaging";
import { StoreAuditLog } from "./audit";
import { StoredOneTimeCodes, OtplibTotpVerifier, ImageCaptcha, maskedHint, fakeHint } from "./verification";
import { StoreThrottles } from "./verification/throttles";
import { createPasswordPolicy } from "./policy";
import type { ResetServices } from "../dialogs/reset-services";
import type { FirstLoginServices } from "../dialogs/first-login-services";
import { ChecklistMessages, UserLinks } from "./first-login";
import { JobScheduler } from "./jobs/job-scheduler";
import { generateTotpSecret } from "./verification/totp";
import { qrCodeDataUri } from "./verification/qr-code";
import { JobKind } from "./jobs/job-kinds";

const DAY_MS = 24 * 3_600_000;

/** The services a running bot holds, and how to release them. */
export interface Services {
  reset: ResetServices;
  /** The reset services plus what first login needs (a superset of `reset`). */
  firstLogin: FirstLoginServices;
  links: UserLinks;
  checklistMessages: ChecklistMessages;
  /** Durable scheduled jobs (the sync follow-up, reminders); handlers are registered by the wiring. */
  jobs: JobScheduler;
  directory: EmbeddedDirectory;
  /** The account a conversation was last about (typed in a reset or sign-in), kept a day. */
  accountOfConversation(conversationId: string): Promise<string | undefined>;
  /** Waits until every message under way has been sent. */
  drainMessages(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Builds the services over the one state store, from the configuration: the embedded directory (seeded from
 * ACCOUNTS_FILE), the outbox, audit, codes, TOTP, throttles, captcha and the password policy. Part of the wiring
 * that `index.ts` does; nothing else constructs adapters.
 */
export async function createServices(
  config: Config,
  store: StateStore,
  logger: Logger,
  { root, clock, outboxEcho }: { root: string; clock: () => Date; outboxEcho?: (line: string) => void },
): Promise<Services> {
  const box = new SecretBox(resolveSecretsKey({ SECRETS_KEY: config.SECRETS_KEY }, path.join(root, "var", "secrets.key")));
  const hmac = (text: string): string => box.hmac(text);
  if (!config.SECRETS_KEY) logger.warn("SECRETS_KEY is not set: using the development key in var/secrets.key");

  const policy = await createPasswordPolicy({
    root,
    breachSource: config.BREACH_SOURCE,
    breachIndexFile: config.BREACH_INDEX_FILE ? path.resolve(root, config.BREACH_INDEX_FILE) : undefined,
    hibpUrl: config.HIBP_URL,
    hibpTimeoutMs: config.HIBP_TIMEOUT_MS,
    hibpFailMode: config.HIBP_FAIL_MODE,
    historyLength: config.PASSWORD_HISTORY,
    scryptLog2N: config.SCRYPT_LOG2N,
    logger,
  });

  const directory = new EmbeddedDirectory(store.storage, box);
  const seeded = await directory.seedFromFile(path.resolve(root, config.ACCOUNTS_FILE), { hasher: policy.hasher });
  if (seeded.imported.length > 0) logger.info({ accounts: seeded.imported.length }, "imported development accounts");

  const conversationAccounts = store.keyv<string>("conversation_account");
  const outbox = new OutboxSender({ file: path.resolve(root, config.OUTBOX_FILE), now: clock, print: outboxEcho });
  const sender = new BackgroundSender(outbox, (err, channel) => logger.error({ err: { message: (err as Error).message }, channel }, "message not sent"));
  const reset: ResetServices = {
    directory,
    codes: new StoredOneTimeCodes(store, { hmac, now: clock }),
    totp: new OtplibTotpVerifier(store, { now: clock }),
    throttles: new StoreThrottles(store, { notifyCalls: { points: config.NOTIFY_RATE_PER_MINUTE } }),
    captcha: config.CAPTCHA === "off" ? undefined : new ImageCaptcha({ hmac }),
    sender,
    audit: new StoreAuditLog(store.storage, { logger, now: clock }),
    policy: policy.policy,
    hasher: policy.hasher,
    mobileHint: (email, account) => (account?.mobile ? maskedHint(account.mobile) : fakeHint(email, hmac)),
    pseudonym: (userId) => hmac(`user|${userId}`).slice(0, 16),
    clock,
    helpdesk: { phone: config.HELPDESK_PHONE, email: config.HELPDESK_EMAIL },
    sessionMinutes: config.RESET_SESSION_MINUTES,
    rememberAccount: async (conversationId, email) => void (await conversationAccounts.set(conversationId, email, DAY_MS)),
  };
  const links = new UserLinks(store);
  const checklistMessages = new ChecklistMessages(store);
  const jobs = new JobScheduler(store, { clock, logger });
  const firstLogin: FirstLoginServices = {
    ...reset,
    links,
    checklistMessages,
    syncMinutes: config.SYNC_MINUTES,
    scheduleSyncFollowUp: (email, readyAt) => jobs.schedule(JobKind.SyncFollowUp, `sync|${email}`, readyAt, { email }),
    qrCode: qrCodeDataUri,
    newTotpSecret: generateTotpSecret,
  };
  const close = async (): Promise<void> => {
    await jobs.stop();
    await sender.drain();
    await policy.close();
  };
  const accountOfConversation = async (conversationId: string): Promise<string | undefined> => (await conversationAccounts.get(conversationId)) ?? undefined;
  return { accountOfConversation, reset, firstLogin, links, checklistMessages, jobs, directory, drainMessages: () => sender.drain(), close };
}
