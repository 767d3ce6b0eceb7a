/** One appointment (the holder's own, or at a staff member's provider), and a holder's list. */
import { type Actor, type AppDeps, authorize } from "../../app/context.js";
import { findVisitOfAppointment, listHolderAppointments } from "../db/branches-repository.js";
import { loadVisibleAppointment } from "./branch-context.js";
import { presentAppointment, presentBranch, presentVisit } from "./views.js";

export async function getAppointment(deps: AppDeps, actor: Actor, input: { appointmentId: string }) {
  authorize(actor, "appointment.read");
  const { appointment, branch } = await loadVisibleAppointment(deps.db, actor, input.appointmentId);
  const visit = await findVisitOfAppointment(deps.db, appointment.id);
  return {
    appointment: presentAppointment(appointment, branch.schedule.timeZone),
    branch: presentBranch(branch),
    visit: visit ? presentVisit(visit) : null,
  };
}

export async function listMyAppointments(deps: AppDeps, actor: Actor) {
  authorize(actor, "appointment.list_own");
  const rows = actor.type === "holder" ? await listHolderAppointments(deps.db, actor.id) : [];
  return {
    appointments: rows.map((r) => ({
      ...presentAppointment(r, r.branchTimeZone),
      branch: { id: r.branchId, code: r.branchCode, nameZh: r.branchNameZh, nameEn: r.branchNameEn },
    })),
  };
}
