/**
 * A holder books a counter slot. Never more bookings than places: the slot's place is taken by a
 * guarded `booked = booked + 1 WHERE booked < capacity` in the same transaction as the
 * appointment, so concurrent bookings of the last place cannot both win, on SQLite or PostgreSQL.
 */
import { loadVisibleApplication } from "../../app/access.js";
import { type Actor, type AppDeps, authorize } from "../../app/context.js";
import { AppError } from "../../app/errors.js";
import { appendAudit } from "../../db/audit-repository.js";
import { inTransaction, type Tx } from "../../db/connect.js";
import type { AppointmentRow } from "../../db/schema.js";
import { countUpcoming, ensureSlot, insertAppointment, takeSeat } from "../db/branches-repository.js";
import { type BranchService, MAX_UPCOMING_APPOINTMENTS } from "../domain/branch.js";
import { CN_HOLIDAYS } from "../domain/holidays.js";
import { checkSlot } from "../domain/slots.js";
import { type LoadedBranch, loadVisibleBranch } from "./branch-context.js";
import { type AppointmentView, presentAppointment } from "./views.js";

export interface BookAppointmentInput {
  branchId: string;
  /** The slot's start instant (ISO 8601). */
  start: string;
  applicationId?: string | undefined;
  service?: BranchService | undefined;
}

export function holderOnly(actor: Actor): asserts actor is Extract<Actor, { type: "holder" }> {
  // Bookings are the holder's own; staff help at the counter, not by booking for someone.
  if (actor.type !== "holder") throw new AppError("FORBIDDEN", { action: "appointment.book" });
}

/**
 * Checks the slot and takes a place in it: the shared half of booking and rescheduling.
 * @throws SLOT_NOT_AVAILABLE with the reason, or SLOT_FULL.
 */
export async function takePlace(
  tx: Tx,
  branch: LoadedBranch,
  start: Date,
  now: Date,
): Promise<{ startAt: string; endAt: string }> {
  const check = checkSlot(branch.schedule, CN_HOLIDAYS, branch.monthEndCutoff, start, now);
  if (!check.ok)
    throw new AppError("SLOT_NOT_AVAILABLE", { reason: check.reason, start: start.toISOString() });
  const startAt = check.slot.start.toISOString();
  const endAt = check.slot.end.toISOString();
  await ensureSlot(tx, { branchId: branch.row.id, startAt, endAt, capacity: branch.row.slotCapacity });
  if (!(await takeSeat(tx, branch.row.id, startAt))) throw new AppError("SLOT_FULL", { start: startAt });
  return { startAt, endAt };
}

/** Whether the holder already holds this slot (the unique index would refuse a second). */
export async function holdsSlot(
  tx: Tx,
  holderId: string,
  branchId: string,
  startAt: string,
): Promise<string | null> {
  const row = await tx
    .selectFrom("appointments")
    .select("id")
    .where("holderId", "=", holderId)
    .where("branchId", "=", branchId)
    .where("slotStart", "=", startAt)
    .where("status", "=", "booked")
    .executeTakeFirst();
  return row?.id ?? null;
}

export async function bookAppointment(
  deps: AppDeps,
  actor: Actor,
  input: BookAppointmentInput,
): Promise<{ appointment: AppointmentView }> {
  authorize(actor, "appointment.book");
  holderOnly(actor);
  return inTransaction(deps.db, async (tx) => {
    const now = deps.clock.now();
    const nowIso = now.toISOString();
    const branch = await loadVisibleBranch(tx, actor, input.branchId);
    if (input.applicationId) {
      const application = await loadVisibleApplication(tx, actor, input.applicationId);
      if (application.providerId !== branch.row.providerId)
        throw new AppError("BRANCH_WRONG_PROVIDER", {
          applicationId: application.id,
          branchId: branch.row.id,
        });
    }
    if (input.service && !branch.services.includes(input.service))
      throw new AppError("SLOT_NOT_AVAILABLE", { reason: "service_not_offered", service: input.service });
    const start = new Date(input.start);
    const check = checkSlot(branch.schedule, CN_HOLIDAYS, branch.monthEndCutoff, start, now);
    if (check.ok) {
      const held = await holdsSlot(tx, actor.id, branch.row.id, check.slot.start.toISOString());
      if (held) throw new AppError("ALREADY_BOOKED", { appointmentId: held });
    }
    if ((await countUpcoming(tx, actor.id, nowIso)) >= MAX_UPCOMING_APPOINTMENTS)
      throw new AppError("APPOINTMENT_LIMIT_REACHED", { max: MAX_UPCOMING_APPOINTMENTS });
    const { startAt, endAt } = await takePlace(tx, branch, start, now);
    const row: AppointmentRow = {
      id: deps.ids.id("apt"),
      branchId: branch.row.id,
      holderId: actor.id,
      applicationId: input.applicationId ?? null,
      service: input.service ?? null,
      slotStart: startAt,
      slotEnd: endAt,
      status: "booked",
      visitId: null,
      createdAt: nowIso,
      updatedAt: nowIso,
      checkedInAt: null,
      servedAt: null,
      cancelledAt: null,
      noShowAt: null,
      version: 1,
    };
    await insertAppointment(tx, row);
    await appendAudit(tx, {
      id: deps.ids.id("evt"),
      entityType: "appointment",
      entityId: row.id,
      applicationId: row.applicationId,
      action: "appointment.book",
      actorType: actor.type,
      actorId: actor.id,
      after: { status: "booked", branchId: row.branchId, slotStart: startAt },
      at: nowIso,
    });
    return { appointment: presentAppointment(row, branch.schedule.timeZone) };
  });
}
