/**
 * Every Adaptive Card verb the bot understands. Cards receive these through their template data and the
 * router registers the same constants, so a verb is spelled exactly once.
 */
export const Verb = {
  /** Start the self-service password reset. */
  StartReset: "reset.start",
  /** Start (or resume) first-login help. */
  StartFirstLogin: "firstLogin.start",
  /** Ask to talk to a person at the helpdesk. */
  StartHandoff: "handoff.start",
  /** Show what the bot can do. */
  ShowHelp: "help.show",
} as const;

/** A card verb. */
export type Verb = (typeof Verb)[keyof typeof Verb];

/** Verbs that start a journey from anywhere, replacing whatever conversation was in progress. */
export const GLOBAL_VERBS: ReadonlySet<string> = new Set<string>([
  Verb.StartReset,
  Verb.StartFirstLogin,
  Verb.StartHandoff,
  Verb.ShowHelp,
]);
