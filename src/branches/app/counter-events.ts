/**
 * What happens at the counter, each a guarded change in one transaction with its audit event and
 * its observation: an appointment is checked in (a visit opens), a walk-in arrives, a visit is
 * called to a counter, a visit is served (its appointment too), an appointment is a no-show. The
 * hourly load the model learns from is updated in the same transaction.
 */
import { type Actor, type AppDeps, authorize } from "../../app/context.js";
import { AppError } from "../../app/errors.js";
import { appendAudit } from "../../db/audit-repository.js";
import { inTransaction, type Tx } from "../../db/connect.js";
import type { BranchVisitRow } from "../../db/schema.js";
import {
  addToHourlyLoad,
  findAppointment,
  insertVisit,
  updateAppointment,
  updateVisit,
} from "../db/branches-repository.js";
import { NO_SHOW_GRACE_MINUTES } from "../domain/branch.js";
import { utcToLocal } from "../domain/calendar.js";
import {
  type LoadedBranch,
  loadKeyOf,
  loadVisibleAppointment,
  loadVisibleBranch,
  loadVisibleVisit,
} from "./branch-context.js";
import { type AppointmentView, presentAppointment, presentVisit, type VisitView } from "./views.js";

async function openVisit(
  deps: AppDeps,
  tx: Tx,
  branch: LoadedBranch,
  appointmentId: string | null,
  now: Date,
): Promise<BranchVisitRow> {
  const key = loadKeyOf(branch, now);
  const visit: BranchVisitRow = {
    id: deps.ids.id("vis"),
    branchId: branch.row.id,
    appointmentId,
    status: "waiting",
    arrivedAt: now.toISOString(),
    serviceStartedAt: null,
    servedAt: null,
    counter: null,
    localDate: key.localDate,
    hour: key.hour,
  };
  await insertVisit(tx, visit);
  await addToHourlyLoad(tx, key, { arrivals: 1 });
  return visit;
}

async function audit(
  deps: AppDeps,
  tx: Tx,
  actor: Actor,
  e: { entityType: string; entityId: string; applicationId: string | null; action: string; after: unknown },
  at: string,
): Promise<void> {
  await appendAudit(tx, { id: deps.ids.id("evt"), actorType: actor.type, actorId: actor.id, at, ...e });
}

/** Staff check a booked holder in on the appointment's day; a visit opens, waiting for a counter. */
export async function checkInAppointment(
  deps: AppDeps,
  actor: Actor,
  input: { appointmentId: string },
): Promise<{ appointment: AppointmentView; visit: VisitView }> {
  authorize(actor, "appointment.check_in");
  return inTransaction(deps.db, async (tx) => {
    const now = deps.clock.now();
    const nowIso = now.toISOString();
    const { appointment, branch } = await loadVisibleAppointment(tx, actor, input.appointmentId);
    if (appointment.status !== "booked")
      throw new AppError("TRANSITION_NOT_ALLOWED", { transition: "check_in", status: appointment.status });
    const tz = branch.schedule.timeZone;
    const today = utcToLocal(now, tz).date;
    const day = utcToLocal(new Date(appointment.slotStart), tz).date;
    if (day > today) throw new AppError("APPOINTMENT_NOT_DUE", { appointmentId: appointment.id, date: day });
    if (day < today) throw new AppError("APPOINTMENT_PAST", { appointmentId: appointment.id, date: day });
    const visit = await openVisit(deps, tx, branch, appointment.id, now);
    const after = await updateAppointment(
      tx,
      appointment.id,
      { status: "booked" },
      { status: "checked_in", checkedInAt: nowIso, visitId: visit.id, updatedAt: nowIso },
    );
    if (!after) throw new AppError("TRANSITION_NOT_ALLOWED", { transition: "check_in", status: "changed" });
    await audit(
      deps,
      tx,
      actor,
      {
        entityType: "appointment",
        entityId: after.id,
        applicationId: after.applicationId,
        action: "appointment.check_in",
        after: { status: "checked_in", visitId: visit.id },
      },
      nowIso,
    );
    return { appointment: presentAppointment(after, tz), visit: presentVisit(visit) };
  });
}

/** Someone without an appointment arrives: a visit opens all the same (it is demand). */
export async function recordWalkIn(
  deps: AppDeps,
  actor: Actor,
  input: { branchId: string },
): Promise<{ visit: VisitView }> {
  authorize(actor, "appointment.check_in");
  return inTransaction(deps.db, async (tx) => {
    const now = deps.clock.now();
    const branch = await loadVisibleBranch(tx, actor, input.branchId);
    const visit = await openVisit(deps, tx, branch, null, now);
    await audit(
      deps,
      tx,
      actor,
      {
        entityType: "visit",
        entityId: visit.id,
        applicationId: null,
        action: "visit.walk_in",
        after: { status: "waiting", branchId: branch.row.id },
      },
      now.toISOString(),
    );
    return { visit: presentVisit(visit) };
  });
}

