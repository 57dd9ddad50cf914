import { CardFactory } from "botbuilder";
import type { Attachment } from "botbuilder";
import { Template } from "adaptivecards-templating";
import { Verb } from "./verbs";
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
  startPasswordChange: Verb.StartPasswordChange,
  submitSignIn: Verb.SubmitSignIn,
  submitPasswordChange: Verb.SubmitPasswordChange,
  acceptAup: Verb.AcceptAup,
  deferAup: Verb.DeferAup,
  submitProfile: Verb.SubmitProfile,
  chooseMfaMethod: Verb.ChooseMfaMethod,
  answerChallenge: Verb.AnswerChallenge,
  leaveHandoff: Verb.LeaveHandoff,
  takeHandoff: Verb.TakeHandoff,
  endHandoff: Verb.EndHandoff,
  challengeSecret: Verb.ChallengeSecret,
  challengeSms: Verb.ChallengeSms,
  sendResetLink: Verb.SendResetLink,
  unlockAccount: Verb.UnlockAccount,
  recordOutcome: Verb.RecordOutcome,
} as const;

/** Data for the welcome card. */
export interface WelcomeCardData {
  /** A short greeting, for example "Hello Sam." */
  greeting: string;
}

/** Data for the help card. */
export interface HelpCardData {
  title: string;
}

/** Data for the helpdesk contact card. */
export interface HelpdeskContactCardData {
  /** Why the person is being sent to the helpdesk; empty for none. */
  reason: string;
  phone: string;
  email: string;
}

// Parsing a template's expressions costs far more than expanding it, so each template is parsed once.
const parsed = new Map<TemplateName, Template>();

/** Data for the captcha card. */
export interface CaptchaCardData {
  /** PNG data URI of the characters to type. */
  image: string;
  /** Why the last answer was refused; empty for none. */
  error: string;
}

/** Data for the method card: which buttons to show. */
export interface ChooseMethodCardData {
  sms: boolean;
  voice: boolean;
  app: boolean;
}

/** Data for the card that asks for a verification code (typed into a masked box, so it stays out of the chat). */
export interface EnterCodeCardData {
  /** What to do, e.g. where the code was sent. */
  message: string;
  /** What was wrong with the last code; empty for none. */
  error: string;
  /** Whether to offer "Send a new code" (texts and calls). */
  canResend: boolean;
}

/** Data for the new-password card. Never holds the password: its inputs are always empty. */
export interface NewPasswordCardData {
  /** What was wrong with the last attempt, one line each (plain English, never echoing the password). */
  problems: string[];
  /** The checklist: each rule with a mark (✓, ✗ or •). */
  rules: Array<{ mark: string; text: string }>;
}

/** Data for the card that replaces a submitted card, so no typed secret stays on screen. */
export interface SubmittedCardData {
  title: string;
  note: string;
}

/** Data for the success card. */
export interface ResetSuccessCardData {
  /** The new password's expiry, as a person reads a date. */
  expires: string;
  /** How the person was told, e.g. "email and a text to your mobile". */
  notified: string;
}

/** One line of the first-login checklist. */
export interface ChecklistTaskLine {
  /** The task's key (travels in the button's data), e.g. "aup". */
  task: string;
  number: number;
  title: string;
  /** "Done", "To do" or "Waiting". */
  status: string;
  /** Adaptive Card colour of the status: "Good", "Accent" or "Default". */
  statusColor: string;
  /** One line of what it involves, or what it waits for. */
  detail: string;
  /** The button to start it; empty when the task is done or waiting. */
  action: string;
}

/** Data for the first-login checklist card (one card, updated in place as tasks complete). */
export interface ChecklistCardData {
  greeting: string;
  tasks: ChecklistTaskLine[];
  /** Whether MFA is required for this account, and why. */
  mfaNote: string;
  /** When email sending should work, once the AUP is accepted; empty otherwise. */
  syncNote: string;
  complete: boolean;
}

/** Data for the first-login sign-in card: the address, and the temporary (or current) password in a masked box. */
export interface SignInCardData {
  /** Why the last attempt was refused; empty for none. */
  error: string;
}

/** Data for the change-password card: old password, then the new one twice; never holds a password. */
export interface ChangePasswordCardData {
  title: string;
  /** A line under the title, e.g. that the temporary password stops working. */
  intro: string;
  problems: string[];
  rules: Array<{ mark: string; text: string }>;
}

/** Data for the Acceptable Use Policy card. */
export interface AupCardData {
  summary: readonly string[];
  url: string;
  version: string;
}

/** Data for the card that says email sending waits for account synchronisation. */
export interface SyncNoticeCardData {
  /** When it should be ready, as a person reads a time, e.g. "2:35pm". */
  readyAt: string;
  /** The window in minutes, e.g. 120. */
  windowMinutes: number;
}

