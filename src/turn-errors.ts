import type { Attachment, TurnContext } from "botbuilder";
import { handoffOfferCard } from "../cards/render";
import { DirectoryUnavailableError } from "./directory/errors";
import type { Logger } from "./logger";
import { turnLogOf } from "./turn-state";

/** Said when a turn fails for a reason of our own. */
export const TURN_ERROR =
  "Sorry, something went wrong on my side and I couldn't finish that. Please try again, or type **talk to a person**.";

/** Said when the account service (Entra ID) could not be used: nothing changed, and the helpdesk is offered. */
export const ACCOUNT_SERVICE_UNAVAILABLE =
  "I can't reach the NHSmail account service just now, so I couldn't finish that step. Nothing has been changed: please try again in a few minutes.";

/** "Talk to the helpdesk" after something failed on our side (the account service, or a message that did not go). */
export function serviceProblemOffer(helpdesk: { phone: string; email: string }, step: string): Attachment {
  const reason = "If it keeps happening, someone from the helpdesk can help you here, or you can contact them:";
  return handoffOfferCard({ title: "Talk to the helpdesk", reason, trigger: "service-problem", step, primary: false, ...helpdesk });
}

/**
 * Answers a turn that failed, so the person is never left without a word: an account service that could not be
 * used gets its own message and the helpdesk's offer (no details of why); anything else the general apology. The
 * turn's state is not saved, so the person is still at the step they were on.
 */
export async function answerFailedTurn(context: TurnContext, error: Error, logger: Logger, helpdesk: { phone: string; email: string }): Promise<void> {
  const log = turnLogOf(context, logger);
  const unavailable = directoryFailureIn(error);
  if (unavailable) {
    log.warn({ failure: unavailable.failure, serviceCode: unavailable.serviceCode, status: unavailable.status }, "the account service could not be used");
    await context.sendActivity({ text: ACCOUNT_SERVICE_UNAVAILABLE, attachments: [serviceProblemOffer(helpdesk, "the account service could not be reached")] });
    return;
  }
  log.error({ err: { name: error.name, message: error.message, stack: error.stack } }, "turn failed");
  await context.sendActivity(TURN_ERROR);
}

/**
 * The account service's failure behind an error, if that is what it is: the dialogs library wraps an error thrown
 * in a dialog (`DialogContextError`, the original in `error`), and an error may carry its cause.
 */
function directoryFailureIn(error: unknown, depth = 0): DirectoryUnavailableError | undefined {
  if (error instanceof DirectoryUnavailableError) return error;
  if (!(error instanceof Error) || depth > 4) return undefined;
  const inner = (error as { error?: unknown }).error ?? error.cause;
  return directoryFailureIn(inner, depth + 1);
}
