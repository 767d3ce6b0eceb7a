/**
 * The counter's view of today at a branch: every appointment with its holder (masked) and visit,
 * the walk-ins, the queue right now, and the predicted wait for each open hour of the day.
 */
import { type Actor, type AppDeps, authorize } from "../../app/context.js";
import { listBranchAppointments, listVisits } from "../db/branches-repository.js";
import {
  dayInfo,
  localToUtc,
  openHours,
  openIntervals,
  utcOffsetMinutes,
  utcToLocal,
} from "../domain/calendar.js";
import { predictHour } from "../domain/forecast.js";
import { CN_HOLIDAYS } from "../domain/holidays.js";
import { demandModels, loadVisibleBranch } from "./branch-context.js";
import {
  presentAppointment,
  presentBranch,
  presentDay,
  presentHolderForCounter,
  presentPrediction,
  presentVisit,
} from "./views.js";

export async function counterDay(deps: AppDeps, actor: Actor, input: { branchId: string }) {
  authorize(actor, "appointment.list_branch");
  const now = deps.clock.now();
  const branch = await loadVisibleBranch(deps.db, actor, input.branchId);
  const tz = branch.schedule.timeZone;
  const today = utcToLocal(now, tz).date;
  const offset = utcOffsetMinutes(today, tz);
  const from = localToUtc(today, 0, offset).toISOString();
  const to = localToUtc(today, 1440, offset).toISOString();
  const [appointments, visits, models] = await Promise.all([
    listBranchAppointments(deps.db, branch.row.id, from, to),
    listVisits(deps.db, branch.row.id, from, to),
    demandModels(deps.db, [branch], now),
  ]);
  const model = models.get(branch.row.id)!;
  const day = dayInfo(today, CN_HOLIDAYS);
  const visitById = new Map(visits.map((v) => [v.id, v]));
  const currentHour = utcToLocal(now, tz).hour;
  return {
    branch: presentBranch(branch),
    date: today,
    day: presentDay(day),
    appointments: appointments.map((a) => {
      const visit = a.visitId ? visitById.get(a.visitId) : undefined;
      return {
        ...presentAppointment(a, tz),
        holder: presentHolderForCounter(a.holderNameMasked, a.holderPhone),
        visit: visit ? presentVisit(visit) : null,
      };
    }),
    walkIns: visits.filter((v) => v.appointmentId === null).map(presentVisit),
    queue: {
      waiting: visits.filter((v) => v.status === "waiting").length,
      inService: visits.filter((v) => v.status === "in_service").length,
      served: visits.filter((v) => v.status === "served").length,
      appointmentsBooked: appointments.filter((a) => a.status === "booked").length,
      appointmentsCheckedIn: appointments.filter((a) => a.status === "checked_in").length,
      noShows: appointments.filter((a) => a.status === "no_show").length,
    },
    forecast: openHours(branch.schedule, openIntervals(branch.schedule, day)).map((h) => ({
      hour: h.hour,
      past: h.hour < currentHour,
      ...presentPrediction(predictHour(model, day, h.hour, h.counters)),
    })),
  };
}
