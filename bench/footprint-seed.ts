/**
 * A SQLite state file holding many stored conversations, in the bot's own format, for `bench/footprint.ts`.
 *
 * The format is learnt, not assumed: the bot is started on a scratch file and a few real conversations are driven
 * through its local Direct Line (the web chat's join event, then "I forgot my password": a reset journey in progress,
 * waiting for the email address). Every row those turns wrote under the conversation's id or the visitor's
 * id (the teams-ai conversation state in `keyv_botstate`, the conversation reference, the web chat client, the
 * activity claims) is then copied, ids replaced, once per seeded conversation, in one transaction.
 */
import fs from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import BetterSqlite from "better-sqlite3";
import type { Database } from "better-sqlite3";
import { startServer, stopServer } from "./footprint-process";
import type { ServerSpec } from "./footprint-process";

/** A row written for one conversation, as learnt. */
interface TemplateRow {
  table: string;
  key: string;
  value: string;
}

/** One conversation driven through the bot: its ids. */
interface DrivenConversation {
  conversationId: string;
  userId: string;
}

/** What {@link seedStateFile} made. */
export interface SeededStore {
  file: string;
  conversations: number;
  /** Rows per conversation, by table. */
  rowsPerConversation: Record<string, number>;
  /** Bytes of the state file. */
  bytes: number;
}

const LEARNT_CONVERSATIONS = 3;
const REPLY_TIMEOUT_MS = 15_000;

async function json<T>(response: Promise<Response>, what: string): Promise<T> {
  const answer = await response;
  if (!answer.ok) throw new Error(`${what}: HTTP ${answer.status}`);
  return (await answer.json()) as T;
}

/** The user id a Direct Line token carries (its `user` claim). */
function userOf(token: string): string {
  const payload = JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8")) as { user?: unknown };
  if (typeof payload.user !== "string") throw new Error("the Direct Line token carries no user");
  return payload.user;
}

/** Drives one web chat conversation through the bot's local Direct Line, waiting for the bot's answer to each turn. */
async function driveConversation(url: string): Promise<DrivenConversation> {
  const issued = await json<{ token: string; domain: string }>(fetch(`${url}/api/webchat/token`, { method: "POST" }), "web chat token");
  const auth = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}`, "content-type": "application/json" });
  const started = await json<{ conversationId: string; token: string }>(
    fetch(`${issued.domain}/conversations`, { method: "POST", headers: auth(issued.token) }),
    "start conversation",
  );
  const base = `${issued.domain}/conversations/${started.conversationId}/activities`;
  let botMessages = 0;
  const turn = async (activity: object): Promise<void> => {
    await json(fetch(base, { method: "POST", headers: auth(started.token), body: JSON.stringify({ from: { id: "me" }, ...activity }) }), "post activity");
    const deadline = Date.now() + REPLY_TIMEOUT_MS;
    for (;;) {
      const { activities } = await json<{ activities: Array<{ type: string; from: { id: string } }> }>(fetch(base, { headers: auth(started.token) }), "activities");
      const fromBot = activities.filter((a) => a.type === "message" && a.from.id === "bot").length;
      if (fromBot > botMessages) {
        botMessages = fromBot;
        return;
      }
      if (Date.now() > deadline) throw new Error("the bot did not answer a learning turn");
      await sleep(50);
    }
  };
  await turn({ type: "event", name: "webchat/join" });
  // One step further (an email address) the captcha prompt keeps its whole card, image included, twice: ~16 KB a
  // conversation, which would make this store 1.7 GB.
  await turn({ type: "message", text: "I forgot my password" });
  return { conversationId: started.conversationId, userId: userOf(started.token) };
}

/** Every row, in every keyv table, whose key names the conversation or its user. */
function rowsOf(db: Database, conversation: DrivenConversation): TemplateRow[] {
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'keyv\\_%' ESCAPE '\\' ORDER BY name").all() as Array<{ name: string }>;
  const rows: TemplateRow[] = [];
  for (const { name } of tables) {
    const found = db
      .prepare(`SELECT key, value FROM "${name}" WHERE instr(key, ?) > 0 OR instr(key, ?) > 0 ORDER BY key`)
      .all(conversation.conversationId, conversation.userId) as Array<{ key: string; value: string }>;
    rows.push(...found.map((row) => ({ table: name, key: row.key, value: row.value })));
  }
  return rows;
}

function countByTable(rows: readonly TemplateRow[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const row of rows) counts[row.table] = (counts[row.table] ?? 0) + 1;
  return counts;
}

/** A printf format making ids of the same length as `id`, keeping a prefix such as `dl_`. */
function idFormat(id: string, fallbackPrefix: string): string {
  const prefix = /^[a-z]+_/.exec(id)?.[0] ?? fallbackPrefix;
  return `${prefix}%0${Math.max(1, id.length - prefix.length)}d`;
}

/** Inserts `count` copies of the learnt rows, with conversation and user ids replaced, in one transaction. */
function insertCopies(db: Database, template: DrivenConversation, rows: readonly TemplateRow[], count: number): void {
  const conversationFormat = idFormat(template.conversationId, "c");
  const userFormat = idFormat(template.userId, "u_");
  db.transaction(() => {
    for (const row of rows) {
      db.prepare(
        `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?),
              ids(c, u) AS (SELECT printf(?, i), printf(?, i) FROM n)
         INSERT OR REPLACE INTO "${row.table}" (key, value)
         SELECT replace(replace(?, ?, c), ?, u), replace(replace(?, ?, c), ?, u) FROM ids`,
      ).run(count, conversationFormat, userFormat, row.key, template.conversationId, template.userId, row.value, template.conversationId, template.userId);
    }
  })();
}

/**
 * Starts the bot (`spec`, whose STATE_URL is `sqlite://<file>`) on a new file, drives a few conversations to learn
 * the rows each one writes, stops it, and adds `count` conversations of the same shape to the file.
 */
export async function seedStateFile(spec: ServerSpec, file: string, count: number): Promise<SeededStore> {
  const server = await startServer(spec);
  const driven: DrivenConversation[] = [];
  try {
    for (let i = 0; i < LEARNT_CONVERSATIONS; i++) driven.push(await driveConversation(server.url));
  } catch (error) {
    throw new Error(`${(error as Error).message}\n${server.stderrTail()}`);
  } finally {
    await stopServer(server.child);
  }
  const db = new BetterSqlite(file);
  try {
    db.pragma("busy_timeout = 5000");
    const learnt = driven.map((conversation) => rowsOf(db, conversation));
    const template = learnt[0];
    if (!template.some((row) => row.table === "keyv_botstate" && row.key.includes("/conversations/"))) {
      throw new Error("the learning turns stored no conversation state: the bot's storage layout has changed");
    }
    const shape = JSON.stringify(countByTable(template));
    for (const rows of learnt.slice(1)) {
      if (JSON.stringify(countByTable(rows)) !== shape) throw new Error(`conversations stored different rows: ${shape} and ${JSON.stringify(countByTable(rows))}`);
    }
    insertCopies(db, driven[0], template, count);
    db.pragma("wal_checkpoint(TRUNCATE)");
    return { file, conversations: count, rowsPerConversation: countByTable(template), bytes: fs.statSync(file).size };
  } finally {
    db.close();
  }
}
