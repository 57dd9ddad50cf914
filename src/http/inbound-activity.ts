import type { Activity } from "botbuilder";
// zod's v4 engine (shipped in the pinned zod package): about ten times faster than v3 on this schema, which every
// inbound activity goes through.
import { z } from "zod/v4";
import { malformedTextIn } from "./json-body";

const text = (max: number) => z.string().max(max);
/** A field a channel may leave out or send as null; an absent field stays absent, a null one is read as undefined. */
const optional = <T extends z.ZodType>(schema: T) => schema.nullish();
const time = optional(
  z
    .string()
    .max(64)
    .refine((v) => !Number.isNaN(Date.parse(v)), "not a time")
    .transform((v) => new Date(v)),
);

const channelAccountShape = { id: text(512), name: optional(text(512)), aadObjectId: optional(text(128)), role: optional(text(32)) };
const channelAccount = z.looseObject(channelAccountShape);
const conversationShape = { id: z.string().min(1).max(1024), conversationType: optional(text(64)), isGroup: optional(z.boolean()), tenantId: optional(text(128)), name: optional(text(512)) };

/**
 * The fields of an activity the bot and the Bot Framework SDK rely on, with the types a channel sends them in.
 * Anything else a channel adds passes through untouched; a field of the wrong type is refused (400) here rather than
 * failing deep inside the SDK. Sizes are generous: the body limit is the real bound.
 */
const activityShape = {
  type: z.string().min(1).max(64),
  id: optional(text(512)),
  channelId: z.string().min(1).max(64),
  // Replies go to this address: only a web address will do (never file:, data: or the like).
  serviceUrl: z
    .string()
    .max(2048)
    .refine((url) => URL.canParse(url) && /^https?:\/\//i.test(url), "not a web address"),
  from: channelAccount,
  recipient: channelAccount,
  conversation: z.looseObject(conversationShape),
  text: optional(z.string()),
  textFormat: optional(text(32)),
  locale: optional(text(32)),
  replyToId: optional(text(512)),
  deliveryMode: optional(text(32)),
  name: optional(text(256)),
  timestamp: time,
  localTimestamp: time,
  expiration: time,
  membersAdded: optional(z.array(channelAccount).max(500)),
  membersRemoved: optional(z.array(channelAccount).max(500)),
  attachments: optional(z.array(z.looseObject({ contentType: text(256) })).max(50)),
  entities: optional(z.array(z.looseObject({ type: text(256) })).max(50)),
  channelData: optional(z.record(z.string(), z.unknown())),
  value: z.unknown().optional(),
};
export const inboundActivitySchema = z.looseObject(activityShape);

const KNOWN_FIELDS: ReadonlySet<string> = new Set(Object.keys(activityShape));
/** The fields whose null means "not sent" (`value` is the channel's own and is passed on as it came). */
const NULLABLE_FIELDS = Object.keys(activityShape).filter((key) => key !== "value");
const NULLABLE_ACCOUNT_FIELDS = Object.keys(channelAccountShape);
const NULLABLE_CONVERSATION_FIELDS = Object.keys(conversationShape);

/** The result of reading an activity: the activity, or the first field that was wrong (a schema path, never a value). */
export type InboundActivity = { ok: true; activity: Activity } | { ok: false; field: string };

/** Reads an activity from a parsed JSON body (see `json-body.ts`), as the SDK expects it (times as `Date`s). */
export function readInboundActivity(body: Record<string, unknown>): InboundActivity {
  const malformed = malformedTextIn(body);
  if (malformed !== undefined) return { ok: false, field: KNOWN_FIELDS.has(malformed.split(".")[0] ?? "") ? (malformed.split(".")[0] ?? "") : "(text)" };
  const parsed = inboundActivitySchema.safeParse(body);
  if (parsed.success) return { ok: true, activity: withoutNulls(parsed.data) as unknown as Activity };
  const path = parsed.error.issues[0]?.path ?? [];
  return { ok: false, field: path.filter((p) => typeof p === "string").slice(0, 3).join(".") || "(activity)" };
}

/** The SDK tests fields against undefined: a null sent for one of the schema's own fields becomes undefined. */
function withoutNulls(activity: Record<string, unknown>): Record<string, unknown> {
  clearNulls(activity, NULLABLE_FIELDS);
  for (const account of [activity.from, activity.recipient, ...asArray(activity.membersAdded), ...asArray(activity.membersRemoved)]) {
    clearNulls(account as Record<string, unknown>, NULLABLE_ACCOUNT_FIELDS);
  }
  clearNulls(activity.conversation as Record<string, unknown>, NULLABLE_CONVERSATION_FIELDS);
  return activity;
}

function clearNulls(object: Record<string, unknown>, keys: readonly string[]): void {
  for (const key of keys) if (object[key] === null) object[key] = undefined;
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
