import path from "node:path";
import type { Config } from "./config";
import type { Logger } from "./logger";
import type { StateStore } from "./state";
import type { Account } from "./directory/account";
import type { Directory } from "./directory/directory";
import { EmbeddedDirectory } from "./directory/embedded-directory";
import type { SecretBox } from "./directory/secret-box";
import { createGraphClient } from "./directory/graph/graph-client";
import { GraphAccounts, PERMISSION_NEEDED } from "./directory/graph/graph-accounts";
import type { GraphAction } from "./directory/graph/graph-accounts";
import { GraphDirectory } from "./directory/graph/graph-directory";
import { EntraRecords } from "./directory/graph/entra-records";
import type { MessageSender } from "./messaging/message-sender";
import { NotifySender } from "./messaging/notify-sender";
import { OutboxSender } from "./messaging/outbox-sender";
import type { UserLinks } from "./first-login/user-links";
import type { PasswordHasher } from "./policy";

/** The directory chosen by `DIRECTORY`, and how the reminder sweep lists the accounts it looks at. */
export interface ChosenDirectory {
  directory: Directory;
  /** The embedded directory, when that is the one in use (administration and tests). */
  embedded?: EmbeddedDirectory;
  /** Every account (embedded), or the accounts of people linked to a Teams user (Entra ID: the tenant is not listed). */
  listAccounts: () => Promise<Account[]>;
}

/**
 * `DIRECTORY=embedded` (the default): the development directory in the state store, seeded from `ACCOUNTS_FILE`.
 * `DIRECTORY=graph`: Microsoft Entra ID through Microsoft Graph, with the bot's own records in the state store.
 */
export async function chooseDirectory(
  config: Config,
  deps: { store: StateStore; box: SecretBox; hasher: PasswordHasher; logger: Logger; root: string; links: UserLinks },
): Promise<ChosenDirectory> {
  const { store, box, logger, links } = deps;
  if (config.DIRECTORY === "graph") {
    const refused = new Set<GraphAction>();
    const client = createGraphClient({
      tenantId: config.GRAPH_TENANT_ID ?? "",
      clientId: config.GRAPH_CLIENT_ID ?? "",
      clientSecret: config.GRAPH_CLIENT_SECRET,
      baseUrl: config.GRAPH_BASE_URL,
      authorityHost: config.AZURE_AUTHORITY_HOST,
      timeoutMs: config.GRAPH_TIMEOUT_MS,
    });
    const accounts = new GraphAccounts(client, {
      onPermissionRefused: (action, failure) => {
        if (refused.has(action)) return;
        refused.add(action);
        logger.error({ status: failure.status, code: failure.code, action, grant: PERMISSION_NEEDED[action] }, `Microsoft Graph refused the bot: grant ${PERMISSION_NEEDED[action]}`);
      },
    });
    const directory = new GraphDirectory({ accounts, records: new EntraRecords(store.storage), box, revokeSessions: config.REVOKE_SESSIONS_AFTER_RESET === "on", logger });
    const listAccounts = async (): Promise<Account[]> => {
      const found: Account[] = [];
      for (const email of await links.linkedEmails()) {
        const account = await directory.findByEmail(email);
        if (account) found.push(account);
      }
      return found;
    };
    logger.info({ directory: "graph", graph: config.GRAPH_BASE_URL, credential: config.GRAPH_CLIENT_SECRET ? "client secret" : "managed identity" }, "accounts: Microsoft Entra ID");
    return { directory, listAccounts };
  }
  const embedded = new EmbeddedDirectory(store.storage, box);
  const seeded = await embedded.seedFromFile(path.resolve(deps.root, config.ACCOUNTS_FILE), { hasher: deps.hasher });
  if (seeded.imported.length > 0) logger.info({ accounts: seeded.imported.length }, "imported development accounts");
  return { directory: embedded, embedded, listAccounts: () => embedded.list() };
}

/** `MESSAGING=outbox` (the default): the development outbox file. `MESSAGING=notify`: GOV.UK Notify. */
export function chooseMessageSender(config: Config, deps: { logger: Logger; root: string; clock: () => Date; outboxEcho?: (line: string) => void }): MessageSender {
  if (config.MESSAGING === "notify") {
    deps.logger.info({ messaging: "notify", notify: config.NOTIFY_BASE_URL }, "messages: GOV.UK Notify (no voice calls)");
    return new NotifySender({
      apiKey: config.NOTIFY_API_KEY ?? "",
      baseUrl: config.NOTIFY_BASE_URL,
      smsTemplateId: config.NOTIFY_SMS_TEMPLATE_ID ?? "",
      emailTemplateId: config.NOTIFY_EMAIL_TEMPLATE_ID ?? "",
      timeoutMs: config.NOTIFY_TIMEOUT_MS,
      logger: deps.logger,
    });
  }
  return new OutboxSender({ file: path.resolve(deps.root, config.OUTBOX_FILE), now: deps.clock, print: deps.outboxEcho });
}
