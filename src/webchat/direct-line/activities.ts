import { z } from "zod";
import { malformedTextIn } from "../../http/json-body";

/** Direct Line's channel id. */
export const CHANNEL_ID = "directline";

/** The bot, as the local Direct Line names it in activities (`recipient` of what a person sends). */
export const BOT_ACCOUNT: Readonly<{ id: string }> = { id: "bot" };

const text = (max: number) => z.string().max(max);
const optional = <T extends z.ZodTypeAny>(schema: T) => schema.nullish().transform((v) => v ?? undefined);

/**
 * What a client may post: the fields Web Chat sends, with their types. Anything else is dropped, and so are the fields
 * the service sets itself (id, timestamp, channel, conversation, recipient, service URL, delivery mode); `from` keeps
 * only its name. The size limit bounds the rest.
 */
const clientActivitySchema = z.object({
  type: z.enum(["message", "event", "typing"]),
  text: optional(z.string()),
  textFormat: optional(text(32)),
  locale: optional(text(32)),
  localTimestamp: optional(text(64)),
  localTimezone: optional(text(64)),
  name: optional(text(256)),
  value: z.unknown().optional(),
  valueType: optional(text(256)),
  replyToId: optional(text(512)),
  channelData: optional(z.record(z.unknown())),
  attachments: optional(z.array(z.object({ contentType: text(256) }).passthrough()).max(10)),
  entities: optional(z.array(z.object({ type: text(256) }).passthrough()).max(20)),
  from: optional(z.object({ id: optional(text(512)), name: optional(text(256)), role: optional(text(32)) }).passthrough()),
});

/** What the bot may send through the connector: an activity with a type; the rest is the bot's business. */
const botActivitySchema = z
  .object({
    type: z.string().min(1).max(64),
    from: optional(z.object({ id: text(512), name: optional(text(512)) }).passthrough()),
  })
  .passthrough();

/** Reading a posted activity: the activity stamped for the conversation, or refused (never saying what was wrong). */
export type ActivityReading = { ok: true; activity: Record<string, unknown> } | { ok: false };

/**
 * Reads an activity a client posted and stamps it as Direct Line does: time, channel, conversation, the bot as
 * recipient, and the token's user as `from.id`, whatever the client said. The id is given when it is kept.
 */
export function readClientActivity(body: Record<string, unknown>, at: { conversationId: string; userId: string; now: Date }): ActivityReading {
  if (malformedTextIn(body) !== undefined) return { ok: false };
  const parsed = clientActivitySchema.safeParse(body);
  if (!parsed.success) return { ok: false };
  const { from, ...rest } = parsed.data;
  return stamped(rest, at, { from: { id: at.userId, ...(from?.name ? { name: from.name } : {}), role: "user" }, recipient: { ...BOT_ACCOUNT } });
}

/**
 * Reads an activity the bot sent through the connector and stamps it: time, channel and conversation are the
 * service's; the bot's own `from` stays (the bot by default). The service URL is not kept.
 */
export function readBotActivity(body: Record<string, unknown>, at: { conversationId: string; now: Date }): ActivityReading {
  const parsed = botActivitySchema.safeParse(body);
  if (!parsed.success) return { ok: false };
  const { from, ...rest } = parsed.data;
  // The fields the service sets itself.
  for (const key of ["id", "serviceUrl", "conversation", "channelId", "timestamp"]) delete rest[key];
  return stamped(rest, at, { from: from ?? { ...BOT_ACCOUNT } });
}

/** An accepted activity with what the service sets itself: the time, the channel, the conversation and the parties. */
function stamped(fields: Record<string, unknown>, at: { conversationId: string; now: Date }, parties: Record<string, unknown>): ActivityReading {
  return { ok: true, activity: { ...dropUndefined(fields), timestamp: at.now.toISOString(), channelId: CHANNEL_ID, conversation: { id: at.conversationId }, ...parties } };
}

function dropUndefined(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined));
}
