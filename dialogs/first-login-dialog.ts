import { WaterfallDialog } from "botbuilder-dialogs";
import type { DialogTurnResult, WaterfallStepContext } from "botbuilder-dialogs";
import type { Account } from "../src/directory/account";
import { checklistCardFor, checklistOf, FIRST_LOGIN_TASKS } from "../src/first-login";
import type { FirstLoginTask } from "../src/first-login";
import { HelpdeskDialog } from "./base-dialog";
import { DialogId, WaterfallId } from "./ids";
import { SignInDialog } from "./sign-in-dialog";
import { ChangePasswordDialog } from "./change-password-dialog";
import { AcceptAupDialog } from "./accept-aup-dialog";
import { UpdateProfileDialog } from "./update-profile-dialog";
import { EnrolMfaDialog } from "./enrol-mfa-dialog";
import { teamsUserOf } from "./first-login-services";
import type { ChangePasswordOptions, ChangePasswordResult, FirstLoginServices, SignedInFlag, SignInResult, TaskResult } from "./first-login-services";

/** How the journey starts: at a task (a checklist button), for a password change (an expiry reminder), or as it stands. */
export interface FirstLoginOptions {
  task?: FirstLoginTask;
  /** A password change from an expiry reminder, not the checklist. */
  changePassword?: boolean;
  /** Set when the journey loops to the next task: the address is known and the checklist is on screen. */
  email?: string;
  /**
   * Set only by this dialog, when it loops to the next task after the person signed in earlier in this journey (see
   * {@link ChangePasswordOptions.signedIn}): the sign-in proves the password, so it isn't asked for again.
   */
  signedIn?: SignedInFlag;
}

/** Said when a person leaves a task for later. */
export const CHECKLIST_SAVED = "Your progress is saved. Press a button on your checklist whenever you're ready, or type **I'm a new user**.";
/** Said when a person stops first login: what they finished is kept. */
export const FIRST_LOGIN_CANCELLED = "OK, I've stopped. The tasks you finished stay done. Type **I'm a new user** whenever you want to carry on.";
/**
 * Said where accounts live in Entra ID and the person is not signed in to Teams as an account the bot can find (the
 * web chat, say): the password never reaches the bot, so being signed in to Teams is the proof.
 */
export const SIGN_IN_TO_TEAMS =
  "To start your first login, sign in to Microsoft Teams with your NHSmail address and the temporary password your local administrator gave you, then message me there. " +
  "Microsoft will ask you to choose a new password as you sign in. If you can't sign in, type **talk to a person**.";
/** Said when every task is done. */
export const ALL_DONE = "That's everything: all four first-login tasks are done. Welcome to NHSmail!";

const TASK_DIALOG: Record<FirstLoginTask, string> = {
  password: DialogId.ChangePassword,
  aup: DialogId.AcceptAup,
  profile: DialogId.UpdateProfile,
  mfa: DialogId.EnrolMfa,
};

interface FirstLoginValues {
  email?: string;
  task?: FirstLoginTask;
  /** True while the person is signing in with the address and password in this journey. */
  signingIn?: boolean;
  /** Set once they have: the flag that spares them typing the password again (never the password). */
  signedIn?: SignedInFlag;
}

/**
 * First login as a new user, as the NHSmail guide sets it out: one checklist card (updated in place as tasks are
 * done) and the four tasks in order — change the temporary password, accept the Acceptable Use Policy, update the
 * profile and set the account secret, enrol for MFA. Progress lives in the directory, so the journey resumes where
 * it was left, from any button or from "I'm a new user". A person is known by the link between their Teams user and
 * their address (made by the provisioning notice), or signs in with the address and password first. A sign-in in
 * this journey proves the password, so the password change that follows doesn't ask for it again; the proof is a flag
 * in dialog state (with the password's change time, so it lapses if the password changes), never the password.
 */
export class FirstLoginDialog extends HelpdeskDialog {
  protected readonly helpText = "I'm guiding you through your first NHSmail login, one task at a time, as the NHSmail guide sets them out.";
  protected override readonly stopHint = "To stop, type **cancel**: the tasks you've finished stay done, and you can carry on later.";
  protected override readonly cancelledText = FIRST_LOGIN_CANCELLED;

  constructor(private readonly services: FirstLoginServices) {
    super(DialogId.FirstLogin);
    this.addDialog(new SignInDialog(services));
    this.addDialog(new ChangePasswordDialog(services));
    this.addDialog(new AcceptAupDialog(services));
    this.addDialog(new UpdateProfileDialog(services));
    this.addDialog(new EnrolMfaDialog(services));
    this.addDialog(new WaterfallDialog(WaterfallId.FirstLogin, [this.identifyStep.bind(this), this.taskStep.bind(this), this.afterTaskStep.bind(this)]));
    this.initialDialogId = WaterfallId.FirstLogin;
  }

  private async identifyStep(step: WaterfallStepContext<FirstLoginOptions>): Promise<DialogTurnResult> {
    if (step.options.email) return step.next({ email: step.options.email } satisfies SignInResult);
    if (this.services.directory.signInProof === "teams-identity") return this.identifyByTeams(step);
    const linked = await this.services.links.emailOf(teamsUserOf(step.context));
    if (linked && (await this.services.directory.findByEmail(linked))) return step.next({ email: linked } satisfies SignInResult);
    (step.values as FirstLoginValues).signingIn = true;
    return step.beginDialog(DialogId.SignIn);
  }

