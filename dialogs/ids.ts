/** Every dialog id, in one place so that no id is spelled twice. */
export const DialogId = {
  ResetPassword: "resetPassword",
  Captcha: "captcha",
  VerifyIdentity: "verifyIdentity",
  PhoneCode: "phoneCode",
  AppCode: "appCode",
  NewPassword: "newPassword",
  Handoff: "handoff",
} as const;

/** Every prompt id, in one place. */
export const PromptId = {
  Email: "prompt.email",
  Captcha: "prompt.captcha",
  Method: "prompt.method",
  MobileNumber: "prompt.mobileNumber",
  PhoneCode: "prompt.phoneCode",
  AppCode: "prompt.appCode",
  NewPassword: "prompt.newPassword",
} as const;

/** Waterfall ids inside component dialogs. */
export const WaterfallId = {
  ResetPassword: "resetPassword.steps",
  Captcha: "captcha.steps",
  VerifyIdentity: "verifyIdentity.steps",
  PhoneCode: "phoneCode.steps",
  AppCode: "appCode.steps",
  NewPassword: "newPassword.steps",
  Handoff: "handoff.steps",
} as const;