/** A waiting visit is called to a counter: its wait ends and its service starts. */
export async function startService(
  deps: AppDeps,
  actor: Actor,
  input: { visitId: string; counter: number },
): Promise<{ visit: VisitView }> {
  authorize(actor, "appointment.serve");
  return inTransaction(deps.db, async (tx) => {
    const now = deps.clock.now();
    const nowIso = now.toISOString();
    const { visit: before, branch } = await loadVisibleVisit(tx, actor, input.visitId);
    const after = await updateVisit(tx, before.id, ["waiting"], {
      status: "in_service",
      serviceStartedAt: nowIso,
      counter: input.counter,
    });
    if (!after) throw new AppError("TRANSITION_NOT_ALLOWED", { transition: "start", status: before.status });
    const waited = Math.max(0, Math.round((now.getTime() - Date.parse(before.arrivedAt)) / 1000));
    await addToHourlyLoad(tx, loadKeyOf(branch, new Date(before.arrivedAt)), {
      waitSeconds: waited,
      waitCount: 1,
    });
    await audit(
      deps,
      tx,
      actor,
      {
        entityType: "visit",
        entityId: after.id,
        applicationId: null,
        action: "visit.start",
        after: { status: "in_service", counter: input.counter },
      },
      nowIso,
    );
    return { visit: presentVisit(after) };
  });
}

/** A visit is done. Its service time counts when it was called first; its appointment is served. */
export async function markServed(
  deps: AppDeps,
  actor: Actor,
  input: { visitId: string; counter?: number | undefined },
): Promise<{ visit: VisitView; appointment: AppointmentView | null }> {
  authorize(actor, "appointment.serve");
  return inTransaction(deps.db, async (tx) => {
    const now = deps.clock.now();
    const nowIso = now.toISOString();
    const { visit: before, branch } = await loadVisibleVisit(tx, actor, input.visitId);
    const after = await updateVisit(tx, before.id, ["waiting", "in_service"], {
      status: "served",
      servedAt: nowIso,
      counter: input.counter ?? before.counter,
    });
    if (!after) throw new AppError("TRANSITION_NOT_ALLOWED", { transition: "serve", status: before.status });
    const serviceSeconds =
      before.serviceStartedAt === null
        ? null
        : Math.max(0, Math.round((now.getTime() - Date.parse(before.serviceStartedAt)) / 1000));
    await addToHourlyLoad(tx, loadKeyOf(branch, new Date(before.arrivedAt)), {
      served: 1,
      ...(serviceSeconds === null ? {} : { serviceSeconds, serviceCount: 1 }),
    });
    let appointment = null;
    if (before.appointmentId) {
      const current = await findAppointment(tx, before.appointmentId);
      appointment = current
        ? ((await updateAppointment(
            tx,
            current.id,
            { status: "checked_in" },
            { status: "served", servedAt: nowIso, updatedAt: nowIso },
          )) ?? current)
        : null;
    }
    await audit(
      deps,
      tx,
      actor,
      {
        entityType: "visit",
        entityId: after.id,
        applicationId: appointment?.applicationId ?? null,
        action: "visit.serve",
        after: { status: "served", appointmentId: before.appointmentId, serviceSeconds },
      },
      nowIso,
    );
    return {
      visit: presentVisit(after),
      appointment: appointment ? presentAppointment(appointment, branch.schedule.timeZone) : null,
    };
  });
}

/** The holder did not come: allowed once the slot and a grace period are over. The place stays used. */
export async function markNoShow(
  deps: AppDeps,
  actor: Actor,
  input: { appointmentId: string },
): Promise<{ appointment: AppointmentView }> {
  authorize(actor, "appointment.no_show");
  return inTransaction(deps.db, async (tx) => {
    const now = deps.clock.now();
    const nowIso = now.toISOString();
    const { appointment, branch } = await loadVisibleAppointment(tx, actor, input.appointmentId);
    if (appointment.status !== "booked")
      throw new AppError("TRANSITION_NOT_ALLOWED", { transition: "no_show", status: appointment.status });
    const due = Date.parse(appointment.slotEnd) + NO_SHOW_GRACE_MINUTES * 60_000;
    if (now.getTime() < due)
      throw new AppError("APPOINTMENT_NOT_DUE", {
        appointmentId: appointment.id,
        from: new Date(due).toISOString(),
      });
    const after = await updateAppointment(
      tx,
      appointment.id,
      { status: "booked" },
      { status: "no_show", noShowAt: nowIso, updatedAt: nowIso },
    );
    if (!after) throw new AppError("TRANSITION_NOT_ALLOWED", { transition: "no_show", status: "changed" });
    await audit(
      deps,
      tx,
      actor,
      {
        entityType: "appointment",
        entityId: after.id,
        applicationId: after.applicationId,
        action: "appointment.no_show",
        after: { status: "no_show" },
      },
      nowIso,
    );
    return { appointment: presentAppointment(after, branch.schedule.timeZone) };
  });
}
