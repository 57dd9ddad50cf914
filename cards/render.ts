import { CardFactory } from "botbuilder";
import type { Attachment } from "botbuilder";
import type * as Templating from "adaptivecards-templating";
import type { Template } from "adaptivecards-templating";
import { parseUkPhoneNumber } from "../src/uk-phone-parser";
import { Verb } from "./verbs";
import type {
  WelcomeCardData,
  HelpCardData,
  HelpdeskContactCardData,
  CaptchaCardData,
  ChooseMethodCardData,
  EnterCodeCardData,
  NewPasswordCardData,
  SubmittedCardData,
  ResetSuccessCardData,
  ChecklistCardData,
  SignInCardData,
  ChangePasswordCardData,
  AupCardData,
  SyncNoticeCardData,
  ProfileCardData,
  MfaChooseCardData,
  MfaAppCardData,
  PasswordExpiryCardData,
  MfaReminderCardData,
  HandoffRequestCardData,
  HandoffWaitingCardData,
  HandoffChallengeCardData,
  HandoffOutcomeCardData,
  HandoffOfferCardData,
  HandoffSomethingElseCardData,
  PrivateChatCardData,
  DailySummaryCardData,
} from "./card-data";

export type * from "./card-data";
import welcome from "./welcome.json";
import help from "./help.json";
import helpdeskContact from "./helpdesk-contact.json";
import captcha from "./captcha.json";
import chooseMethod from "./choose-method.json";
import newPassword from "./new-password.json";
import submitted from "./submitted.json";
import resetSuccess from "./reset-success.json";
import enterCode from "./enter-code.json";
import checklist from "./checklist.json";
import signIn from "./sign-in.json";
import changePassword from "./change-password.json";
import aup from "./aup.json";
import syncNotice from "./sync-notice.json";
import profile from "./profile.json";
import mfaChoose from "./mfa-choose.json";
import mfaApp from "./mfa-app.json";
import passwordExpiry from "./password-expiry.json";
import mfaReminder from "./mfa-reminder.json";
import handoffRequest from "./handoff-request.json";
import handoffWaiting from "./handoff-waiting.json";
import handoffChallenge from "./handoff-challenge.json";
import handoffOutcome from "./handoff-outcome.json";
import handoffOffer from "./handoff-offer.json";
import handoffSomethingElse from "./handoff-something-else.json";
import privateChat from "./private-chat.json";
import restartReset from "./restart-reset.json";
import dailySummary from "./daily-summary.json";

/**
 * Every card template, imported (not read from disk) so the compiler copies them into the build and a
 * missing template fails the build rather than a conversation.
 */
export const templates = {
  welcome,
  help,
  helpdeskContact,
  captcha,
  chooseMethod,
  newPassword,
  submitted,
  resetSuccess,
  enterCode,
  checklist,
  signIn,
  changePassword,
  aup,
  syncNotice,
  profile,
  mfaChoose,
  mfaApp,
  passwordExpiry,
  mfaReminder,
  handoffRequest,
  handoffWaiting,
  handoffChallenge,
  handoffOutcome,
  handoffOffer,
  handoffSomethingElse,
  privateChat,
  restartReset,
  dailySummary,
} as const;

/** The name of a card template. */
export type TemplateName = keyof typeof templates;

