/**
 * A branch's week and calendar: opening hours per weekday (with fewer counters at lunch, say),
 * what kind of day a date is (workday, weekend, public holiday, make-up workday), month-ends, the
 * appointment slots of a day, and local wall-clock time ↔ UTC in the branch's time zone.
 *
 * Dates are `YYYY-MM-DD` strings in the branch's zone; calendar arithmetic is done in UTC so the
 * host's zone never leaks in.
 */
import { z } from "zod";
import { clockToMinutes, daysInMonth, zonedParts } from "../../domain/zoned-time.js";
import type { HolidayCalendar } from "./holidays.js";

const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, "expected HH:MM");

/** One stretch of opening time; `counters` overrides the branch's count (e.g. lunch rotations). */
export const openingIntervalSchema = z
  .object({ from: clock, to: clock, counters: z.number().int().min(1).max(60).optional() })
  .strict()
  .refine((i) => minutesOf(i.from) < minutesOf(i.to), "an interval must end after it starts");
export type OpeningInterval = z.infer<typeof openingIntervalSchema>;

const day = z.array(openingIntervalSchema);
/** Opening hours per ISO weekday, "1" = Monday … "7" = Sunday; an empty list is a closed day. */
export const openingHoursSchema = z
  .object({ "1": day, "2": day, "3": day, "4": day, "5": day, "6": day, "7": day })
  .strict()
  .superRefine((hours, ctx) => {
    for (const [weekday, intervals] of Object.entries(hours)) {
      const sorted = [...intervals].sort((x, y) => minutesOf(x.from) - minutesOf(y.from));
      for (let i = 1; i < sorted.length; i++) {
        if (minutesOf(sorted[i]!.from) < minutesOf(sorted[i - 1]!.to))
          ctx.addIssue({ code: "custom", message: `weekday ${weekday}: intervals overlap`, path: [weekday] });
      }
    }
  });
export type OpeningHours = z.infer<typeof openingHoursSchema>;

/** A branch as the model sees it. */
export interface BranchSchedule {
  timeZone: string;
  /** Counters normally open. */
  counters: number;
  openingHours: OpeningHours;
  /** Length of an appointment slot in minutes (divides the opening intervals). */
  slotMinutes: number;
}

/** "24:00" is allowed as an end so a day can run to midnight. */
export function minutesOf(hhmm: string): number {
  return hhmm === "24:00" ? 1440 : clockToMinutes(hhmm);
}

export function hhmm(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
}

/** How many of the last days of a month count as "month-end" for counter demand. */
export const MONTH_END_DAYS = 3;

export type DayKind = "workday" | "weekend" | "holiday" | "makeup_workday";

export interface DayInfo {
  date: string;
  /** The calendar weekday, 1 = Monday … 7 = Sunday. */
  isoWeekday: number;
  kind: DayKind;
  /** Name of the holiday, or of the holiday a make-up workday pays for. */
  nameZh: string | null;
  nameEn: string | null;
  /**
   * The weekday whose opening hours and demand pattern the day follows: its own, except that a
   * make-up workday follows Monday (a working day after a break) — see docs/branches.md.
   */
  profileWeekday: number;
  /** One of the last MONTH_END_DAYS days of its month: busier at counters. */
  monthEnd: boolean;
  /** The very last day: when a provider's month-end cut-off applies. */
  lastDayOfMonth: boolean;
  /** False when the holiday arrangement for the date's year is not published yet. */
  calendarConfirmed: boolean;
}

/** ISO weekday of a calendar date (1 = Monday … 7 = Sunday). */
export function isoWeekdayOf(isoDate: string): number {
  const d = new Date(`${isoDate}T00:00:00Z`).getUTCDay();
  return d === 0 ? 7 : d;
}

