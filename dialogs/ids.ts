/** Every dialog id, in one place so that no id is spelled twice. */
export const DialogId = {
  ResetPassword: "resetPassword",
  Captcha: "captcha",
  VerifyIdentity: "verifyIdentity",
  PhoneCode: "phoneCode",
  AppCode: "appCode",
  NewPassword: "newPassword",
  Handoff: "handoff",
  FirstLogin: "firstLogin",
  SignIn: "signIn",
  ChangePassword: "changePassword",
  AcceptAup: "acceptAup",
  UpdateProfile: "updateProfile",
  EnrolMfa: "enrolMfa",
  MfaApp: "mfaApp",
  MfaSms: "mfaSms",
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
  SignIn: "prompt.signIn",
  ChangePassword: "prompt.changePassword",
  Aup: "prompt.aup",
  Profile: "prompt.profile",
  MfaMethod: "prompt.mfaMethod",
  MfaMobile: "prompt.mfaMobile",
  MfaCode: "prompt.mfaCode",
  HandoffSomethingElse: "prompt.handoffSomethingElse",
  HandoffMessage: "prompt.handoffMessage",
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
  FirstLogin: "firstLogin.steps",
  SignIn: "signIn.steps",
  ChangePassword: "changePassword.steps",
  AcceptAup: "acceptAup.steps",
  UpdateProfile: "updateProfile.steps",
  EnrolMfa: "enrolMfa.steps",
  MfaApp: "mfaApp.steps",
  MfaSms: "mfaSms.steps",
} as const;

/** The prompts whose card asks for a secret in a masked box: anything typed in the chat meanwhile is never kept. */
export const SECRET_PROMPTS: ReadonlySet<string> = new Set<string>([PromptId.NewPassword, PromptId.SignIn, PromptId.ChangePassword, PromptId.Profile]);
