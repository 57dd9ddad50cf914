// The "framework floor" that `bench/footprint.ts` compares the bot's start-up and idle memory with: a process that
// loads only the fixed stack (restify, botbuilder, botbuilder-dialogs and @microsoft/teams-ai), builds a minimal
// teams-ai Application on a TeamsAdapter (a CloudAdapter) with no app id, listens, and answers GET /healthz and
// POST /api/messages. Plain CommonJS, run with plain `node`, as the built bot is: no TypeScript loader in the figures.
//
// Prints one JSON line, {"msg":"floor listening","url":"http://127.0.0.1:<port>"}, once it listens. PORT and HOST
// are read from the environment (default 0 and 127.0.0.1). Stops on SIGTERM or SIGINT.
const restify = require("restify");
const { MemoryStorage } = require("botbuilder");
const { DialogSet } = require("botbuilder-dialogs");
const { Application, TeamsAdapter } = require("@microsoft/teams-ai");

// No app id: authentication off, as the bot runs in the bench.
const adapter = new TeamsAdapter();
const app = new Application({ adapter, storage: new MemoryStorage() });
// A dialog set, so botbuilder-dialogs is used as well as loaded.
const dialogs = new DialogSet();
app.message(/.*/, async (context) => {
  await context.sendActivity(`dialogs: ${dialogs ? "ready" : "none"}`);
});

const server = restify.createServer({ name: "footprint-floor", handleUncaughtExceptions: false });
server.use(restify.plugins.bodyReader({ maxBodySize: 256 * 1024 }));
server.use(restify.plugins.jsonBodyParser({ bodyReader: true, mapParams: false }));
server.get("/healthz", async (_req, res) => void res.send(200, { status: "ok" }));
server.post("/api/messages", async (req, res) => adapter.process(req, res, (context) => app.run(context)));

const host = process.env.HOST || "127.0.0.1";
server.listen(Number(process.env.PORT || 0), host, () => {
  const url = `http://${host}:${server.address().port}`;
  process.stdout.write(`${JSON.stringify({ msg: "floor listening", url })}\n`);
});

const stop = () => {
  server.close(() => process.exit(0));
  server.server.closeAllConnections();
};
process.once("SIGTERM", stop);
process.once("SIGINT", stop);
