/**
 * A holder moves a booking to another slot of the same branch: the new place is taken (guarded)
 * before the old one is given back, all in one transaction, so a full slot leaves the booking
 * where it was.
 */
import { type Actor, type AppDeps, authorize } from "../../app/context.js";
import { AppError } from "../../app/errors.js";
import { appendAudit } from "../../db/audit-repository.js";
import { inTransaction } from "../../db/connect.js";
import { releaseSeat, updateAppointment } from "../db/branches-repository.js";
import { CN_HOLIDAYS } from "../domain/holidays.js";
import { checkSlot } from "../domain/slots.js";
import { holderOnly, holdsSlot, takePlace } from "./book-appointment.js";
import { loadVisibleAppointment } from "./branch-context.js";
import { type AppointmentView, presentAppointment } from "./views.js";

export async function rescheduleAppointment(
  deps: AppDeps,
  actor: Actor,
  input: { appointmentId: string; start: string },
): Promise<{ appointment: AppointmentView }> {
  authorize(actor, "appointment.reschedule");
  holderOnly(actor);
  return inTransaction(deps.db, async (tx) => {
    const now = deps.clock.now();
    const nowIso = now.toISOString();
    const { appointment: before, branch } = await loadVisibleAppointment(tx, actor, input.appointmentId);
    if (before.status !== "booked")
      throw new AppError("TRANSITION_NOT_ALLOWED", { transition: "reschedule", status: before.status });
    if (before.slotStart <= nowIso) throw new AppError("APPOINTMENT_PAST", { appointmentId: before.id });
    const start = new Date(input.start);
    const check = checkSlot(branch.schedule, CN_HOLIDAYS, branch.monthEndCutoff, start, now);
    if (check.ok && (await holdsSlot(tx, actor.id, branch.row.id, check.slot.start.toISOString())))
      throw new AppError("ALREADY_BOOKED", { appointmentId: before.id });
    const { startAt, endAt } = await takePlace(tx, branch, start, now);
    const after = await updateAppointment(
      tx,
      before.id,
      { status: "booked", slotStart: before.slotStart },
      { slotStart: startAt, slotEnd: endAt, updatedAt: nowIso },
    );
    if (!after) throw new AppError("TRANSITION_NOT_ALLOWED", { transition: "reschedule", status: "changed" });
    await releaseSeat(tx, branch.row.id, before.slotStart);
    await appendAudit(tx, {
      id: deps.ids.id("evt"),
      entityType: "appointment",
      entityId: after.id,
      applicationId: after.applicationId,
      action: "appointment.reschedule",
      actorType: actor.type,
      actorId: actor.id,
      before: { slotStart: before.slotStart },
      after: { slotStart: startAt },
      at: nowIso,
    });
    return { appointment: presentAppointment(after, branch.schedule.timeZone) };
  });
}