/** Template data for the verbs, shared by every card so each card names verbs through one object. */
const verbs = {
  startReset: Verb.StartReset,
  startFirstLogin: Verb.StartFirstLogin,
  startHandoff: Verb.StartHandoff,
  showHelp: Verb.ShowHelp,
  submitCaptcha: Verb.SubmitCaptcha,
  refreshCaptcha: Verb.RefreshCaptcha,
  chooseMethod: Verb.ChooseMethod,
  submitCode: Verb.SubmitCode,
  resendCode: Verb.ResendCode,
  submitNewPassword: Verb.SubmitNewPassword,
  cancelJourney: Verb.CancelJourney,
  continueJourney: Verb.ContinueJourney,
  startPasswordChange: Verb.StartPasswordChange,
  submitSignIn: Verb.SubmitSignIn,
  submitPasswordChange: Verb.SubmitPasswordChange,
  acceptAup: Verb.AcceptAup,
  deferAup: Verb.DeferAup,
  submitProfile: Verb.SubmitProfile,
  chooseMfaMethod: Verb.ChooseMfaMethod,
  answerChallenge: Verb.AnswerChallenge,
  leaveHandoff: Verb.LeaveHandoff,
  handoffSomethingElse: Verb.HandoffSomethingElse,
  handoffAboutEmail: Verb.HandoffAboutEmail,
  takeHandoff: Verb.TakeHandoff,
  endHandoff: Verb.EndHandoff,
  challengeSecret: Verb.ChallengeSecret,
  challengeSms: Verb.ChallengeSms,
  sendResetLink: Verb.SendResetLink,
  unlockAccount: Verb.UnlockAccount,
  recordOutcome: Verb.RecordOutcome,
} as const;

// Parsing a template's expressions costs far more than expanding it, so each template is parsed once.
const parsed = new Map<TemplateName, Template>();
// The templating library (with adaptive-expressions and its parser under it) takes a few hundred milliseconds and
// over 15 MB to load, so it is loaded with the first card rather than when the service starts.
let templating: typeof Templating | undefined;

function templateOf(name: TemplateName): Template {
  let template = parsed.get(name);
  if (!template) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, not at start
    templating ??= require("adaptivecards-templating") as typeof Templating;
    parsed.set(name, (template = new templating.Template(templates[name])));
  }
  return template;
}

/**
 * Loads the templating library and parses the cards a conversation usually starts with, so that the first turn does
 * not wait for them: for a caller to run once the service is up, when the memory is better spent than saved.
 */
export function warmCardTemplates(): void {
  for (const name of ["welcome", "help", "helpdeskContact"] as const) templateOf(name);
}

/** Expands a template with its data (plus the verbs) into an Adaptive Card attachment. */
export function renderCard(name: TemplateName, data: object): Attachment {
  const card: unknown = templateOf(name).expand({ $root: { ...data, verbs } });
  return CardFactory.adaptiveCard(card);
}

/** Renders a card whose data never changes once, and hands out the same content afterwards (cards are not mutated). */
function renderOnce(name: TemplateName, data: object): () => Attachment {
  let card: Attachment | undefined;
  return () => ({ ...(card ??= renderCard(name, data)) });
}

/** The welcome card shown when the bot is installed or a person joins the chat. */
export const welcomeCard = (data: WelcomeCardData): Attachment => renderCard("welcome", data);
/** The help card: what the bot can do, with buttons to start each journey. */
export const helpCard = (data: HelpCardData): Attachment => renderCard("help", data);
/** How to reach the helpdesk by phone or email, both tappable. */
export const helpdeskContactCard = (data: HelpdeskContactCardData): Attachment => renderCard("helpdeskContact", { ...data, ...contactLinks(data) });
/** The help card as shown for "help" and for text the bot does not understand. */
export const mainHelpCard: () => Attachment = renderOnce("help", { title: "I can help you with:" });
/** The captcha to answer. */
export const captchaCard = (data: CaptchaCardData): Attachment => renderCard("captcha", data);
/** The choice of verification methods. */
export const chooseMethodCard = (data: ChooseMethodCardData): Attachment => renderCard("chooseMethod", data);
/** Two masked password inputs and the policy checklist. */
export const newPasswordCard = (data: NewPasswordCardData): Attachment => renderCard("newPassword", data);
/** What a card becomes once submitted. */
export const submittedCard = (data: SubmittedCardData): Attachment => renderCard("submitted", data);
/** Password changed: what to do next. */
export const resetSuccessCard = (data: ResetSuccessCardData): Attachment => renderCard("resetSuccess", data);
/** Asks for a verification code in a masked box. */
export const enterCodeCard = (data: EnterCodeCardData): Attachment => renderCard("enterCode", data);
/** The first-login checklist: the four tasks, their state and a button for each task that is ready. */
export const checklistCard = (data: ChecklistCardData): Attachment => renderCard("checklist", data);
/** Sign in to first-login help: address and password (masked). */
export const signInCard = (data: SignInCardData): Attachment => renderCard("signIn", data);
/** The new password twice (after the current one, unless the person signed in with it in this journey), with the policy checklist. */
export const changePasswordCard = (data: ChangePasswordCardData): Attachment => renderCard("changePassword", data);
/** The Acceptable Use Policy summary, a link, and Accept / Not now. */
export const aupCard = (data: AupCardData): Attachment => renderCard("aup", data);
/** Email sending waits for account synchronisation, up to 2 hours. */
export const syncNoticeCard = (data: SyncNoticeCardData): Attachment => renderCard("syncNotice", data);
/** Profile form and the account secret typed twice. */
export const profileCard = (data: ProfileCardData): Attachment => renderCard("profile", data);
/** Choose how to enrol for MFA: authenticator app or text message. */
export const mfaChooseCard = (data: MfaChooseCardData): Attachment => renderCard("mfaChoose", data);
/**
 * An authenticator app's set-up: the button that opens the app (on a phone) and the QR code (at a computer), in the
 * order that suits the client, then the key and a box for the first code.
 */
