import type { Activity } from "botbuilder";
import { z } from "zod";
import { malformedTextIn } from "./json-body";

const text = (max: number) => z.string().max(max);
const optional = <T extends z.ZodTypeAny>(schema: T) => schema.nullish().transform((v) => v ?? undefined);
const time = optional(z.string().max(64).refine((v) => !Number.isNaN(Date.parse(v)), "not a time").transform((v) => new Date(v)));

const channelAccount = z
  .object({ id: text(512), name: optional(text(512)), aadObjectId: optional(text(128)), role: optional(text(32)) })
  .passthrough();

/**
 * The fields of an activity the bot and the Bot Framework SDK rely on, with the types a channel sends them in.
 * Anything else a channel adds passes through untouched; a field of the wrong type is refused (400) here rather than
 * failing deep inside the SDK. Sizes are generous: the body limit is the real bound.
 */
export const inboundActivitySchema = z
  .object({
    type: z.string().min(1).max(64),
    id: optional(text(512)),
    channelId: z.string().min(1).max(64),
    // Replies go to this address: only a web address will do (never file:, data: or the like).
    serviceUrl: z.string().max(2048).url().refine((url) => /^https?:\/\//i.test(url), "not a web address"),
    from: channelAccount,
    recipient: channelAccount,
    conversation: z
      .object({ id: z.string().min(1).max(1024), conversationType: optional(text(64)), isGroup: optional(z.boolean()), tenantId: optional(text(128)), name: optional(text(512)) })
      .passthrough(),
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
    attachments: optional(z.array(z.object({ contentType: text(256) }).passthrough()).max(50)),
    entities: optional(z.array(z.object({ type: text(256) }).passthrough()).max(50)),
    channelData: optional(z.record(z.unknown())),
    value: z.unknown().optional(),
  })
  .passthrough();

const KNOWN_FIELDS: ReadonlySet<string> = new Set(Object.keys(inboundActivitySchema.shape));

/** The result of reading an activity: the activity, or the first field that was wrong (a schema path, never a value). */
export type InboundActivity = { ok: true; activity: Activity } | { ok: false; field: string };

/** Reads an activity from a parsed JSON body (see `json-body.ts`), as the SDK expects it (times as `Date`s). */
export function readInboundActivity(body: Record<string, unknown>): InboundActivity {
  const malformed = malformedTextIn(body);
  if (malformed !== undefined) return { ok: false, field: KNOWN_FIELDS.has(malformed.split(".")[0] ?? "") ? (malformed.split(".")[0] ?? "") : "(text)" };
  const parsed = inboundActivitySchema.safeParse(body);
  if (parsed.success) return { ok: true, activity: parsed.data as unknown as Activity };
  const path = parsed.error.issues[0]?.path ?? [];
  return { ok: false, field: path.filter((p) => typeof p === "string").slice(0, 3).join(".") || "(activity)" };
}
