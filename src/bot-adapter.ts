import { TeamsAdapter } from "@microsoft/teams-ai";
import type { Activity, InvokeResponse, TurnContext } from "botbuilder";

/**
 * The teams-ai adapter, with one addition: the HTTP server reads, limits and checks the request itself (see
 * `src/http/`), then hands the adapter an activity that is already well-formed. The SDK's own `process()` would
 * parse the body again and answer its failures with 500s that echo library messages.
 */
export class BotAdapter extends TeamsAdapter {
  /** Runs one turn for a checked activity; throws the SDK's `AuthenticationError` when the token is refused. */
  runActivity(authHeader: string, activity: Activity, logic: (context: TurnContext) => Promise<void>): Promise<InvokeResponse | undefined> {
    return this.processActivity(authHeader, activity, logic);
  }
}
