/** Small helpers shared by the branch tests: finding bookable slots, reading a slot's bookings. */
import type { Harness, Session } from "../support/harness.js";

export interface SlotView {
  start: string;
  time: string;
  bookable: boolean;
  refusal: string | null;
  available: number;
  afterMonthEndCutoff: boolean;
}
export interface DayView {
  date: string;
  kind: string;
  open: boolean;
  calendarConfirmed: boolean;
  slots: SlotView[];
}

export async function slotsOf(
  h: Harness,
  session: Session,
  branchId: string,
  from: string,
  days = 1,
): Promise<DayView[]> {
  const r = await h.inject({
    method: "GET",
    url: `/api/v1/branches/${branchId}/slots?from=${from}&days=${days}`,
    headers: session.headers,
  });
  if (r.statusCode !== 200) throw new Error(`slots: ${r.statusCode} ${r.body}`);
  return (r.json() as { days: DayView[] }).days;
}

/** The first bookable slot of a day at or after local `HH:MM`. */
export async function bookableSlot(
  h: Harness,
  session: Session,
  branchId: string,
  date: string,
  notBefore = "00:00",
): Promise<SlotView> {
  const [day] = await slotsOf(h, session, branchId, date);
  const slot = day?.slots.find((s) => s.bookable && s.time >= notBefore);
  if (!slot) throw new Error(`no bookable slot at ${branchId} on ${date} from ${notBefore}`);
  return slot;
}

export async function slotRow(h: Harness, branchId: string, startAt: string) {
  return h.db
    .selectFrom("branchSlots")
    .selectAll()
    .where("branchId", "=", branchId)
    .where("startAt", "=", startAt)
    .executeTakeFirst();
}

export async function auditActions(h: Harness, entityId: string): Promise<string[]> {
  const rows = await h.db
    .selectFrom("auditEvents")
    .select("action")
    .where("entityId", "=", entityId)
    .orderBy("seq")
    .execute();
  return rows.map((r) => r.action);
}