export function addDays(isoDate: string, n: number): string {
  return new Date(Date.parse(`${isoDate}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

/** The later of two `YYYY-MM-DD` dates. */
export function maxDate(a: string, b: string): string {
  return a > b ? a : b;
}

/** The earlier of two `YYYY-MM-DD` dates. */
export function minDate(a: string, b: string): string {
  return a < b ? a : b;
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

export function dayInfo(isoDate: string, calendar: HolidayCalendar): DayInfo {
  const isoWeekday = isoWeekdayOf(isoDate);
  const year = Number(isoDate.slice(0, 4));
  const month = Number(isoDate.slice(5, 7));
  const dom = Number(isoDate.slice(8, 10));
  const last = daysInMonth(year, month);
  const special = calendar.special(isoDate);
  let kind: DayKind = isoWeekday >= 6 ? "weekend" : "workday";
  if (special) kind = special.kind;
  return {
    date: isoDate,
    isoWeekday,
    kind,
    nameZh: special?.nameZh ?? null,
    nameEn: special?.nameEn ?? null,
    profileWeekday: kind === "makeup_workday" ? 1 : isoWeekday,
    monthEnd: dom > last - MONTH_END_DAYS,
    lastDayOfMonth: dom === last,
    calendarConfirmed: calendar.confirmed(year),
  };
}

/** The opening intervals of a day: none on a public holiday (branches close), else its profile's. */
export function openIntervals(schedule: BranchSchedule, day: DayInfo): OpeningInterval[] {
  if (day.kind === "holiday") return [];
  return schedule.openingHours[String(day.profileWeekday) as keyof OpeningHours];
}

/**
 * Open hours of a day as (hour, share of the hour open, counters at the hour's first open minute):
 * the unit the queueing model works in.
 */
export function openHours(
  schedule: BranchSchedule,
  intervals: readonly OpeningInterval[],
): Array<{ hour: number; share: number; counters: number }> {
  const out: Array<{ hour: number; share: number; counters: number }> = [];
  const spans = intervals.map((i) => ({
    from: minutesOf(i.from),
    to: minutesOf(i.to),
    counters: i.counters ?? schedule.counters,
  }));
  for (let h = 0; h < 24; h++) {
    let open = 0;
    let counters = 0;
    for (const i of spans) {
      const from = Math.max(i.from, h * 60);
      const to = Math.min(i.to, h * 60 + 60);
      if (to > from) {
        if (open === 0) counters = i.counters;
        open += to - from;
      }
    }
    if (open > 0) out.push({ hour: h, share: open / 60, counters });
  }
  return out;
}

export interface LocalSlot {
  /** Local minutes since midnight. */
  startMinute: number;
  endMinute: number;
  counters: number;
}

/** The appointment slots of a day: whole slots inside each opening interval. */
export function slotsOfDay(schedule: BranchSchedule, intervals: readonly OpeningInterval[]): LocalSlot[] {
  const out: LocalSlot[] = [];
  for (const i of intervals) {
    const end = minutesOf(i.to);
    for (let m = minutesOf(i.from); m + schedule.slotMinutes <= end; m += schedule.slotMinutes) {
      out.push({
        startMinute: m,
        endMinute: m + schedule.slotMinutes,
        counters: i.counters ?? schedule.counters,
      });
    }
  }
  return out;
}

/**
 * The zone's offset from UTC (minutes) on a local date, taken at local noon. Branches open in the
 * daytime and DST switches happen at night, so one offset per date is exact for opening hours.
 */
export function utcOffsetMinutes(isoDate: string, timeZone: string): number {
  const key = `${timeZone}|${isoDate}`;
  const known = offsets.get(key);
  if (known !== undefined) return known;
  const noonUtc = Date.parse(`${isoDate}T12:00:00Z`);
  const p = zonedParts(new Date(noonUtc), timeZone);
  const localAsUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute);
  const offset = Math.round((localAsUtc - noonUtc) / 60_000);
  // A pure function of its arguments, and Intl is slow: remember a few years of dates per zone.
  if (offsets.size > 5_000) offsets.clear();
  offsets.set(key, offset);
  return offset;
}
const offsets = new Map<string, number>();

/** The instant of local `minute` on local `isoDate`, given that date's UTC offset. */
export function localToUtc(isoDate: string, minute: number, offsetMinutes: number): Date {
  return new Date(Date.parse(`${isoDate}T00:00:00Z`) + (minute - offsetMinutes) * 60_000);
}

/** Local date and minute-of-day of an instant. */
export function utcToLocal(at: Date, timeZone: string): { date: string; minute: number; hour: number } {
  const p = zonedParts(at, timeZone);
  return { date: p.isoDate, minute: p.hour * 60 + p.minute, hour: p.hour };
}
