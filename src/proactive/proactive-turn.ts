import type { CloudAdapter, ConversationReference, TurnContext } from "botbuilder";

/**
 * Runs `work` in a proactive turn of the referenced conversation and hands back its result — or its failure: a
 * failure is caught inside the turn and thrown here, because the adapter's own turn error handler would otherwise
 * swallow it (and the caller could not retry or react to a 403).
 */
export async function runInProactiveTurn<T>(
  adapter: CloudAdapter,
  botAppId: string,
  reference: Partial<ConversationReference>,
  work: (context: TurnContext) => Promise<T>,
): Promise<T> {
  let failure: Error | undefined;
  let result: T | undefined;
  await adapter.continueConversationAsync(botAppId, reference, async (context) => {
    try {
      result = await work(context);
    } catch (err) {
      failure = err instanceof Error ? err : new Error(String(err));
    }
  });
  if (failure !== undefined) throw failure;
  return result as T;
}
