import { Application } from "@microsoft/teams-ai";
import type { TurnState } from "@microsoft/teams-ai";
import { ActivityTypes, TurnContext } from "botbuilder";

/** How long a turn may take before the person sees the typing indicator, and how often it is repeated. */
const TYPING_EVERY_MS = 1000;

/**
 * The teams-ai Application with the typing indicator done differently. teams-ai 1.7 starts its own typing timer on
 * every turn whatever `startTypingTimer` says, keeps it in one field shared by every turn in flight, and sends the
 * indicator through the turn context, which marks the turn as answered: botbuilder-dialogs then skips a prompt's
 * retry (a refused new password, say) after any step that took over a second, and the person is left with nothing.
 * Here each turn has its own indicator, sent past the turn context, so it never counts as an answer.
 */
export class HelpdeskApplication<State extends TurnState> extends Application<State> {
  override async run(context: TurnContext): Promise<boolean> {
    const typing = context.activity.type === (ActivityTypes.Message as string) ? startTyping(context) : undefined;
    try {
      return await super.run(context);
    } finally {
      typing?.();
    }
  }

  /** teams-ai's own timer: off (see the class). */
  override startTypingTimer(): void {}

  override stopTypingTimer(): void {}
}

/** Shows "typing…" every second until the turn sends a message or ends; returns the stop. */
function startTyping(context: TurnContext): () => void {
  let timer: NodeJS.Timeout | undefined;
  let running = true;
  const stop = (): void => {
    running = false;
    clearTimeout(timer);
  };
  context.onSendActivities(async (_context, activities, next) => {
    if (activities.some((activity) => activity.type !== ActivityTypes.Typing)) stop();
    return next();
  });
  const tick = async (): Promise<void> => {
    if (!running) return;
    const typing = TurnContext.applyConversationReference({ type: ActivityTypes.Typing }, TurnContext.getConversationReference(context.activity));
    try {
      await context.adapter.sendActivities(context, [typing]);
    } catch {
      // An indicator that cannot be shown is not worth a word: the answer still comes.
      running = false;
    }
    if (running) timer = setTimeout(() => void tick(), TYPING_EVERY_MS);
  };
  timer = setTimeout(() => void tick(), TYPING_EVERY_MS);
  return stop;
}
