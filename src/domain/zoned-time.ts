/**
 * Wall-clock views of an instant in an IANA time zone, built on `Intl.DateTimeFormat` only, so
 * that provider rules (service windows, month-end cut-offs, lock-in term ends) are evaluated in
 * the provider's zone and not in whatever zone the server happens to run in.
 */

/** The local calendar and clock fields of an instant in one time zone. */
export interface ZonedParts {
  year: number;
  /** 1 = January … 12 = December. */
  month: number;
  day: number;
  /** 0 … 23. */
  hour: number;
  minute: number;
  /** ISO 8601 weekday: 1 = Monday … 7 = Sunday. */
  isoWeekday: number;
  /** Local calendar date as `YYYY-MM-DD`. */
  isoDate: string;
}

const WEEKDAYS: Readonly<Record<string, number>> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

// Building a DateTimeFormat is far more expensive than using one; zones are few, so cache them.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    // en-US with the Gregorian calendar and Latin digits gives parseable parts whatever the
    // runtime's default locale; h23 avoids the "24:00" that hour12:false yields at midnight.
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      calendar: "gregory",
      numberingSystem: "latn",
      hourCycle: "h23",
      weekday: "short",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/**
 * Local date and time of `date` in `timeZone`.
 * @throws RangeError for an unknown time zone or an invalid date.
 */
export function zonedParts(date: Date, timeZone: string): ZonedParts {
  const ms = date.getTime();
  if (Number.isNaN(ms)) throw new RangeError("zonedParts: invalid Date");
  // The same minute is asked for again and again (every date of one request is "now"), and
  // Intl's formatToParts is slow. Since 1970 every zone's offset is a whole number of minutes.
  const minute = Math.floor(ms / 60_000);
  const last = lastParts.get(timeZone);
  if (last && last.minute === minute && ms >= 0) return { ...last.parts };
  const parts = computeZonedParts(date, timeZone);
  if (ms >= 0) lastParts.set(timeZone, { minute, parts: { ...parts } });
  return parts;
}

const lastParts = new Map<string, { minute: number; parts: ZonedParts }>();

function computeZonedParts(date: Date, timeZone: string): ZonedParts {
  const parts: Record<string, string> = {};
  for (const p of formatterFor(timeZone).formatToParts(date)) parts[p.type] = p.value;
  const year = Number(parts.year);
  const month = Number(parts.month);
  const day = Number(parts.day);
  const isoWeekday = WEEKDAYS[parts.weekday ?? ""];
  if (isoWeekday === undefined || !Number.isInteger(year)) {
    throw new RangeError(`zonedParts: unexpected Intl output for ${timeZone}`);
  }
  return {
    year,
    month,
    day,
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    isoWeekday,
    isoDate: isoDateOf(year, month, day),
  };
}

/** Local calendar date (`YYYY-MM-DD`) of `date` in `timeZone`. */
export function zonedIsoDate(date: Date, timeZone: string): string {
  return zonedParts(date, timeZone).isoDate;
}

/** Number of days in a Gregorian month (`month` 1 … 12). */
export function daysInMonth(year: number, month: number): number {
  if (!Number.isInteger(year) || !Number.isInteger(month) || month < 1 || month > 12) {
    throw new RangeError(`daysInMonth: bad year/month ${year}-${month}`);
  }
  // Day 0 of the next month is the last day of this one; UTC keeps the host zone out of it.
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Whether `date` falls on the last calendar day of its month in `timeZone`. */
export function isLastDayOfMonth(date: Date, timeZone: string): boolean {
  const p = zonedParts(date, timeZone);
  return p.day === daysInMonth(p.year, p.month);
}

/** Whether `s` is a real `YYYY-MM-DD` calendar date (rejects e.g. 2023-02-29). */
export function isValidIsoDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const month = Number(m[2]);
  const day = Number(m[3]);
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(Number(m[1]), month);
}

/**
 * Calendar arithmetic on a `YYYY-MM-DD` date: `n` days later (earlier when negative). Pure date
 * arithmetic, so DST transitions cannot shift the result.
 * @throws RangeError when `isoDate` is not a valid date or `n` is not an integer.
 */
export function addDaysIso(isoDate: string, n: number): string {
  if (!isValidIsoDate(isoDate)) throw new RangeError(`addDaysIso: not a valid YYYY-MM-DD date: ${isoDate}`);
  if (!Number.isInteger(n)) throw new RangeError(`addDaysIso: n must be an integer, got ${n}`);
  const [y, m, d] = isoDate.split("-").map(Number) as [number, number, number];
  const t = new Date(Date.UTC(y, m - 1, d + n));
  return isoDateOf(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate());
}

/** Minutes since local midnight of an `HH:MM` clock string (as used in provider rules). */
export function clockToMinutes(clock: string): number {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(clock);
  if (!m) throw new RangeError(`clockToMinutes: expected HH:MM, got ${clock}`);
  return Number(m[1]) * 60 + Number(m[2]);
}

function isoDateOf(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}
