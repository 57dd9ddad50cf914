import { TeamsAdapter } from "@microsoft/teams-ai";
import type { Activity, InvokeResponse, TurnContext } from "botbuilder";
import type { BotFrameworkAuthentication } from "botframework-connector";
import { SpanKind } from "@opentelemetry/api";
import { inSpan, noteOnSpan } from "./telemetry/spans";
import type { Telemetry } from "./telemetry/telemetry";
import { verbOf } from "./activity-facts";
import { ReusedConnectors } from "./reused-connectors";

/**
 * The teams-ai adapter, with two additions: the HTTP server reads, limits and checks the request itself (see
 * `src/http/`), then hands the adapter an activity that is already well-formed (the SDK's own `process()` would parse
 * the body again and answer its failures with 500s that echo library messages); and every turn is one span, counted
 * and timed by activity type and channel; and the SDK's outbound clients are made once rather than every turn (see
 * `reused-connectors.ts`).
 */
export class BotAdapter extends TeamsAdapter {
  /** Counts and times turns; set by the wiring. */
  telemetry?: Telemetry;

  constructor(...settings: ConstructorParameters<typeof TeamsAdapter>) {
    super(...settings);
    // The SDK keeps its authentication in a field it reads at each turn; this is the one place it is swapped.
    const self = this as unknown as { botFrameworkAuthentication: BotFrameworkAuthentication };
    self.botFrameworkAuthentication = new ReusedConnectors(self.botFrameworkAuthentication);
  }

  /** Runs one turn for a checked activity; throws the SDK's `AuthenticationError` when the token is refused. */
  async runActivity(authHeader: string, activity: Activity, logic: (context: TurnContext) => Promise<void>): Promise<InvokeResponse | undefined> {
    const labels = { activity_type: activity.type, channel: activity.channelId };
    this.telemetry?.count("helpdesk_turns", labels);
    const started = performance.now();
    try {
      // The turn is the request in a trace (SERVER), so Application Insights shows it as one.
      return await inSpan(
        "turn",
        labels,
        () =>
          this.processActivity(authHeader, activity, (context) => {
            const verb = verbOf(context);
            if (verb) noteOnSpan({ verb });
            return logic(context);
          }),
        SpanKind.SERVER,
      );
    } finally {
      this.telemetry?.observe("helpdesk_turn_duration", (performance.now() - started) / 1000, { activity_type: activity.type });
    }
  }
}
