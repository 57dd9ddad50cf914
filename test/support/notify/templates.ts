/** A template, with content such as `((body))`. */
export interface Template {
  id: string;
  type: "sms" | "email";
  content: string;
  subject?: string;
}

/** The longest text message Notify sends. */
export const SMS_CHARACTER_LIMIT = 918;

/** A placeholder's name as Notify compares them: case, spaces, hyphens and underscores do not matter. */
function key(name: string): string {
  return name.replace(/[\s_-]/g, "").toLowerCase();
}

export function placeholders(text: string): string[] {
  return [...text.matchAll(/\(\(([^()]+)\)\)/g)].map((m) => m[1].trim());
}

export function personalised(personalisation: Record<string, unknown>, name: string): unknown {
  const found = Object.entries(personalisation).find(([k]) => key(k) === key(name));
  return found?.[1] ?? undefined;
}

export function fill(text: string, personalisation: Record<string, unknown>): string {
  return text.replace(/\(\(([^()]+)\)\)/g, (_, name: string) => String(personalised(personalisation, name.trim())));
}
