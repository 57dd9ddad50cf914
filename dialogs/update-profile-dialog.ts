import { MessageFactory } from "botbuilder";
import type { Activity } from "botbuilder";
import { WaterfallDialog } from "botbuilder-dialogs";
import type { DialogTurnResult, PromptValidatorContext, WaterfallStepContext } from "botbuilder-dialogs";
import { profileCard, submittedCard } from "../cards/render";
import type { ProfileCardData } from "../cards/render";
import { Verb } from "../cards/verbs";
import type { Account } from "../src/directory/account";
import { HelpdeskDialog } from "./base-dialog";
import { DialogId, PromptId, WaterfallId } from "./ids";
import type { FirstLoginServices, TaskOptions, TaskResult } from "./first-login-services";
import { readProfileForm, typedProfileValues } from "./profile-form";
import { CardSubmitPrompt } from "./prompts/card-submit-prompt";
import type { CardSubmission } from "./prompts/card-submit-prompt";
import { audit, countTask, replaceSubmittedCard } from "./reset-services";

/** Said when a secret may have been typed as a chat message rather than into the card. */
export const USE_PROFILE_CARD =
  "Please fill in the boxes on the card rather than typing in the chat: messages stay in the chat history, so never type your account secret here.";
/** Said once the profile and account secret are saved. */
export const PROFILE_SAVED =
  "Thanks, your profile is saved and your account secret is set. The helpdesk may ask for your account secret to check it's you, so keep it to yourself.";
/** Said when the account cannot be found (it was removed while the form was open). */
export const PROFILE_NO_ACCOUNT = "I can't find your account just now, so nothing was saved. Please try again later, or type **talk to a person**.";

interface ProfilePromptOptions {
  retryPrompt?: Partial<Activity>;
  validations: { email: string };
}

/**
 * Step 5 of the guide: check the profile details and set the account secret (typed twice into masked boxes). The
 * form is validated as a whole and every problem is listed at once, on a card prefilled with what was typed; the
 * secret boxes are always empty, and the secret is stored only as a hash.
 */
export class UpdateProfileDialog extends HelpdeskDialog {
  protected readonly helpText =
    "Check your details on the card, change anything that isn't right, type an account secret into both boxes, then press Save.";

  constructor(private readonly services: FirstLoginServices) {
    super(DialogId.UpdateProfile);
    this.addDialog(new CardSubmitPrompt(PromptId.Profile, (p) => this.validate(p)));
    this.addDialog(new WaterfallDialog(WaterfallId.UpdateProfile, [this.askStep.bind(this), this.doneStep.bind(this)]));
    this.initialDialogId = WaterfallId.UpdateProfile;
  }

  private async askStep(step: WaterfallStepContext<TaskOptions>): Promise<DialogTurnResult> {
    const account = await this.services.directory.findByEmail(step.options.email);
    if (!account) {
      await step.context.sendActivity(PROFILE_NO_ACCOUNT);
      return step.endDialog({ done: false } satisfies TaskResult);
    }
    const card = this.card([], valuesOf(account));
    return step.prompt(PromptId.Profile, { prompt: card, retryPrompt: card, validations: { verbs: [Verb.SubmitProfile], email: account.email } });
  }

  private async doneStep(step: WaterfallStepContext<TaskOptions>): Promise<DialogTurnResult> {
    const result = step.result as TaskResult;
    await step.context.sendActivity(result.done ? PROFILE_SAVED : PROFILE_NO_ACCOUNT);
    return step.endDialog(result);
  }

  private card(problems: string[], values: Omit<ProfileCardData, "problems">): Partial<Activity> {
    return MessageFactory.attachment(profileCard({ problems, ...values }));
  }

  private async validate(prompt: PromptValidatorContext<CardSubmission>): Promise<boolean> {
    const options = prompt.options as ProfilePromptOptions;
    const email = options.validations.email;
    const submission = prompt.recognized.value;
    const account = await this.services.directory.findByEmail(email);
    if (!prompt.recognized.succeeded || !submission) {
      // Whatever was typed is neither kept nor logged: only this reminder goes back, with the form as it was.
      const card = this.card([], account ? valuesOf(account) : typedProfileValues({}));
      options.retryPrompt = prompt.context.activity.text ? { ...card, text: USE_PROFILE_CARD } : card;
      return false;
    }
    await replaceSubmittedCard(prompt.context, [submittedCard({ title: "Profile submitted", note: "For your security, the account secret boxes have been cleared." })]);
    (prompt.recognized as { value: unknown }).value = undefined;
    if (!account) {
      (prompt.recognized as { value: unknown }).value = { done: false } satisfies TaskResult;
      return true;
    }

    const reading = await readProfileForm(submission, {
      email: account.email,
      names: [account.firstName, account.lastName, account.displayName],
      isPassword: (text) => this.services.hasher.verify(text, account.passwordHash),
    });
    if (!reading.ok) {
      await audit(prompt.context, this.services, { type: "firstLogin.profile", outcome: "failed", email: account.email, detail: `${reading.problems.length} problems` });
      options.retryPrompt = this.card(reading.problems, typedProfileValues(submission));
      return false;
    }
    const { profile, secret } = reading.form;
    await this.services.directory.updateProfile(account.email, profile, await this.services.hasher.hash(secret), this.services.clock());
    await audit(prompt.context, this.services, { type: "firstLogin.profile", outcome: "passed", email: account.email });
    countTask(this.services, "profile");
    (prompt.recognized as { value: unknown }).value = { done: true } satisfies TaskResult;
    return true;
  }
}

/** The card's values from the account: what the directory holds, empty where it holds nothing. */
function valuesOf(account: Account): Omit<ProfileCardData, "problems"> {
  return {
    displayName: account.displayName ?? "",
    jobTitle: account.jobTitle ?? "",
    department: account.department ?? "",
    organisation: account.organisation ?? "",
    workPhone: account.workPhone ?? "",
  };
}
