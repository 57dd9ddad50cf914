/**
 * The data each card template is expanded with, one interface per card. No data interface ever holds a secret: the
 * inputs of secret boxes are always empty when a card is sent.
 */

/** Data for the welcome card. */
export interface WelcomeCardData {
  /** A short greeting, for example "Hello Sam." */
  greeting: string;
}

/** Data for the help card. */
export interface HelpCardData {
  title: string;
}

/** Data for the card that moves a journey from a group chat or channel to a personal chat. */
export interface PrivateChatCardData {
  /** A Teams deep link that opens the personal chat with the bot; empty when the bot's app id is unknown. */
  link: string;
}

/** Data for the helpdesk contact card. */
export interface HelpdeskContactCardData {
  /** Why the person is being sent to the helpdesk; empty for none. */
  reason: string;
  phone: string;
  email: string;
}


/** Data for the captcha card. */
export interface CaptchaCardData {
  /** PNG data URI of the characters to type. */
  image: string;
  /** Why the last answer was refused; empty for none. */
  error: string;
  /** This picture's id, carried by the card's buttons so a press on a replaced picture is recognised. */
  challengeId: string;
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
  /** True when every session was signed out, so the old password already stopped working everywhere. */
  signedOutEverywhere: boolean;
}

/** One line of the first-login checklist. */
export interface ChecklistTaskLine {
  /** The task's key (travels in the button's data), e.g. "aup". */
  task: string;
  number: number;
  title: string;
  /** "Done", "To do" or "Waiting". */
  status: string;
  /** True for the task to do next: its status is shown in the accent colour. */
  highlight: boolean;
  /** One line of what it involves, or what it waits for. */
  detail: string;
  /** The button to start it; empty when the task is done or waiting. */
  action: string;
}

/** Data for the first-login checklist card (one card, updated in place as tasks complete). */
export interface ChecklistCardData {
  greeting: string;
  tasks: ChecklistTaskLine[];
  /** Before enrolment, whether MFA is required for this account and why; once enrolled, how the codes come. */
  mfaNote: string;
  /** When email sending should work, once the AUP is accepted; empty otherwise, and on a finished checklist. */
  syncNote: string;
  complete: boolean;
  /** The closing line of a finished checklist: "ready to use", or when email sending works if still synchronising. */
  completeNote: string;
}

/** Data for the first-login sign-in card: the address, and the temporary (or current) password in a masked box. */
export interface SignInCardData {
  /** Why the last attempt was refused; empty for none. */
  error: string;
  /** The address typed last time, shown in its box again; empty for an empty box. Never the password. */
  email: string;
}

/** Data for the change-password card: old password, then the new one twice; never holds a password. */
export interface ChangePasswordCardData {
  title: string;
  /** A line under the title, e.g. that the temporary password stops working. */
  intro: string;
  /** Whether to ask for the current password; false when the person signed in with it earlier in the same journey. */
  askCurrent: boolean;
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

/**
 * Data for the authenticator-app enrolment card: a link that opens the app (for a person on their phone), the QR code
 * (for a person at a computer) and the key by hand; all removed from the chat once used.
 */
export interface MfaAppCardData {
  /** PNG data URI of the QR code of the otpauth URI. */
  qrImage: string;
  /** The otpauth URI itself, for the button that opens the authenticator app on the phone showing the chat. */
  appLink: string;
  /** The key, in groups of four, for typing into the app by hand. */
  key: string;
  error: string;
  /** True when the chat is open on a phone: the "I'm on my phone" path comes first, the QR code second. */
  phoneFirst: boolean;
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
  /** Where they are asking from, in words: Teams, or the web chat page. */
  via: string;
  /** The step that failed; empty for none. */
  step: string;
  /** The latest lines of the redacted transcript, oldest first: always shown. */
  latest: Array<{ from: string; text: string }>;
  /** The lines before {@link HandoffRequestCardData.latest}, oldest first: shown by "Show the whole chat". */
  earlier: Array<{ from: string; text: string }>;
  /** What to do next, and how to be heard in the thread (the @mention); empty once closed. */
  replyHint: string;
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

/** Data for the question asked inside the first-login synchronisation window (Yes / No buttons). */
export interface HandoffSomethingElseCardData {
  /** "Is it about something other than sending email?" */
  question: string;
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

/** Data for the offer to talk to the helpdesk, shown when a person is blocked or stuck. */
export interface HandoffOfferCardData {
  title: string;
  /** A line under the title; empty for none. */
  reason: string;
  /** Why the person would be asking, carried in the button's data for the request card (a handoff trigger). */
  trigger: string;
  /** The step that failed, in words, carried in the button's data; empty for none. */
  step: string;
  /** The helpdesk's phone and email, shown under the reason (tappable); empty to show none. */
  phone: string;
  email: string;
  /** True when talking to the helpdesk is the way forward (after a lockout); false when it is the fallback beside the main path. */
  primary: boolean;
}

/** Data for the daily summary posted in the agents' channel: every number already in words, and the chart. */
export interface DailySummaryCardData {
  /** The hours covered, in UK time: "8:00am on Tuesday 1 December 2026 to 8:00am on Wednesday 2 December 2026". */
  period: string;
  resetsCompleted: string;
  /** Resets that ended because the account was blocked from resetting. */
  resetsBlocked: string;
  /** Where resets most often stopped, in words with how many: "the verification code (5 of 9)"; or that none did. */
  stoppedAt: string;
  /** Failed identity checks by method, most first: "Code by text" and "4". Empty when none failed. */
  failedChecks: Array<{ method: string; count: string }>;
  handoffsRequested: string;
  handoffsTaken: string;
  handoffsTimedOut: string;
  /** The median wait for an agent, in words ("3 minutes"), or "no requests". */
  waitMedian: string;
  /** The wait 9 in 10 requests were taken within, in words, or "no requests". */
  waitP90: string;
  firstLoginsCompleted: string;
  /** PNG data URI of the hourly chart. */
  chart: string;
  /** What the chart shows, in words, for screen readers. */
  chartAlt: string;
}
