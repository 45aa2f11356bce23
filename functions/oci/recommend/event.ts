/**
 * The user-event stream's events: one interaction of one user with one item. Pure: parsing says
 * why an event is refused.
 */
import { isOracleInstant } from "../../aws/orders/oracleTime";
import { rowProblems } from "../../aws/orders/tableContracts";
import { jsonObject, type Parsed } from "../common/streamEvents";
import { RECOMMEND_LIMITS, USER_EVENT_KINDS, type UserEventKind } from "./contract";

export interface UserEvent {
  readonly eventId: string;
  readonly userId: string;
  readonly itemId: string;
  readonly kind: UserEventKind;
  /** ISO 8601 with a zone. */
  readonly occurredAt: string;
  /** The served recommendation a rec_click or rec_ignore answers; absent on other kinds. */
  readonly recId?: string;
}

export type ParsedUserEvent = Parsed<UserEvent>;

/** Ids as the stream carries them: letters, digits and . _ : - , starting with a letter or digit. */
export const ID = new RegExp(`^[A-Za-z0-9][A-Za-z0-9._:-]{0,${RECOMMEND_LIMITS.maxIdLength - 1}}$`);
/** User ids are the identity provider's token subjects, which may also hold @ and | (e.g. auth0|123, someone@example.com). */
export const USER_ID = new RegExp(`^[A-Za-z0-9][A-Za-z0-9._:@|-]{0,${RECOMMEND_LIMITS.maxIdLength - 1}}$`);
export const REC_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function parseUserEvent(text: string): ParsedUserEvent {
  const doc = jsonObject(text);
  if (!doc.ok) return doc;
  const v = doc.value;
  const bad: string[] = [];
  if (typeof v.eventId !== "string" || !ID.test(v.eventId)) bad.push("eventId");
  if (typeof v.userId !== "string" || !USER_ID.test(v.userId)) bad.push("userId");
  if (typeof v.itemId !== "string" || !ID.test(v.itemId)) bad.push("itemId");
  const kind = v.kind as UserEventKind;
  const kindOk = (USER_EVENT_KINDS as readonly unknown[]).includes(kind);
  if (!kindOk) bad.push("kind");
  if (typeof v.occurredAt !== "string" || !isOracleInstant(v.occurredAt, 6)) bad.push("occurredAt");
  const answersRec = kind === "rec_click" || kind === "rec_ignore";
  if (kindOk && answersRec && (typeof v.recId !== "string" || !REC_ID.test(v.recId)))
    bad.push("recId (a rec_click or rec_ignore names the served recommendation's UUID)");
  if (kindOk && !answersRec && v.recId !== undefined)
    bad.push(`recId (only rec_click and rec_ignore carry one, not ${kind})`);
  if (bad.length) return { ok: false, reason: `invalid ${bad.join(", ")}` };
  const row = {
    event_id: v.eventId,
    user_id: v.userId,
    item_id: v.itemId,
    kind: v.kind,
    rec_id: answersRec ? v.recId : null,
    occurred_at: v.occurredAt,
  };
  const stored = rowProblems("rec_interactions", row, Object.keys(row));
  if (stored.length) return { ok: false, reason: `invalid ${stored.join("; ")}` };
  return {
    ok: true,
    event: {
      eventId: v.eventId as string,
      userId: v.userId as string,
      itemId: v.itemId as string,
      kind,
      occurredAt: v.occurredAt as string,
      ...(answersRec ? { recId: v.recId as string } : {}),
    },
  };
}
