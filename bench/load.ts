import http from "node:http";

/** A bot under load: where to send turns, what to send and how to recognise the right answer. */
export interface Target {
  /** Shown in the output, e.g. "echo". */
  name: string;
  /** Base URL of the server; turns go to `${url}/api/messages`. Must be on 127.0.0.1. */
  url: string;
  /** The text every turn sends. */
  text: string;
  /** True when the reply activities are the expected answer to {@link Target.text}. */
  isExpectedReply(activities: readonly ReplyActivity[]): boolean;
}

/** The part of a reply activity the checks look at. */
export interface ReplyActivity {
  type?: unknown;
  text?: unknown;
  attachments?: unknown;
}

/** How one round is bounded. */
export interface RoundOptions {
  /** Concurrent keep-alive connections, one simulated user (one conversation) each. */
  connections: number;
  /** No new turn starts after this many seconds. */
  seconds: number;
  /** No new turn starts after this many turns in the round. */
  maxTurns: number;
  /** A turn with no complete answer after this long is counted as an error. */
  timeoutMs: number;
  /** Distinguishes this round's activity ids from every other round's. */
  round: string;
}

/** What one round measured. */
export interface RoundResult {
  /** Turns answered 200 with the expected reply. */
  ok: number;
  /** Turns that failed: another status, an unexpected body, a network error or a timeout. */
  errors: number;
  /** The first few error descriptions, for the report. */
  errorSamples: string[];
  /** From the first request to the last answer, in nanoseconds. */
  elapsedNs: bigint;
  /** Latency of each successful turn, in milliseconds. */
  latenciesMs: number[];
}

/** The most error descriptions a round or a sum of rounds keeps for the report. */
export const MAX_ERROR_SAMPLES = 3;

/** Adds a round's turns, errors (the first few described), time and latencies to `into`. */
export function addRound(into: RoundResult, round: RoundResult): void {
  into.ok += round.ok;
  into.errors += round.errors;
  into.errorSamples.push(...round.errorSamples.slice(0, Math.max(0, MAX_ERROR_SAMPLES - into.errorSamples.length)));
  into.elapsedNs += round.elapsedNs;
  for (const latency of round.latenciesMs) into.latenciesMs.push(latency);
}

/**
 * Runs one closed-loop round against a target: `connections` simulated users each send a turn, wait for the whole
 * answer, check it and send the next, until the time or turn budget is spent. Latency is measured per request with
 * `process.hrtime.bigint()`, from just before the request is written to the end of the response body.
 */
/** Where and how one turn is sent. */
export interface TurnSetting {
  endpoint: URL;
  agent: http.Agent;
  target: Target;
  round: string;
  timeoutMs: number;
}

/** What turns came to: counts, latencies of the answered ones, and a few error samples. */
export type TurnTally = Pick<RoundResult, "ok" | "errors" | "errorSamples" | "latenciesMs">;

/** Sends one turn for `user` and adds its outcome to `tally`: its latency when the reply is right, else an error. */
export async function timedTurn(setting: TurnSetting, user: number, sequence: number, tally: TurnTally): Promise<void> {
  const body = JSON.stringify(activityFor(setting.target, setting.round, user, sequence));
  const sent = process.hrtime.bigint();
  const outcome = await post(setting.endpoint, setting.agent, body, setting.timeoutMs).then(
    (reply) => judge(setting.target, reply),
    (err: unknown) => `request failed: ${(err as Error).message}`,
  );
  const latencyNs = process.hrtime.bigint() - sent;
  if (outcome === true) {
    tally.ok += 1;
    tally.latenciesMs.push(Number(latencyNs) / 1e6);
  } else {
    tally.errors += 1;
    if (tally.errorSamples.length < MAX_ERROR_SAMPLES) tally.errorSamples.push(outcome);
  }
}

export async function runRound(target: Target, options: RoundOptions): Promise<RoundResult> {
  const endpoint = new URL("/api/messages", target.url);
  if (endpoint.hostname !== "127.0.0.1") throw new Error(`Refusing to load ${endpoint.hostname}: only 127.0.0.1`);
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.connections });
  const result: RoundResult = { ok: 0, errors: 0, errorSamples: [], elapsedNs: 0n, latenciesMs: [] };
  const started = process.hrtime.bigint();
  const deadline = started + BigInt(Math.round(options.seconds * 1e9));
  let issued = 0;

  const user = async (connection: number): Promise<void> => {
    while (issued < options.maxTurns && process.hrtime.bigint() < deadline) {
      issued += 1;
      await timedTurn({ endpoint, agent, target, round: options.round, timeoutMs: options.timeoutMs }, connection, issued, result);
    }
  };

  await Promise.all(Array.from({ length: options.connections }, (_, connection) => user(connection)));
  result.elapsedNs = process.hrtime.bigint() - started;
  agent.destroy();
  return result;
}

/** A Teams personal-chat message asking for the replies in the HTTP answer; one conversation per connection. */
export function activityFor(target: Target, round: string, connection: number, sequence: number): Record<string, unknown> {
  return {
    type: "message",
    id: `${target.name}-${round}-${sequence}`,
    channelId: "msteams",
    serviceUrl: "http://127.0.0.1:1/",
    from: { id: `bench-user-${connection}`, name: `Bench User ${connection}` },
    recipient: { id: "bot", name: "bot" },
    conversation: { id: `bench-conversation-${connection}`, conversationType: "personal" },
    text: target.text,
    deliveryMode: "expectReplies",
    timestamp: new Date().toISOString(),
    locale: "en-GB",
  };
}

/** An HTTP answer as received: its status and its whole body. */
export interface RawReply {
  status: number;
  body: string;
}

/**
 * Posts one JSON body through `agent` and resolves with the whole answer; rejects on a network error, or when no
 * complete answer came within `timeoutMs`.
 */
export function post(endpoint: URL, agent: http.Agent, body: string, timeoutMs: number): Promise<RawReply> {
  return new Promise<RawReply>((resolve, reject) => {
    const request = http.request(
      endpoint,
      {
        method: "POST",
        agent,
        headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
        response.on("error", reject);
      },
    );
    request.setTimeout(timeoutMs, () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    request.on("error", reject);
    request.end(body);
  });
}

/** True for a 200 whose `activities` are the expected answer; otherwise a description of what was wrong. */
export function judge(target: Target, reply: RawReply): true | string {
  if (reply.status !== 200) return `status ${reply.status}: ${reply.body.slice(0, 120)}`;
  let parsed: unknown;
  try {
    parsed = JSON.parse(reply.body);
  } catch {
    return `body is not JSON: ${reply.body.slice(0, 120)}`;
  }
  const activities = (parsed as { activities?: unknown } | null)?.activities;
  if (!Array.isArray(activities)) return `no activities in body: ${reply.body.slice(0, 120)}`;
  return target.isExpectedReply(activities as ReplyActivity[]) ? true : `unexpected reply: ${reply.body.slice(0, 160)}`;
}