export const mfaAppCard = (data: MfaAppCardData): Attachment =>
  renderCard("mfaApp", { ...data, paths: data.phoneFirst ? ["phone", "computer"] : ["computer", "phone"] });
/** The password expires soon, with a button to change it. */
export const passwordExpiryCard = (data: PasswordExpiryCardData): Attachment => renderCard("passwordExpiry", data);
/** A reminder to enrol for MFA, with a button that opens that task. */
export const mfaReminderCard = (data: MfaReminderCardData): Attachment => renderCard("mfaReminder", data);
/** A request in the agents' channel: who, why, transcript, state, Take and the agent's actions. */
export const handoffRequestCard = (data: HandoffRequestCardData): Attachment => renderCard("handoffRequest", data);
/** The person's place in the queue and the expected wait. */
export const handoffWaitingCard = (data: HandoffWaitingCardData): Attachment => renderCard("handoffWaiting", data);
/** The identity check: the account secret or a texted code, in a masked box. */
export const handoffChallengeCard = (data: HandoffChallengeCardData): Attachment => renderCard("handoffChallenge", data);
/** The agent's outcome form. */
export const handoffOutcomeCard = (data: HandoffOutcomeCardData): Attachment => renderCard("handoffOutcome", data);
/** Inside the synchronisation window: is it about something other than sending email? Yes and No buttons. */
export const handoffSomethingElseCard = (data: HandoffSomethingElseCardData): Attachment => renderCard("handoffSomethingElse", data);


/** Asked when "Reset my password" is pressed part-way through a reset: carry on, or start again. */
export const restartResetCard: () => Attachment = renderOnce("restartReset", {});
/** Secrets are for a personal chat: says so in a group chat or channel, with a button that opens the personal chat. */
export const privateChatCard = (data: PrivateChatCardData): Attachment => renderCard("privateChat", data);
/** The morning summary in the agents' channel: the last 24 hours in numbers and a chart; no buttons. */
export const dailySummaryCard = (data: DailySummaryCardData): Attachment => renderCard("dailySummary", data);
/** "Talk to the helpdesk": a button that starts a handoff (carrying why), and optionally the helpdesk's details. */
export const handoffOfferCard = (data: HandoffOfferCardData): Attachment => renderCard("handoffOffer", { ...data, ...contactLinks(data) });

/** `tel:` and `mailto:` links for the helpdesk's phone and email, so a person on a phone can tap them. */
export function contactLinks({ phone, email }: { phone: string; email: string }): { phoneHref: string; emailHref: string } {
  return { phoneHref: phoneHref(phone), emailHref: `mailto:${encodeURI(email)}` };
}

/** A `tel:` link for a phone number as written: E.164 when it reads as a valid UK number, else its digits. */
export function phoneHref(phone: string): string {
  const uk = parseUkPhoneNumber(phone);
  return `tel:${uk?.isValid() ? uk.number : phone.replace(/[^\d+]/g, "")}`;
}
