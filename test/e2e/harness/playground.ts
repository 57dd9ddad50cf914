/**
 * Starts the Agents Playground for a test, with the same launcher `npm run playground` uses, on a free port.
 *
 * @packageDocumentation
 */
import { randomUUID } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { PlaygroundError, findFreePort, startPlayground } from "../../../scripts/playground";
import type { RunningPlayground } from "../../../scripts/playground";
import { makeTempDir, removeTempDir } from "./temp";

export { PlaygroundError, findFreePort, pollUntil } from "../../../scripts/playground";
export type { RunningPlayground } from "../../../scripts/playground";

/** Options for {@link startTestPlayground}. */
export interface TestPlaygroundOptions {
  /** The bot's messaging endpoint. */
  readonly appEndpoint: string;
  /** A fixed personal-chat id; random (a new conversation for the bot) when absent. */
  readonly conversationId?: string;
  /** Bound on start-up (`Listening on N` and ping); 30 000 ms by default. */
  readonly startTimeoutMs?: number;
  /**
   * The Playground's signed-in user, over its built-in one (Alex Wilber, `id` "user-id-0", `aadObjectId`
   * "00000000-0000-0000-0000-0000000000020": 13 digits in the last group, so not a GUID). When given, the
   * Playground is started with a config file (see {@link playgroundConfigFor}) instead of its built-in config.
   */
  readonly currentUser?: Partial<PlaygroundUser>;
  /**
   * The Playground's team, over its built-in one ({@link PLAYGROUND_DEFAULT_TEAM}: id "team-id", which is also the
   * id of its General channel). When given, the Playground is started with a config file, as for `currentUser`.
   */
  readonly team?: Partial<PlaygroundTeam>;
}

/** A user in the Playground's config file (`.m365agentsplayground.yml`, schema 0.1.1; "Principle" is its spelling). */
export interface PlaygroundUser {
  /** The channel's user id (`from.id`). */
  readonly id: string;
  readonly name: string;
  readonly userPrincipleName: string;
  /** The Entra object id the bot sees as `from.aadObjectId`. */
  readonly aadObjectId: string;
  readonly givenName: string;
  readonly surname: string;
  readonly email: string;
}

/** The Playground's built-in signed-in user (0.2.28). */
export const PLAYGROUND_DEFAULT_USER: PlaygroundUser = {
  id: "user-id-0",
  name: "Alex Wilber",
  userPrincipleName: "alexw@example.com",
  aadObjectId: "00000000-0000-0000-0000-0000000000020",
  givenName: "Alex",
  surname: "Wilber",
  email: "alexw@example.com",
};

/**
 * The team in the Playground's config file. Its `id` is also the conversation id of the team's General channel
 * (as in Teams, where the General channel's id is the team's id); `channels` are the others.
 */
export interface PlaygroundTeam {
  readonly id: string;
  readonly name: string;
  readonly aadGroupId: string;
  readonly channels: readonly { readonly id: string; readonly name: string }[];
}

/** The Playground's built-in team (0.2.28): "My Team", with General (id "team-id") and Announcements. */
export const PLAYGROUND_DEFAULT_TEAM: PlaygroundTeam = {
  id: "team-id",
  name: "My Team",
  aadGroupId: "00000000-0000-0000-0000-000000000031",
  channels: [{ id: "channel-announcements-id", name: "Announcements" }],
};

/** The other users of the built-in config: given name, surname, mailbox. */
const OTHER_USERS: readonly (readonly [string, string, string])[] = [
  ["Megan", "Bowen", "meganb"],
  ["Adele", "Vance", "adelev"],
  ["Isaiah", "Langer", "isaiahl"],
  ["Patti", "Fernandez", "pattif"],
  ["Lynne", "Robbins", "lynner"],
];

/**
 * A Playground config file's content with `currentUser` over {@link PLAYGROUND_DEFAULT_USER} and `team` over
 * {@link PLAYGROUND_DEFAULT_TEAM}; everything else as the built-in config, with a personal chat of id
 * `conversationId` (the `--conversation-id` flag is ignored when a config file is used) and a fresh group chat id.
 * JSON is YAML, so the file is written as JSON.
 */
