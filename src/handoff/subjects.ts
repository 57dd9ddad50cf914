/** The id of a request's timeout job (one per request: scheduling again replaces it). */
export const timeoutJobId = (handoffId: string): string => `handoff|${handoffId}`;

/** The one-time-code subject of a request's texted identity check, so a code from any other journey never works here. */
export const codeSubject = (handoffId: string): string => `handoff|${handoffId}`;
