/**
 * Appointment slots of a branch on a date, and whether a requested slot can be booked: on the
 * grid, open, not a public holiday, in the future, within the booking horizon, and not after the
 * provider's month-end cut-off on the last day of a month.
 */
import {
  addDays,
  type BranchSchedule,
  type DayInfo,
  dayInfo,
  daysBetween,
  type LocalSlot,
  localToUtc,
  minutesOf,
  openIntervals,
  slotsOfDay,
  utcOffsetMinutes,
  utcToLocal,
} from "./calendar.js";
import type { HolidayCalendar } from "./holidays.js";

/** Slots can be booked this far ahead, days. */
export const BOOKING_HORIZON_DAYS = 30;
/** A slot must start at least this many minutes from now to be booked or recommended. */
export const MIN_LEAD_MINUTES = 30;

export interface DatedSlot extends LocalSlot {
  start: Date;
  end: Date;
  /** Starts at or after the provider's month-end cut-off on the last day of a month. */
  afterCutoff: boolean;
}

export interface DaySlots {
  day: DayInfo;
  slots: DatedSlot[];
}

/**
 * The slots of `date` in the branch's zone. `monthEndCutoff` is the provider rule's `HH:MM` (null:
 * none): slots from then on the last day of a month are marked, since a cancellation filed then
 * only takes effect the month after (docs/branches.md).
 */
export function daySlots(
  schedule: BranchSchedule,
  calendar: HolidayCalendar,
  date: string,
  monthEndCutoff: string | null,
): DaySlots {
  const day = dayInfo(date, calendar);
  const intervals = openIntervals(schedule, day);
  if (intervals.length === 0) return { day, slots: [] };
  const midnight = localToUtc(date, 0, utcOffsetMinutes(date, schedule.timeZone)).getTime();
  const cutoff = monthEndCutoff !== null && day.lastDayOfMonth ? minutesOf(monthEndCutoff) : null;
  return {
    day,
    // Fields spelled out rather than spread: this runs for every slot of every day considered.
    slots: slotsOfDay(schedule, intervals).map((s) => ({
      startMinute: s.startMinute,
      endMinute: s.endMinute,
      counters: s.counters,
      start: new Date(midnight + s.startMinute * 60_000),
      end: new Date(midnight + s.endMinute * 60_000),
      afterCutoff: cutoff !== null && s.startMinute >= cutoff,
    })),
  };
}

export type SlotRefusal = "off_grid" | "closed" | "holiday" | "past" | "too_far" | "month_end_cutoff";

export type SlotCheck = { ok: true; day: DayInfo; slot: DatedSlot } | { ok: false; reason: SlotRefusal };

/** Whether a slot starting at `start` can be booked at `now`. */
export function checkSlot(
  schedule: BranchSchedule,
  calendar: HolidayCalendar,
  monthEndCutoff: string | null,
  start: Date,
  now: Date,
): SlotCheck {
  const local = utcToLocal(start, schedule.timeZone);
  const today = utcToLocal(now, schedule.timeZone).date;
  const { day, slots } = daySlots(schedule, calendar, local.date, monthEndCutoff);
  if (day.kind === "holiday") return { ok: false, reason: "holiday" };
  if (slots.length === 0) return { ok: false, reason: "closed" };
  const slot = slots.find((s) => s.start.getTime() === start.getTime());
  if (!slot) return { ok: false, reason: "off_grid" };
  if (start.getTime() < now.getTime() + MIN_LEAD_MINUTES * 60_000) return { ok: false, reason: "past" };
  if (daysBetween(today, local.date) > BOOKING_HORIZON_DAYS) return { ok: false, reason: "too_far" };
  if (slot.afterCutoff) return { ok: false, reason: "month_end_cutoff" };
  return { ok: true, day, slot };
}

/** Local dates from today for `days` days. */
export function horizonDates(now: Date, timeZone: string, days: number): string[] {
  const today = utcToLocal(now, timeZone).date;
  return Array.from({ length: days }, (_, i) => addDays(today, i));
}
