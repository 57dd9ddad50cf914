import { CardFactory } from "botbuilder";
import type { Attachment } from "botbuilder";
import { Template } from "adaptivecards-templating";
import { Verb } from "./verbs";
import welcome from "./welcome.json";
import help from "./help.json";
import helpdeskContact from "./helpdesk-contact.json";
import firstLoginGuide from "./first-login-guide.json";

/**
 * Every card template, imported (not read from disk) so the compiler copies them into the build and a
 * missing template fails the build rather than a conversation.
 */
export const templates = { welcome, help, helpdeskContact, firstLoginGuide } as const;

/** The name of a card template. */
export type TemplateName = keyof typeof templates;

/** Template data for the verbs, shared by every card so each card names verbs through one object. */
const verbs = {
  startReset: Verb.StartReset,
  startFirstLogin: Verb.StartFirstLogin,
  startHandoff: Verb.StartHandoff,
  showHelp: Verb.ShowHelp,
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
