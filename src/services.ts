import path from "node:path";
import type { Config } from "./config";
import type { Logger } from "./logger";
import type { StateStore } from "./state";
import type { ConversationReference } from "botbuilder";
import { SecretBox, resolveSecretsKey } from "./directory";
import type { Account, Directory, EmbeddedDirectory } from "./directory";
import { BackgroundSender, MessageNotSentError } from "./messaging";
import { UndeliveredNotices } from "./messaging/undelivered-notices";
import { chooseDirectory, chooseMessageSender } from "./adapters";
import { Telemetry } from "./telemetry/telemetry";
import { CountedSender } from "./telemetry/counted-sender";
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
  directory: Directory;
  /** The embedded directory, when `DIRECTORY=embedded` (administration and tests). */
  embeddedDirectory?: EmbeddedDirectory;
  /** The accounts the reminder sweep looks at. */
  listAccounts(): Promise<Account[]>;
  /** Tells a conversation when a message sent from it failed; connected to the adapter by the wiring. */
  undelivered: UndeliveredNotices<Partial<ConversationReference>>;
  /** The account a conversation was last about (typed in a reset or sign-in), kept a day. */
  accountOfConversation(conversationId: string): Promise<string | undefined>;
  /** Waits until every message under way has been sent. */
  drainMessages(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Builds the services over the one state store, from the configuration: the directory (embedded, seeded from
 * ACCOUNTS_FILE, or Entra ID), the message provider (the outbox or GOV.UK Notify), audit, codes, TOTP, throttles,
 * captcha and the password policy. Part of the wiring that `index.ts` does; nothing else constructs adapters.
 */
export async function createServices(
  config: Config,
  store: StateStore,
  logger: Logger,
  { root, clock, outboxEcho, telemetry = new Telemetry() }: { root: string; clock: () => Date; outboxEcho?: (line: string) => void; telemetry?: Telemetry },
): Promise<Services> {
  const box = new SecretBox(resolveSecretsKey({ SECRETS_KEY: config.SECRETS_KEY }, path.join(root, "var", "secrets.key")));
  const hmac = (text: string): string => box.hmac(text);
  if (!config.SECRETS_KEY) logger.warn("SECRETS_KEY is not set: using the development key in var/secrets.key");

  const policy = await createPasswordPolicy({
    root,
    breachSource: config.BREACH_SOURCE,
    breachIndexFile: config.BREACH_INDEX_FILE ? path.resolve(root, config.BREACH_INDEX_FILE) : undefined,
    breachMemoryMb: config.BREACH_INDEX_MEMORY_MB,
    hibpUrl: config.HIBP_URL,
    hibpTimeoutMs: config.HIBP_TIMEOUT_MS,
    hibpFailMode: config.HIBP_FAIL_MODE,
    historyLength: config.PASSWORD_HISTORY,
    scryptLog2N: config.SCRYPT_LOG2N,
    logger,
  });

  const links = new UserLinks(store);
  const chosen = await chooseDirectory(config, { store, box, hasher: policy.hasher, logger, root, links });

  const { directory, embedded } = chosen;
  const conversationAccounts = store.keyv<string>("conversation_account");
  const undelivered = new UndeliveredNotices<Partial<ConversationReference>>();
  const provider = new CountedSender(chooseMessageSender(config, { logger, root, clock, outboxEcho }), telemetry);
  const sender = new BackgroundSender(provider, async (err, channel, reference) => {
    // The error's message names no recipient and no text (see MessageNotSentError).
    logger.error({ err: { message: (err as Error).message }, channel, reference }, "message not sent");
    const maybeSent = !(err instanceof MessageNotSentError) || err.reason === "uncertain";
    await undelivered.failed(reference, channel, maybeSent).catch((error: unknown) => logger.warn({ err: { message: (error as Error).message } }, "could not tell the person a message was not sent"));
  });
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
    undelivered,
    telemetry,
    mobileHint: (email, account) => (account?.mobile ? maskedHint(account.mobile) : fakeHint(email, hmac)),
    pseudonym: (userId) => hmac(`user|${userId}`).slice(0, 16),
    clock,
    helpdesk: { phone: config.HELPDESK_PHONE, email: config.HELPDESK_EMAIL },
    sessionMinutes: config.RESET_SESSION_MINUTES,
    rememberAccount: async (conversationId, email) => void (await conversationAccounts.set(conversationId, email, DAY_MS)),
  };
  const checklistMessages = new ChecklistMessages(store);
  const jobs = new JobScheduler(store, { clock, logger, telemetry });
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
  return { accountOfConversation, reset, firstLogin, links, checklistMessages, jobs, directory, embeddedDirectory: embedded, listAccounts: () => chosen.listAccounts(), undelivered, drainMessages: () => sender.drain(), close };
}
