/** A holder cancels a booking before its slot starts; the place goes back to the slot. */
import { type Actor, type AppDeps, authorize } from "../../app/context.js";
import { AppError } from "../../app/errors.js";
import { appendAudit } from "../../db/audit-repository.js";
import { inTransaction } from "../../db/connect.js";
import { releaseSeat, updateAppointment } from "../db/branches-repository.js";
import { holderOnly } from "./book-appointment.js";
import { loadVisibleAppointment } from "./branch-context.js";
import { type AppointmentView, presentAppointment } from "./views.js";

export async function cancelAppointment(
  deps: AppDeps,
  actor: Actor,
  input: { appointmentId: string; reason?: string | undefined },
): Promise<{ appointment: AppointmentView }> {
  authorize(actor, "appointment.cancel");
  holderOnly(actor);
  return inTransaction(deps.db, async (tx) => {
    const nowIso = deps.clock.now().toISOString();
    const { appointment: before, branch } = await loadVisibleAppointment(tx, actor, input.appointmentId);
    if (before.status !== "booked")
      throw new AppError("TRANSITION_NOT_ALLOWED", { transition: "cancel", status: before.status });
    if (before.slotStart <= nowIso) throw new AppError("APPOINTMENT_PAST", { appointmentId: before.id });
    const after = await updateAppointment(
      tx,
      before.id,
      { status: "booked", slotStart: before.slotStart },
      { status: "cancelled", cancelledAt: nowIso, updatedAt: nowIso },
    );
    if (!after) throw new AppError("TRANSITION_NOT_ALLOWED", { transition: "cancel", status: "changed" });
    await releaseSeat(tx, branch.row.id, before.slotStart);
    await appendAudit(tx, {
      id: deps.ids.id("evt"),
      entityType: "appointment",
      entityId: after.id,
      applicationId: after.applicationId,
      action: "appointment.cancel",
      actorType: actor.type,
      actorId: actor.id,
      reason: input.reason ?? null,
      before: { status: "booked" },
      after: { status: "cancelled" },
      at: nowIso,
    });
    return { appointment: presentAppointment(after, branch.schedule.timeZone) };
  });
}
