/** The things a person can ask for in plain words. */
export type Intent = "reset" | "firstLogin" | "handoff" | "help" | "cancel";

/**
 * Text patterns for each intent, tried in order (first match wins). "cancel" and "help" are anchored to the
 * whole message so that, inside a flow, an answer that merely contains those words is not taken as a command.
 */
export const INTENT_PATTERNS: ReadonlyArray<{ intent: Intent; pattern: RegExp }> = [
  { intent: "cancel", pattern: /^\s*(cancel|stop|quit|exit|never ?mind)\s*[.!]*\s*$/i },
  { intent: "help", pattern: /^\s*(help|\?|menu|what can you do\??|options)\s*[.!]*\s*$/i },
  {
    intent: "handoff",
    pattern:
      /\b(talk|speak|chat)\s+(to|with)\s+(a |an |the )?(real )?(person|human|agent|someone|somebody|helpdesk|help desk|service desk)\b|^\s*(the )?(helpdesk|help desk|service desk|human|agent|a person)\s*[.!]*\s*$/i,
  },
  {
    intent: "firstLogin",
    pattern: /\b(i'?m|i am)\s+(a\s+)?new\b|\bnew (user|starter|account|mailbox)\b|\bfirst[- ]?(time )?(log ?in|login|sign ?in)\b|\btemporary password\b/i,
  },
  {
    intent: "reset",
    pattern: /\b(forgot|forgotten|forget|reset|lost|expired|change)\b.*\bpassword\b|\bpassword\b.*\b(reset|expired|forgot|forgotten)\b|\blocked out\b|\bcan'?t (log|sign) ?in\b|\bcannot (log|sign) ?in\b/i,
  },
];

/** Returns the intent a message expresses, or undefined when it expresses none. */
export function matchIntent(text: string | undefined): Intent | undefined {
  if (!text) return undefined;
  return INTENT_PATTERNS.find(({ pattern }) => pattern.test(text))?.intent;
}
