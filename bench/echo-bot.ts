import restify from "restify";
import type { Request, Response } from "restify";
import { CloudAdapter, ConfigurationBotFrameworkAuthentication, ConversationState } from "botbuilder";
import type { Storage, TurnContext } from "botbuilder";

/** A started echo bot. */
export interface RunningEchoBot {
  /** Base URL, for example http://127.0.0.1:40123 */
  url: string;
  /** Stops listening and drops open connections. */
  close(): Promise<void>;
}

/**
 * The floor the bot is compared with: the smallest bot on the same stack — restify 11 with the same JSON body
 * parser, and botbuilder's CloudAdapter with no app id (authentication off) — that answers every message with its
 * own text. It keeps no state and logs nothing, so what it costs is the HTTP server, the adapter and the
 * `expectReplies` round trip.
 *
 * With `storage`, it is a stateful echo bot: each turn it loads its conversation state, counts the turn in it and
 * saves it, as any bot with state does — the floor for a bot that keeps state on that store.
 *
 * @param port - 0 picks a free port
 * @param host - the interface to listen on
 */
export async function startEchoBot(port = 0, host = "127.0.0.1", options: { storage?: Storage } = {}): Promise<RunningEchoBot> {
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
  const state = options.storage ? new ConversationState(options.storage) : undefined;
  const turns = state?.createProperty<number>("turns");
  const echo = async (context: TurnContext): Promise<void> => {
    if (state && turns) await turns.set(context, ((await turns.get(context, 0)) ?? 0) + 1);
    if (context.activity.type === "message") {
      await context.sendActivity(context.activity.text);
    }
    await state?.saveChanges(context);
  };

  const server = restify.createServer({ name: "echo-bot", handleUncaughtExceptions: false });
  server.use(restify.plugins.bodyReader({ maxBodySize: 256 * 1024 }));
  server.use(restify.plugins.jsonBodyParser({ bodyReader: true, mapParams: false }));
  // restify 11 accepts (req, res) handlers only when they are async functions.
  server.post("/api/messages", async (req: Request, res: Response) => adapter.process(req, res, echo));

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address();
  return {
    url: `http://${host}:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.server.closeAllConnections();
      }),
  };
}
