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
  /** Answer the captcha. */
  SubmitCaptcha: "captcha.submit",
  /** Ask for a new captcha image. */
  RefreshCaptcha: "captcha.refresh",
  /** Choose how to prove who you are (the method travels in the data). */
  ChooseMethod: "method.choose",
  /** Submit a verification code. */
  SubmitCode: "code.submit",
  /** Ask for a new code by text or call. */
  ResendCode: "code.resend",
  /** Submit a new password (typed twice). */
  SubmitNewPassword: "password.submit",
  /** Stop the journey in progress. */
  CancelJourney: "journey.cancel",
  /** Carry on with the journey in progress (after being asked whether to start it again). */
  ContinueJourney: "journey.continue",
  /** Start a password change from a password-expiry reminder. */
  StartPasswordChange: "password.change.start",
  /** Sign in to first-login help: address and current (or temporary) password. */
  SubmitSignIn: "signIn.submit",
  /** Submit the old password and the new one typed twice. */
  SubmitPasswordChange: "password.change.submit",
  /** Accept the Acceptable Use Policy. */
  AcceptAup: "aup.accept",
  /** Leave the Acceptable Use Policy for later. */
  DeferAup: "aup.later",
  /** Submit the profile form and the account secret. */
  SubmitProfile: "profile.submit",
  /** Choose how to enrol for MFA (the method travels in the data). */
  ChooseMfaMethod: "mfa.choose",
  /** Person: answer the agent's identity check (account secret or code, in a masked box). */
  AnswerChallenge: "handoff.answer",
  /** Person: leave the helpdesk chat or the queue. */
  LeaveHandoff: "handoff.leave",
  /** Person, asking for the helpdesk while their new account synchronises: it's about something other than sending email. */
  HandoffSomethingElse: "handoff.somethingElse",
  /** Person, asking for the helpdesk while their new account synchronises: it's about sending email (so it waits). */
  HandoffAboutEmail: "handoff.aboutEmail",
  /** Agent (agents' channel only): take a waiting request. */
  TakeHandoff: "handoff.take",
  /** Agent: end the conversation and return the person to the bot. */
  EndHandoff: "handoff.end",
  /** Agent: ask the person for their account secret. */
  ChallengeSecret: "handoff.challengeSecret",
  /** Agent: text the person a code and ask for it. */
  ChallengeSms: "handoff.challengeSms",
  /** Agent (after verification): send the person a button back into the self-service reset. */
  SendResetLink: "handoff.sendReset",
  /** Agent (after verification): clear the account's reset throttles. */
  UnlockAccount: "handoff.unlock",
  /** Agent: record the outcome (the choice and a note travel in the data). */
  RecordOutcome: "handoff.outcome",
} as const;

/** A card verb. */
export type Verb = (typeof Verb)[keyof typeof Verb];

/** A verb that starts a journey from anywhere. */
export type GlobalVerb =
  | typeof Verb.StartReset
  | typeof Verb.StartFirstLogin
  | typeof Verb.StartHandoff
  | typeof Verb.ShowHelp
  | typeof Verb.StartPasswordChange;

/** Verbs that start a journey from anywhere, replacing whatever conversation was in progress. */
export const GLOBAL_VERBS: ReadonlySet<string> = new Set<string>([
  Verb.StartReset,
  Verb.StartFirstLogin,
  Verb.StartHandoff,
  Verb.ShowHelp,
  Verb.StartPasswordChange,
]);

/** Verbs that answer a step of a journey in progress; with no journey in progress they belong to a finished one. */
export const DIALOG_VERBS: ReadonlySet<string> = new Set<string>([
  Verb.SubmitCaptcha,
  Verb.RefreshCaptcha,
  Verb.ChooseMethod,
  Verb.SubmitCode,
  Verb.ResendCode,
  Verb.SubmitNewPassword,
  Verb.CancelJourney,
  Verb.ContinueJourney,
  Verb.SubmitSignIn,
  Verb.SubmitPasswordChange,
  Verb.AcceptAup,
  Verb.DeferAup,
  Verb.SubmitProfile,
  Verb.ChooseMfaMethod,
  Verb.AnswerChallenge,
  Verb.LeaveHandoff,
  Verb.HandoffSomethingElse,
  Verb.HandoffAboutEmail,
]);

/** Verbs only helpdesk agents use, and only in the agents' channel; the sender's membership is checked on each press. */
export const AGENT_VERBS: ReadonlySet<string> = new Set<string>([
  Verb.TakeHandoff,
  Verb.EndHandoff,
  Verb.ChallengeSecret,
  Verb.ChallengeSms,
  Verb.SendResetLink,
  Verb.UnlockAccount,
  Verb.RecordOutcome,
]);
