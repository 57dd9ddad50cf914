/**
 * First login: the checklist model, the MFA-required rule, the Acceptable Use Policy, and the links between Teams
 * users and NHSmail addresses. No bot dependency.
 *
 * @packageDocumentation
 */
export { FIRST_LOGIN_TASKS, checklistOf, isDone, syncMinutesLeft } from "./checklist";
export type { Checklist, FirstLoginTask, TaskState, TaskStatus } from "./checklist";
export { mfaRequirement, MFA_DEFAULT_FROM, NAS_EXEMPT_TYPES } from "./mfa-rule";
export type { MfaRequirement } from "./mfa-rule";
export { AUP_SUMMARY, AUP_URL, AUP_VERSION } from "./aup";
export { UserLinks } from "./user-links";
export { ChecklistMessages } from "./checklist-messages";
export type { ChecklistMessage } from "./checklist-messages";
export { checklistCardFor } from "./checklist-card";
