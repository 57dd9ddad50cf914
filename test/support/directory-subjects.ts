import type { Account } from "../../src/directory/account";
import type { Directory } from "../../src/directory/directory";
import { EmbeddedDirectory } from "../../src/directory/embedded-directory";
import { SecretBox } from "../../src/directory/secret-box";
import { createGraphClient } from "../../src/directory/graph/graph-client";
import { GraphAccounts } from "../../src/directory/graph/graph-accounts";
import type { GraphAccountsOptions } from "../../src/directory/graph/graph-accounts";
import { GraphDirectory } from "../../src/directory/graph/graph-directory";
import { EntraRecords } from "../../src/directory/graph/entra-records";
import { createLogger } from "../../src/logger";
import { openStateStore } from "../../src/state";
import type { StateStore } from "../../src/state";
import { TEST_SECRETS_KEY, LogCapture } from "./bot-client";
import { GraphStandIn } from "./graph-api";

/** A person as a test puts them in a directory (the fields both directories hold). */
export interface Person {
  email: string;
  firstName: string;
  lastName: string;
  organisation: string;
  jobTitle: string;
  department: string;
  createdAt: string;
  /** As the directory holds it: E.164 in the embedded one, Graph's "+44 7700 900118" form in Entra. */
  mobile?: string;
}

/** A directory under test, with a way to put a person in it and to read the Entra object id of an address. */
export interface DirectorySubject {
  directory: Directory;
  add(person: Person): Promise<void>;
  /** The object id Teams would carry for this person (undefined where the directory has none). */
  userIdOf(email: string): string | undefined;
  close(): Promise<void>;
}

/** The embedded directory over an in-memory store. */
export async function embeddedSubject(): Promise<DirectorySubject> {
  const store = await openStateStore("memory://");
  const directory = new EmbeddedDirectory(store.storage, new SecretBox(TEST_SECRETS_KEY));
  return {
    directory,
    add: async (person) => {
      const account: Account = {
        email: person.email,
        displayName: `${person.firstName} ${person.lastName}`,
        firstName: person.firstName,
        lastName: person.lastName,
        organisation: person.organisation,
        jobTitle: person.jobTitle,
        department: person.department,
        createdAt: person.createdAt,
        ...(person.mobile ? { mobile: person.mobile.replaceAll(" ", "") } : {}),
        passwordHash: "initial-hash",
        previousPasswordHashes: [],
        passwordChangedAt: person.createdAt,
        passwordExpiresAt: person.createdAt,
        temporaryPassword: false,
      };
      await directory.upsert(account);
    },
    userIdOf: () => undefined,
    close: () => store.close(),
  };
}

/** What a Graph directory test holds: the stand-in, the directory and what it logged. */
export interface GraphSubject extends DirectorySubject {
  graph: GraphStandIn;
  store: StateStore;
  log: LogCapture;
  /** Every wait the directory asked for (it never really waits in tests). */
  waits: number[];
}

/** The Graph directory against a fresh Entra ID and Graph stand-in over HTTPS, with the real clients. */
export async function graphSubject(options: { revokeSessions?: boolean; timeoutMs?: number; accounts?: Partial<GraphAccountsOptions> } = {}): Promise<GraphSubject> {
  const graph = await new GraphStandIn().start();
  const store = await openStateStore("memory://");
  const log = new LogCapture();
  const logger = createLogger({ level: "info", destination: log });
  const waits: number[] = [];
  const client = createGraphClient({
    tenantId: graph.tenantId,
    clientId: graph.clientId,
    clientSecret: graph.clientSecret,
    baseUrl: graph.graphBaseUrl,
    authorityHost: graph.authorityHost,
    timeoutMs: options.timeoutMs ?? 5_000,
  });
  const accounts = new GraphAccounts(client, {
    onPermissionRefused: (action) => logger.error({ action }, "Microsoft Graph refused the bot"),
    wait: (ms) => {
      waits.push(ms);
      return Promise.resolve();
    },
    ...options.accounts,
  });
  const directory = new GraphDirectory({ accounts, records: new EntraRecords(store.storage), box: new SecretBox(TEST_SECRETS_KEY), revokeSessions: options.revokeSessions ?? true, logger });
  const ids = new Map<string, string>();
  return {
    graph,
    store,
    log,
    waits,
    directory,
    add: (person) => {
      const id = graph.addUser({
        userPrincipalName: person.email,
        mail: person.email,
        displayName: `${person.firstName} ${person.lastName}`,
        givenName: person.firstName,
        surname: person.lastName,
        companyName: person.organisation,
        jobTitle: person.jobTitle,
        department: person.department,
        createdDateTime: person.createdAt,
        phones: person.mobile ? [{ phoneType: "mobile", phoneNumber: person.mobile }] : [],
      });
      ids.set(person.email, id);
      return Promise.resolve();
    },
    userIdOf: (email) => ids.get(email),
    close: async () => {
      await graph.stop();
      await store.close();
    },
  };
}