/** Data for the profile form (prefilled; the account secret boxes are always empty). */
export interface ProfileCardData {
  problems: string[];
  displayName: string;
  jobTitle: string;
  department: string;
  organisation: string;
  workPhone: string;
}

/** Data for the MFA method choice. */
export interface MfaChooseCardData {
  required: boolean;
  reason: string;
}

/** Data for the authenticator-app enrolment card: the QR code and the key (removed from the chat once used). */
export interface MfaAppCardData {
  /** PNG data URI of the QR code of the otpauth URI. */
  qrImage: string;
  /** The key, in groups of four, for typing into the app by hand. */
  key: string;
  error: string;
}

/** Data for the password-expiry reminder. */
export interface PasswordExpiryCardData {
  /** e.g. "in 7 days", "tomorrow". */
  when: string;
  /** The expiry as a person reads a date. */
  expires: string;
}

/** Data for the daily MFA reminder. */
export interface MfaReminderCardData {
  /** Why MFA is required for this account. */
  reason: string;
}

/** Data for a request card in the agents' channel (updated in place as the request is taken and closed). */
export interface HandoffRequestCardData {
  /** The handoff's id (travels in every button's data). */
  handoffId: string;
  /** The person's display name. */
  who: string;
  /** The account, masked (e.g. "j***.s***@nhs.net"); "not given" when unknown. */
  email: string;
  /** Why they asked, in words. */
  why: string;
  /** The step that failed; empty for none. */
  step: string;
  /** The redacted transcript, oldest first. */
  transcript: Array<{ from: string; text: string }>;
  /** When the request was made, e.g. "2:35pm". */
  since: string;
  /** The request's state in words: "Waiting", "Taken by Alex Jones", "Closed: …". */
  status: string;
  waiting: boolean;
  active: boolean;
  /** The identity check's state in words; empty for none. */
  identity: string;
  /** Whether the identity check passed (enables the actions that need it). */
  verified: boolean;
}

/** Data for the person's waiting card. */
export interface HandoffWaitingCardData {
  /** 1-based place in the queue. */
  position: number;
  /** The expected wait in words, e.g. "about 10 minutes". */
  estimate: string;
}

/** Data for the identity check the agent asked for (a masked box). */
export interface HandoffChallengeCardData {
  /** "Your account secret" or "The code we just texted to *****18". */
  prompt: string;
  error: string;
}

/** Data for the agent's outcome form. */
export interface HandoffOutcomeCardData {
  handoffId: string;
}

/** Expands a template with its data (plus the verbs) into an Adaptive Card attachment. */
export function renderCard(name: TemplateName, data: object): Attachment {
  let template = parsed.get(name);
  if (!template) parsed.set(name, (template = new Template(templates[name])));
  const card: unknown = template.expand({ $root: { ...data, verbs } });
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
/** How to reach the helpdesk by phone or email. */
export const helpdeskContactCard = (data: HelpdeskContactCardData): Attachment => renderCard("helpdeskContact", data);
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
/** Old password and the new one twice, with the policy checklist. */
export const changePasswordCard = (data: ChangePasswordCardData): Attachment => renderCard("changePassword", data);
/** The Acceptable Use Policy summary, a link, and Accept / Not now. */
export const aupCard = (data: AupCardData): Attachment => renderCard("aup", data);
/** Email sending waits for account synchronisation, up to 2 hours. */
export const syncNoticeCard = (data: SyncNoticeCardData): Attachment => renderCard("syncNotice", data);
/** Profile form and the account secret typed twice. */
export const profileCard = (data: ProfileCardData): Attachment => renderCard("profile", data);
/** Choose how to enrol for MFA: authenticator app or text message. */
export const mfaChooseCard = (data: MfaChooseCardData): Attachment => renderCard("mfaChoose", data);
/** The QR code and key for an authenticator app, and a box for the first code. */
export const mfaAppCard = (data: MfaAppCardData): Attachment => renderCard("mfaApp", data);
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

/** Data for the offer to talk to the helpdesk, shown when a person is blocked or stuck. */
export interface HandoffOfferCardData {
  title: string;
  /** A line under the title; empty for none. */
  reason: string;
  /** Why the person would be asking, carried in the button's data for the request card (a handoff trigger). */
  trigger: string;
  /** The step that failed, in words, carried in the button's data; empty for none. */
  step: string;
  /** The helpdesk's phone and email, shown under the reason; empty to show none. */
  phone: string;
  email: string;
}

/** "Talk to the helpdesk": a button that starts a handoff (carrying why), and optionally the helpdesk's details. */
export const handoffOfferCard = (data: HandoffOfferCardData): Attachment => renderCard("handoffOffer", data);