  /**
   * Entra ID: the person is whoever Teams says they are (the channel's signed token carries their object id), and
   * being signed in to Teams proves the password as it stands. Anywhere else they are sent to sign in to Teams.
   */
  private async identifyByTeams(step: WaterfallStepContext<FirstLoginOptions>): Promise<DialogTurnResult> {
    const objectId = step.context.activity.from?.aadObjectId;
    const account = objectId ? await this.services.directory.findByUserId(objectId) : undefined;
    if (!account) {
      await step.context.sendActivity(SIGN_IN_TO_TEAMS);
      return step.endDialog();
    }
    await this.services.links.link(teamsUserOf(step.context), account.email);
    (step.values as FirstLoginValues).signingIn = true;
    return step.next({ email: account.email } satisfies SignInResult);
  }

  private async taskStep(step: WaterfallStepContext<FirstLoginOptions>): Promise<DialogTurnResult> {
    const email = (step.result as SignInResult | undefined)?.email;
    const account = email ? await this.services.directory.findByEmail(email) : undefined;
    if (!account) return step.endDialog();
    const values = step.values as FirstLoginValues;
    values.email = account.email;
    // A sign-in just now (its address is the account's) proves the password as it stands; a linked person proved nothing here.
    const signedIn = step.options.signedIn ?? (values.signingIn ? { passwordChangedAt: account.passwordChangedAt } : undefined);
    values.signedIn = signedIn;

    if (step.options.changePassword) {
      return step.beginDialog(DialogId.ChangePassword, { email: account.email, reason: account.temporaryPassword ? "temporary" : "expiring", signedIn } satisfies ChangePasswordOptions);
    }
    if (!step.options.email && !(await this.pressedOnChecklist(step, account.email))) await this.postChecklist(step, account);

    const checklist = checklistOf(account, this.services.syncMinutes);
    if (checklist.complete) {
      await step.context.sendActivity(ALL_DONE);
      return step.endDialog();
    }
    const wanted = step.options.task && FIRST_LOGIN_TASKS.includes(step.options.task) ? checklist.tasks.find((t) => t.task === step.options.task) : undefined;
    if (wanted?.status === "done") await step.context.sendActivity("That task is already done. Here's the next one.");
    if (wanted?.status === "waiting") await step.context.sendActivity("That task has to wait until the ones before it are done. Let's start with this one.");
    const task = wanted?.status === "ready" ? wanted.task : checklist.next;
    if (!task) return step.endDialog();
    values.task = task;
    return step.beginDialog(TASK_DIALOG[task], task === "password" ? ({ email: account.email, reason: "temporary", signedIn } satisfies ChangePasswordOptions) : { email: account.email });
  }

  private async afterTaskStep(step: WaterfallStepContext<FirstLoginOptions>): Promise<DialogTurnResult> {
    const { email, task, signedIn } = step.values as FirstLoginValues;
    const result = step.result as (TaskResult & ChangePasswordResult) | undefined;
    if (!email) return step.endDialog();
    if (step.options.changePassword) return step.endDialog();
    const account = await this.services.directory.findByEmail(email);
    if (account) await this.refreshChecklist(step, account);
    const done = task === "password" ? result?.changed === true : result?.done === true;
    if (!done || !account) {
      await step.context.sendActivity(CHECKLIST_SAVED);
      return step.endDialog();
    }
    if (checklistOf(account, this.services.syncMinutes).complete) {
      // The task just done was the last one: this first login is complete (counted once, here).
      this.services.telemetry?.count("helpdesk_first_logins_completed");
      await step.context.sendActivity(ALL_DONE);
      return step.endDialog();
    }
    return step.replaceDialog(this.id, { email, signedIn } satisfies FirstLoginOptions);
  }

  /** True when the person pressed a button on the remembered checklist card of this conversation (so it's on screen). */
  private async pressedOnChecklist(step: WaterfallStepContext, email: string): Promise<boolean> {
    const remembered = await this.services.checklistMessages.find(email);
    const { replyToId, conversation } = step.context.activity;
    return Boolean(remembered && replyToId && remembered.activityId === replyToId && remembered.conversationId === conversation?.id);
  }

  /** Posts a fresh checklist card and remembers it, so later progress updates it in place. */
  private async postChecklist(step: WaterfallStepContext, account: Account): Promise<void> {
    const card = checklistCardFor(account, { syncMinutes: this.services.syncMinutes, now: this.services.clock() });
    const sent = await step.context.sendActivity({ attachments: [card] });
    const conversationId = step.context.activity.conversation?.id;
    if (sent?.id && conversationId) await this.services.checklistMessages.remember(account.email, { activityId: sent.id, conversationId });
  }

  /** Updates the checklist card in place; when it can't be (another conversation, or the channel refuses), posts a new one. */
  private async refreshChecklist(step: WaterfallStepContext, account: Account): Promise<void> {
    const remembered = await this.services.checklistMessages.find(account.email);
    if (remembered && remembered.conversationId === step.context.activity.conversation?.id) {
      try {
        const card = checklistCardFor(account, { syncMinutes: this.services.syncMinutes, now: this.services.clock() });
        await step.context.updateActivity({ id: remembered.activityId, type: "message", attachments: [card] });
        return;
      } catch {
        // The card is gone or the channel can't update it: a new one below keeps the person's view right.
      }
    }
    await this.postChecklist(step, account);
  }
}
