/** The version of the Acceptable Use Policy the bot presents; recorded with each acceptance. */
export const AUP_VERSION = "NHSmail AUP v3.2 (2024)";

/** Where the full policy is published. */
export const AUP_URL = "https://support.nhs.net/knowledge-base/nhsmail-acceptable-use-policy/";

/** The summary shown on the card, in the guide's words: what the person promises by accepting. */
export const AUP_SUMMARY: readonly string[] = [
  "Use NHSmail properly, for your work in health and care.",
  "Do nothing that could compromise the security of the information you send or receive.",
  "Be continually mindful of the information you share over NHSmail: it is a promise to all users, the public and patients.",
  "Keep your password and account secret to yourself, and report anything suspicious to your local administrator or the helpdesk.",
];
