/** Every dialog id, in one place so that no id is spelled twice. */
export const DialogId = {
  ResetPassword: "resetPassword",
  Handoff: "handoff",
} as const;

/** Every prompt id, in one place. */
export const PromptId = {
  Email: "prompt.email",
} as const;

/** Waterfall ids inside component dialogs. */
export const WaterfallId = {
  ResetPassword: "resetPassword.steps",
  Handoff: "handoff.steps",
} as const;
