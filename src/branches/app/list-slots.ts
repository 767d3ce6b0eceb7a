/**
 * A branch's slots for some days: each with its places left, whether it can be booked (and why
 * not), and the predicted wait for its hour — the booking page's day view.
 */
import { type Actor, type AppDeps, authorize } from "../../app/context.js";
import { addDays, hhmm, utcToLocal } from "../domain/calendar.js";
import { type HourPrediction, predictHour } from "../domain/forecast.js";
import { CN_HOLIDAYS } from "../domain/holidays.js";
import { checkSlot, daySlots } from "../domain/slots.js";
import { demandModels, loadVisibleBranch } from "./branch-context.js";
import { bookingsByStart } from "./get-branch-advice.js";
import { presentBranch, presentDay, presentPrediction } from "./views.js";

export interface ListSlotsInput {
  branchId: string;
  /** First local date; today when absent. */
  from?: string | undefined;
  days: number;
}

export async function listSlots(deps: AppDeps, actor: Actor, input: ListSlotsInput) {
  authorize(actor, "appointment.advise");
  const now = deps.clock.now();
  const branch = await loadVisibleBranch(deps.db, actor, input.branchId);
  const model = (await demandModels(deps.db, [branch], now)).get(branch.row.id)!;
  const today = utcToLocal(now, branch.schedule.timeZone).date;
  const first = input.from ?? today;
  const horizon = Math.max(
    1,
    Math.round((Date.parse(addDays(first, input.days)) - now.getTime()) / 86_400_000),
  );
  const booked = (await bookingsByStart(deps, [branch], now, horizon)).get(branch.row.id)!;
  const days = Array.from({ length: input.days }, (_, i) => {
    const { day, slots } = daySlots(branch.schedule, CN_HOLIDAYS, addDays(first, i), branch.monthEndCutoff);
    const byHour = new Map<number, HourPrediction>();
    return {
      ...presentDay(day),
      open: slots.length > 0,
      slots: slots.map((s) => {
        const hour = Math.floor(s.startMinute / 60);
        let p = byHour.get(hour);
        if (!p) {
          p = predictHour(model, day, hour, s.counters);
          byHour.set(hour, p);
        }
        const taken = booked.get(s.start.getTime());
        const capacity = taken?.capacity ?? branch.row.slotCapacity;
        const bookedCount = taken?.booked ?? 0;
        const check = checkSlot(branch.schedule, CN_HOLIDAYS, branch.monthEndCutoff, s.start, now);
        const refusal = !check.ok ? check.reason : bookedCount >= capacity ? "full" : null;
        return {
          start: s.start.toISOString(),
          end: s.end.toISOString(),
          time: hhmm(s.startMinute),
          capacity,
          booked: bookedCount,
          available: Math.max(0, capacity - bookedCount),
          bookable: refusal === null,
          refusal,
          afterMonthEndCutoff: s.afterCutoff,
          prediction: presentPrediction(p),
        };
      }),
    };
  });
  return { branch: presentBranch(branch), today, days };
}
