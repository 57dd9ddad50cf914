import type { Activity } from "botbuilder";

/** An Adaptive Card element or action, with the fields tests read. */
export interface CardElement {
  type?: string;
  id?: string;
  text?: string;
  title?: string;
  style?: string;
  value?: unknown;
  url?: string;
  fontType?: string;
  data?: Record<string, unknown>;
}

/** The elements of the cards in the replies (body and actions, nested ones included), in order. */
export function cardElements(replies: Partial<Activity>[]): CardElement[] {
  const found: CardElement[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== "object") return;
    const element = node as CardElement & Record<string, unknown>;
    if (typeof element.type === "string") found.push(element);
    Object.values(element).forEach(walk);
  };
  walk(replies.flatMap((r) => r.attachments ?? []).map((a) => a.content as unknown));
  return found;
}

/** What a person reads in the replies: message texts, then the cards' texts and button titles. */
export function readableText(replies: Partial<Activity>[]): string {
  const parts = replies.map((r) => r.text ?? "");
  for (const e of cardElements(replies)) parts.push(...[e.text, e.title].filter((t): t is string => typeof t === "string"));
  return parts.join("\n");
}
