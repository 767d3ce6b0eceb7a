/**
 * Mainland China's public holidays and make-up workdays (调休), one JSON file per year as the
 * State Council publishes them (src/branches/holidays/cn-<year>.json). A year whose arrangement is
 * not published yet has `published: false` and no days: its dates count as ordinary days, and
 * everything built on them says so (`calendarConfirmed: false`) instead of guessing.
 */
import { z } from "zod";
import cn2025 from "../holidays/cn-2025.json" with { type: "json" };
import cn2026 from "../holidays/cn-2026.json" with { type: "json" };
import cn2027 from "../holidays/cn-2027.json" with { type: "json" };

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

export const holidayYearSchema = z
  .object({
    year: z.number().int(),
    published: z.boolean(),
    source: z.string().min(1),
    note: z.string().optional(),
    holidays: z.array(
      z.object({ nameZh: z.string().min(1), nameEn: z.string().min(1), from: isoDate, to: isoDate }).strict(),
    ),
    makeUpWorkdays: z.array(
      z.object({ date: isoDate, forZh: z.string().min(1), forEn: z.string().min(1) }).strict(),
    ),
  })
  .strict();

export type SpecialDay =
  | { kind: "holiday"; nameZh: string; nameEn: string }
  /** A weekend day worked in exchange for a holiday: a working day. */
  | { kind: "makeup_workday"; nameZh: string; nameEn: string };

export interface HolidayCalendar {
  /** The holiday or make-up workday on `isoDate`, or null for an ordinary day. */
  special(isoDate: string): SpecialDay | null;
  /** Whether the arrangement for `year` is published and loaded. */
  confirmed(year: number): boolean;
}

/** Builds a calendar from per-year arrangements; later years may not repeat a year. */
export function holidayCalendar(years: readonly unknown[]): HolidayCalendar {
  const days = new Map<string, SpecialDay>();
  const published = new Set<number>();
  for (const raw of years) {
    const y = holidayYearSchema.parse(raw);
    if (published.has(y.year)) throw new Error(`holiday year ${y.year} given twice`);
    if (y.published) published.add(y.year);
    for (const h of y.holidays) {
      if (!h.from.startsWith(`${y.year}-`) || h.to < h.from)
        throw new Error(`bad holiday range ${h.from}…${h.to}`);
      // Ranges are a few days long: walk them with plain UTC date arithmetic.
      for (let d = h.from; d <= h.to; d = nextDate(d)) {
        days.set(d, { kind: "holiday", nameZh: h.nameZh, nameEn: h.nameEn });
      }
    }
    for (const m of y.makeUpWorkdays) {
      if (days.has(m.date)) throw new Error(`${m.date} is both a holiday and a make-up workday`);
      days.set(m.date, { kind: "makeup_workday", nameZh: m.forZh, nameEn: m.forEn });
    }
  }
  return {
    special: (isoDate) => days.get(isoDate) ?? null,
    confirmed: (year) => published.has(year),
  };
}

function nextDate(isoDate: string): string {
  const t = Date.parse(`${isoDate}T00:00:00Z`) + 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}

/** The years shipped with the code, as raw JSON: 2025, 2026 and (unpublished) 2027. */
const CN_HOLIDAY_YEARS: readonly unknown[] = [cn2025, cn2026, cn2027];

/** Mainland China, from the shipped files. */
export const CN_HOLIDAYS: HolidayCalendar = holidayCalendar(CN_HOLIDAY_YEARS);