export function playgroundConfigFor(
  currentUser: Partial<PlaygroundUser>,
  conversationId: string = randomUUID(),
  team: Partial<PlaygroundTeam> = {},
): string {
  return JSON.stringify({
    version: "0.1.1",
    tenantId: "00000000-0000-0000-0000-0000000000001",
    bot: { id: "00000000-0000-0000-0000-00000000000011", name: "Test Bot" },
    currentUser: { ...PLAYGROUND_DEFAULT_USER, ...currentUser },
    users: OTHER_USERS.map(([givenName, surname, mail], index) => ({
      id: `user-id-${index + 1}`,
      name: `${givenName} ${surname}`,
      userPrincipleName: `${mail}@example.com`,
      aadObjectId: `00000000-0000-0000-0000-000000000002${index + 1}`,
      givenName,
      surname,
      email: `${mail}@example.com`,
    })),
    personalChat: { id: conversationId },
    groupChat: { id: randomUUID(), name: "Group Chat" },
    team: { ...PLAYGROUND_DEFAULT_TEAM, ...team },
  });
}

/** The environment variable naming the Playground's config file. */
const CONFIG_PATH_VARIABLE = "M365_AGENTS_PLAYGROUND_CONFIG_PATH";

/**
 * Runs `start` with {@link CONFIG_PATH_VARIABLE} set to `configFile` (when given), restored afterwards: the
 * launcher passes this process's environment to the Playground and has no option for it. Tests run one at a
 * time, so nothing else starts a Playground meanwhile.
 */
async function withConfigPath<T>(configFile: string | undefined, start: () => Promise<T>): Promise<T> {
  if (configFile === undefined) return start();
  const previous = process.env[CONFIG_PATH_VARIABLE];
  process.env[CONFIG_PATH_VARIABLE] = configFile;
  try {
    return await start();
  } finally {
    if (previous === undefined) delete process.env[CONFIG_PATH_VARIABLE];
    else process.env[CONFIG_PATH_VARIABLE] = previous;
  }
}

/** A Playground started for a test; {@link TestPlayground.stop} also removes its temporary log. */
export interface TestPlayground extends RunningPlayground {
  /** Milliseconds from spawn to `pong`. */
  readonly startupMs: number;
}

/**
 * Finds a free port and starts the Playground on it, offline, as a detached process group, logging to a
 * temporary file. If another program takes the port between the check and the start (the Playground would
 * then move elsewhere, which the launcher refuses), it tries again with a new port, three times at most.
 */
export async function startTestPlayground(options: TestPlaygroundOptions): Promise<TestPlayground> {
  const dir = await makeTempDir("nhsmail-e2e-playground-");
  let configFile: string | undefined;
  if (options.currentUser !== undefined || options.team !== undefined) {
    configFile = path.join(dir, ".m365agentsplayground.yml");
    await fs.writeFile(configFile, playgroundConfigFor(options.currentUser ?? {}, options.conversationId, options.team));
  }
  let lastError: unknown;
  for (let attempt = 1; attempt <= 3; attempt += 1) {
    const port = await findFreePort();
    const startedAt = Date.now();
    try {
      const running = await withConfigPath(configFile, () =>
        startPlayground({
          port,
          appEndpoint: options.appEndpoint,
          logFile: path.join(dir, "playground.log"),
          conversationId: options.conversationId,
          startTimeoutMs: options.startTimeoutMs,
        }),
      );
      const startupMs = Date.now() - startedAt;
      const stop = async (graceMs?: number): Promise<void> => {
        await running.stop(graceMs);
        await removeTempDir(dir);
      };
      return { ...running, startupMs, stop };
    } catch (error: unknown) {
      lastError = error;
      const portRace = error instanceof PlaygroundError && /in use|listening on/i.test(error.message);
      if (!portRace) break;
    }
  }
  await removeTempDir(dir);
  throw lastError;
}
