import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Activity } from "botbuilder";

/** One activity the bot posted to the connector. */
export interface ReceivedActivity {
  conversationId: string;
  activity: Partial<Activity>;
  /** The id the connector gave it (for a send), or the id it replaced (for an update). */
  id: string;
  /** True for an update (`PUT …/activities/:id`) of an earlier activity. */
  update: boolean;
}

/** A member of a conversation (team or channel), as the connector's roster answers it. */
export interface FakeMember {
  id: string;
  name: string;
  aadObjectId?: string;
}

/**
 * A local HTTP server speaking the Bot Framework connector wire format, used as a conversation's `serviceUrl`:
 * `POST /v3/conversations/:conversationId/activities[/:replyToId]` answers `{ "id": "…" }`, and
 * `PUT /v3/conversations/:conversationId/activities/:activityId` (an update) answers `{ "id": "<activityId>" }`. Statuses queued with
 * {@link FakeConnector.failNext} are answered (with an error body) before it goes back to accepting.
 * `GET /v3/conversations/:conversationId/members/:userId` answers the member added with {@link FakeConnector.addMember},
 * for any conversation, and 404 for anyone else (as Teams does for a user who is not in the team).
 */
export class FakeConnector {
  readonly received: ReceivedActivity[] = [];
  /** Every activity request's status, accepted or not (roster look-ups are in {@link FakeConnector.memberLookups}). */
  readonly attempts: number[] = [];
  /** Every roster look-up: the conversation asked about and the user. */
  readonly memberLookups: Array<{ conversationId: string; userId: string }> = [];
  private readonly failures: number[] = [];
  private readonly members = new Map<string, FakeMember>();
  private server?: http.Server;
  private counter = 0;

  /** Answers the next requests with these statuses, in order. */
  failNext(...statuses: number[]): void {
    this.failures.push(...statuses);
  }

  /** Makes a user a member: roster look-ups for their id answer with them. */
  addMember(member: FakeMember): void {
    this.members.set(member.id, member);
  }

  /** Starts on a free port; resolves with the service URL (ending in "/"). */
  async start(): Promise<string> {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", resolve));
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}/`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** The activities with a card, sent to a conversation. */
  cardsTo(conversationId: string): ReceivedActivity[] {
    return this.received.filter((r) => r.conversationId === conversationId && (r.activity.attachments ?? []).length > 0);
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const member = /^\/v3\/conversations\/([^/]+)\/members\/([^/?]+)$/.exec(req.url ?? "");
    if (req.method === "GET" && member) return this.answerMember(res, decodeURIComponent(member[1]), decodeURIComponent(member[2]));
    const match = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?$/.exec(req.url ?? "");
    const reply = (status: number, body: unknown): void => {
      this.attempts.push(status);
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    const update = req.method === "PUT" && match?.[2] !== undefined;
    if ((req.method !== "POST" && !update) || !match) return reply(404, { error: { code: "NotFound", message: "no such route" } });
    const failure = this.failures.shift();
    if (failure !== undefined) return reply(failure, { error: { code: "Failure", message: `status ${failure}` } });
    const activity = JSON.parse(Buffer.concat(chunks).toString("utf8")) as Partial<Activity>;
    const id = update ? decodeURIComponent(match[2]) : `activity-${++this.counter}`;
    this.received.push({ conversationId: decodeURIComponent(match[1]), activity, id, update });
    reply(200, { id });
  }

  /** A roster look-up: not counted in {@link FakeConnector.attempts}, which is about activities. */
  private answerMember(res: http.ServerResponse, conversationId: string, userId: string): void {
    this.memberLookups.push({ conversationId, userId });
    const found = this.members.get(userId);
    const [status, body] = found
      ? [200, { id: found.id, name: found.name, aadObjectId: found.aadObjectId, objectId: found.aadObjectId, userRole: "user" }]
      : [404, { error: { code: "MemberNotFoundInConversation", message: "The user is not a member of this conversation." } }];
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  }
}
