import type { Attachment } from "botbuilder";
import * as render from "../../cards/render";
import type { TemplateName } from "../../cards/render";

/** A 1×1 PNG, standing in for the captcha picture and the QR code (their own pixels are not text). */
const PIXEL = "data:image/png;base64,iVBORw0KGBoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=";
const RULES = [
  { mark: "✓", text: "At least 10 characters" },
  { mark: "✗", text: "Not a common password" },
  { mark: "•", text: "Not one of your last 4 passwords" },
];

/**
 * Every card the bot sends, rendered through its own renderer with realistic data, including the states that show
 * an error or a highlighted line: what the contrast checks and the README's pictures look at. Keyed by template, so
 * the compiler says when a card has no sample.
 */
export const CARD_SAMPLES: Record<TemplateName, () => Attachment> = {
  welcome: () => render.welcomeCard({ greeting: "Hello Sam." }),
  help: () => render.mainHelpCard(),
  helpdeskContact: () => render.helpdeskContactCard({ reason: "Nobody is free to chat right now.", phone: "0333 200 1133", email: "helpdesk@nhs.net" }),
  captcha: () => render.captchaCard({ image: PIXEL, error: "Those characters didn't match the picture. Here's a new one to try.", challengeId: "c1" }),
  chooseMethod: () => render.chooseMethodCard({ sms: true, voice: true, app: true }),
  newPassword: () => render.newPasswordCard({ problems: ["That password is on a list of common passwords."], rules: RULES }),
  submitted: () => render.submittedCard({ title: "New password set", note: "For your security, the boxes have been cleared." }),
  resetSuccess: () => render.resetSuccessCard({ expires: "1 December 2027", notified: "email and a text to your mobile", signedOutEverywhere: true }),
  enterCode: () => render.enterCodeCard({ message: "Type the 6-digit code from the text I sent to *****18, or type **try again** for a new one.", error: "That code isn't right. You can try 4 more times before this account is blocked from resetting for 24 hours.", canResend: true }),
  checklist: () =>
    render.checklistCard({
      greeting: "Welcome to NHSmail, Sam.",
      tasks: [
        { task: "password", number: 1, title: "Change your temporary password", status: "Done", highlight: false, detail: "Done.", action: "" },
        { task: "aup", number: 2, title: "Accept the Acceptable Use Policy", status: "To do", highlight: true, detail: "Read a short summary and accept it.", action: "Read and accept" },
        { task: "profile", number: 3, title: "Update your profile and set your account secret", status: "Waiting", highlight: false, detail: "After you accept the Acceptable Use Policy.", action: "" },
      ],
      mfaNote: "MFA is required for your account: it was created after 5 October 2023.",
      syncNote: "Email sending works from about 3:59pm, once your account has synchronised.",
      complete: false,
      completeNote: "",
    }),
  signIn: () => render.signInCard({ error: "That address and password don't match an account I can help with.", email: "sam.okafor@nhs.net" }),
  changePassword: () => render.changePasswordCard({ title: "Change your temporary password", intro: "Your temporary password stops working once you change it.", askCurrent: true, problems: ["Don't use your own name in your password."], rules: RULES }),
  aup: () => render.aupCard({ summary: ["Keep your password to yourself.", "Use NHSmail for work."], url: "https://support.nhs.net/knowledge-base/acceptable-use-policy/", version: "Version 5.0" }),
  syncNotice: () => render.syncNoticeCard({ readyAt: "3:59pm", windowMinutes: 120 }),
  profile: () => render.profileCard({ problems: ["Type a job title."], displayName: "Sam Okafor", jobTitle: "", department: "Ward 7", organisation: "Leeds Teaching Hospitals NHS Trust", workPhone: "0113 243 3144" }),
  mfaChoose: () => render.mfaChooseCard({ required: true, reason: "Your account was created after 5 October 2023." }),
  mfaApp: () => render.mfaAppCard({ qrImage: PIXEL, appLink: "otpauth://totp/NHSmail:sam.okafor%40nhs.net?secret=JBSWY3DPEHPK3PXP&issuer=NHSmail", key: "JBSW Y3DP EHPK 3PXP", error: "That code didn't work.", phoneFirst: false }),
  passwordExpiry: () => render.passwordExpiryCard({ when: "in 7 days", expires: "8 December 2026" }),
  mfaReminder: () => render.mfaReminderCard({ reason: "Your account was created after 5 October 2023." }),
  handoffRequest: () =>
    render.handoffRequestCard({
      handoffId: "h1",
      who: "Jane Smith",
      email: "j***.s***@nhs.net",
      why: "Locked out after failed checks",
      via: "The web chat page (not signed in to Teams)",
      step: "the verification code",
      latest: [
        { from: "Jane Smith", text: "reset my password" },
        { from: "Bot", text: "What's your **@nhs.net** email address?" },
      ],
      earlier: [{ from: "Jane Smith", text: "hello" }],
      replyHint: "Press Take to chat with Jane. @mention NHSmail helpdesk in your reply.",
      since: "2:35pm",
      status: "Waiting since 2:35pm",
      waiting: true,
      active: false,
      identity: "Not checked yet",
      verified: false,
    }),
  handoffWaiting: () => render.handoffWaitingCard({ position: 2, estimate: "about 10 minutes" }),
  handoffChallenge: () => render.handoffChallengeCard({ prompt: "Your account secret", error: "Type your answer in the box." }),
  handoffOutcome: () => render.handoffOutcomeCard({ handoffId: "h1" }),
  handoffOffer: () => render.handoffOfferCard({ title: "Talk to the helpdesk", reason: "Someone from the helpdesk can chat with you here, or you can contact them:", trigger: "locked-out", step: "", phone: "0333 200 1133", email: "helpdesk@nhs.net", primary: true }),
  handoffSomethingElse: () => render.handoffSomethingElseCard({ question: "Is it about something other than sending email?" }),
  privateChat: () => render.privateChatCard({ link: "https://teams.microsoft.com/l/chat/0/0?users=28:00000000-0000-0000-0000-000000000000" }),
  restartReset: () => render.restartResetCard(),
  dailySummary: () =>
    render.dailySummaryCard({
      period: "8:00am on Tuesday 1 December 2026 to 8:00am on Wednesday 2 December 2026",
      resetsCompleted: "41",
      resetsBlocked: "2",
      stoppedAt: "the verification code (5 of 9)",
      failedChecks: [
        { method: "Code by text", count: "4" },
        { method: "Authenticator app code", count: "1" },
      ],
      handoffsRequested: "9",
      handoffsTaken: "8",
      handoffsTimedOut: "1",
      waitMedian: "3 minutes",
      waitP90: "11 minutes",
      firstLoginsCompleted: "3",
      chart: PIXEL,
      chartAlt: "Chart of each hour in the 24 hours to 8:00am on Wednesday, UK time. Bars: resets completed, 41 in all, most at 11am (6). Line: help requests, 9 in all, most at 5pm (3).",
    }),
};
