/**
 * A branch's off-peak advice for the booking page: the weekday × hour heat map of predicted
 * waiting, the three quietest bookable slots that fit the holder's constraints, the days ahead
 * (holidays, make-up workdays, month-ends) and what the model was estimated from.
 */
import { type Actor, type AppDeps, authorize } from "../../app/context.js";
import { bookedSlots } from "../db/branches-repository.js";
import { addDays, utcToLocal } from "../domain/calendar.js";
import { heatMap } from "../domain/forecast.js";
import { CN_HOLIDAYS } from "../domain/holidays.js";
import { recommend } from "../domain/recommend.js";
import { daySlots, horizonDates } from "../domain/slots.js";
import type { AdviceConstraintsInput } from "./advice-input.js";
import { toConstraints } from "./advice-input.js";
import { demandModels, type LoadedBranch, loadVisibleBranch } from "./branch-context.js";
import { presentBranch, presentDay, presentHeatMap, presentModel, presentRecommendation } from "./views.js";

/** Bookings in the horizon, by start instant, for the recommender. */
export async function bookingsByStart(
  deps: AppDeps,
  branches: readonly LoadedBranch[],
  now: Date,
  horizonDays: number,
): Promise<Map<string, Map<number, { capacity: number; booked: number }>>> {
  const rows = await bookedSlots(
    deps.db,
    branches.map((b) => b.row.id),
    new Date(now.getTime() - 86_400_000).toISOString(),
    new Date(now.getTime() + (horizonDays + 2) * 86_400_000).toISOString(),
  );
  const out = new Map<string, Map<number, { capacity: number; booked: number }>>();
  for (const b of branches) out.set(b.row.id, new Map());
  for (const r of rows)
    out.get(r.branchId)!.set(Date.parse(r.startAt), { capacity: r.capacity, booked: r.booked });
  return out;
}

export async function getBranchAdvice(
  deps: AppDeps,
  actor: Actor,
  input: { branchId: string } & AdviceConstraintsInput,
) {
  authorize(actor, "appointment.advise");
  const now = deps.clock.now();
  const branch = await loadVisibleBranch(deps.db, actor, input.branchId);
  const model = (await demandModels(deps.db, [branch], now)).get(branch.row.id)!;
  const booked = await bookingsByStart(deps, [branch], now, input.horizonDays);
  const constraints = toConstraints(input);
  const advice = recommend(
    [
      {
        id: branch.row.id,
        schedule: branch.schedule,
        model,
        location: { lat: branch.row.lat, lng: branch.row.lng },
        slotCapacity: branch.row.slotCapacity,
        booked: booked.get(branch.row.id)!,
        monthEndCutoff: branch.monthEndCutoff,
      },
    ],
    // Distance does not rule out the one branch asked about; it is only reported.
    { ...constraints, maxDistanceKm: undefined },
    CN_HOLIDAYS,
    now,
  );
  const days = horizonDates(now, branch.schedule.timeZone, input.horizonDays).map((date) => {
    const d = daySlots(branch.schedule, CN_HOLIDAYS, date, branch.monthEndCutoff);
    return {
      ...presentDay(d.day),
      open: d.slots.length > 0,
      firstSlot: d.slots[0] ? utcToLocalTime(d.slots[0].start, branch) : null,
      lastSlot: d.slots.at(-1) ? utcToLocalTime(d.slots.at(-1)!.start, branch) : null,
      monthEndCutoff: d.day.lastDayOfMonth ? branch.monthEndCutoff : null,
    };
  });
  return {
    branch: presentBranch(branch, advice.branches[0]?.distanceKm ?? null),
    generatedAt: now.toISOString(),
    today: utcToLocal(now, branch.schedule.timeZone).date,
    horizonEnd: addDays(utcToLocal(now, branch.schedule.timeZone).date, input.horizonDays - 1),
    heatMap: presentHeatMap(heatMap(branch.schedule, model)),
    recommendations: advice.recommendations.map((r, i) => presentRecommendation(r, i + 1)),
    candidates: advice.candidates,
    days,
    model: presentModel(model),
  };
}

function utcToLocalTime(at: Date, branch: LoadedBranch): string {
  const m = utcToLocal(at, branch.schedule.timeZone).minute;
  return `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;
}
