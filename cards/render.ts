import { CardFactory } from "botbuilder";
import type { Attachment } from "botbuilder";
import { Template } from "adaptivecards-templating";
import { Verb } from "./verbs";
import welcome from "./welcome.json";
import help from "./help.json";
import helpdeskContact from "./helpdesk-contact.json";
import firstLoginGuide from "./first-login-guide.json";
import captcha from "./captcha.json";
import chooseMethod from "./choose-method.json";
import newPassword from "./new-password.json";
import submitted from "./submitted.json";
import resetSuccess from "./reset-success.json";
import enterCode from "./enter-code.json";

/**
 * Every card template, imported (not read from disk) so the compiler copies them into the build and a
 * missing template fails the build rather than a conversation.
 */
export const templates = { welcome, help, helpdeskContact, firstLoginGuide, captcha, chooseMethod, newPassword, submitted, resetSuccess, enterCode } as const;

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
/** The four first-login tasks from the NHSmail guide. */
export const firstLoginGuideCard: () => Attachment = renderOnce("firstLoginGuide", {});
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
