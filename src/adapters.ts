import type * as GraphClientModule from "./directory/graph/graph-client";
import type * as GraphAccountsModule from "./directory/graph/graph-accounts";
import type * as GraphDirectoryModule from "./directory/graph/graph-directory";
import type * as EntraRecordsModule from "./directory/graph/entra-records";
import type * as NotifySenderModule from "./messaging/notify-sender";
import path from "node:path";
import type { Config } from "./config";
import type { Logger } from "./logger";
import type { StateStore } from "./state";
import type { Account } from "./directory/account";
import type { Directory } from "./directory/directory";
import { EmbeddedDirectory } from "./directory/embedded-directory";
import type { SecretBox } from "./directory/secret-box";
import type { TokenCredential } from "@azure/identity";
import { ConfigError } from "./config";
import type { GraphSettings } from "./directory/graph/graph-client";
import type * as GraphErrorsModule from "./directory/graph/graph-errors";
import type { MessageSender } from "./messaging/message-sender";
import { OutboxSender } from "./messaging/outbox-sender";
import type { UserLinks } from "./first-login/user-links";
import type { PasswordHasher } from "./policy";

/** What to check when Entra ID refuses the bot's own credential. */
const CREDENTIAL_HINT =
  "Entra ID refused the bot's credential: check GRAPH_TENANT_ID, GRAPH_CLIENT_ID and GRAPH_CLIENT_SECRET (or, without a secret, the managed identity)";

/** The directory chosen by `DIRECTORY`, and how the reminder sweep lists the accounts it looks at. */
export interface ChosenDirectory {
  directory: Directory;
  /** The embedded directory, when that is the one in use (administration and tests). */
  embedded?: EmbeddedDirectory;
  /** Every account (embedded), or the accounts of people linked to a Teams user (Entra ID: the tenant is not listed). */
  listAccounts: () => Promise<Account[]>;
}

/**
 * `DIRECTORY=embedded` (the default): the development directory in the state store, seeded from `ACCOUNTS_FILE` in the
 * background once the file has validated (see {@link EmbeddedDirectory.startSeeding}).
 * `DIRECTORY=graph`: Microsoft Entra ID through Microsoft Graph, with the bot's own records in the state store.
 */
export async function chooseDirectory(
  config: Config,
  deps: { store: StateStore; box: SecretBox; hasher: PasswordHasher; logger: Logger; root: string; links: UserLinks },
): Promise<ChosenDirectory> {
  const { store, box, logger, links } = deps;
  if (config.DIRECTORY === "graph") {
    // Loaded only here: the identity and Graph libraries take a while to load, and the default needs neither.
    const { createGraphClient, graphCredential, GraphAccounts, PERMISSION_NEEDED, GraphDirectory, EntraRecords, CREDENTIAL_REFUSED } = loadGraph();
    const settings: GraphSettings = {
      tenantId: config.GRAPH_TENANT_ID ?? "",
      clientId: config.GRAPH_CLIENT_ID ?? "",
      clientSecret: config.GRAPH_CLIENT_SECRET,
      baseUrl: config.GRAPH_BASE_URL,
      authorityHost: config.AZURE_AUTHORITY_HOST,
      timeoutMs: config.GRAPH_TIMEOUT_MS,
    };
    const credential = graphCredential(settings);
    await checkCredential(credential, settings, logger);
    const client = createGraphClient(settings, credential);
    const accounts = new GraphAccounts(client, {
      onPermissionRefused: (action, failure) => {
        if (failure.code === CREDENTIAL_REFUSED) logger.error({ action }, CREDENTIAL_HINT);
        else logger.error({ status: failure.status, graphCode: failure.code, action, grant: PERMISSION_NEEDED[action] }, `Microsoft Graph refused the bot: grant ${PERMISSION_NEEDED[action]}`);
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
  // Validated here (a bad fixture stops the start), hashed and written in the background: the server listens at once,
  // and a turn that needs an account waits for the import (the directory's methods do).
  embedded.startSeeding(path.resolve(deps.root, config.ACCOUNTS_FILE), { hasher: deps.hasher, logger });
  return { directory: embedded, embedded, listAccounts: () => embedded.list() };
}

/** `MESSAGING=outbox` (the default): the development outbox file. `MESSAGING=notify`: GOV.UK Notify. */
export function chooseMessageSender(config: Config, deps: { logger: Logger; root: string; clock: () => Date; outboxEcho?: (line: string) => void }): MessageSender {
  if (config.MESSAGING === "notify") {
    // Loaded only here, as the Graph libraries are.
    const { NotifySender } = loadNotify();
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

/**
 * Asks Entra ID for the app's token once at start: a credential Entra refuses (a wrong secret, client id or tenant,
 * or no managed identity on this host) stops start-up with one message naming the settings; a sign-in host that
 * cannot be reached is only a warning (the first request tries again).
 */
async function checkCredential(credential: TokenCredential, settings: GraphSettings, logger: Logger): Promise<void> {
  try {
    await credential.getToken(loadGraph().graphScope(settings.baseUrl));
  } catch (error) {
    const { graphFailureOf, CREDENTIAL_REFUSED } = loadGraph();
    const failure = graphFailureOf(error);
    if (failure.code !== CREDENTIAL_REFUSED) {
      logger.warn({ graphCode: failure.code, authorityHost: settings.authorityHost }, "could not reach Entra ID at start: the first request will try again");
      return;
    }
    const reason = /AADSTS\d+/.exec(failure.message)?.[0] ?? (settings.clientSecret ? "refused" : "no managed identity answered");
    const names = settings.clientSecret ? "GRAPH_TENANT_ID, GRAPH_CLIENT_ID and GRAPH_CLIENT_SECRET" : "GRAPH_CLIENT_ID (the managed identity), or set GRAPH_CLIENT_SECRET";
    throw new ConfigError([`Entra ID at ${settings.authorityHost} refused the bot's credential (${reason}): check ${names}`]);
  }
}

/**
 * The Entra ID adapter's modules, loaded on first use only (a CommonJS `require`, which the build and the test
 * runner both resolve; `import()` would bypass the test runner's TypeScript loader).
 */
function loadGraph(): typeof GraphClientModule & typeof GraphAccountsModule & typeof GraphDirectoryModule & typeof EntraRecordsModule & typeof GraphErrorsModule {
  /* eslint-disable @typescript-eslint/no-require-imports -- loaded lazily, see above */
  return {
    ...(require("./directory/graph/graph-client") as typeof GraphClientModule),
    ...(require("./directory/graph/graph-accounts") as typeof GraphAccountsModule),
    ...(require("./directory/graph/graph-directory") as typeof GraphDirectoryModule),
    ...(require("./directory/graph/entra-records") as typeof EntraRecordsModule),
    ...(require("./directory/graph/graph-errors") as typeof GraphErrorsModule),
  };
  /* eslint-enable @typescript-eslint/no-require-imports */
}

/** The GOV.UK Notify adapter's module, loaded on first use only (as {@link loadGraph}). */
function loadNotify(): typeof NotifySenderModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded lazily, see loadGraph
  return require("./messaging/notify-sender") as typeof NotifySenderModule;
}
