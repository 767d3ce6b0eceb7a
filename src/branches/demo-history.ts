/**
 * A year of generated counter history for the demo branches: Poisson arrivals per open hour from a
 * weekly pattern (busy weekends, lunch and after-work peaks, quiet weekday mornings), month-ends
 * busier, closed on public holidays, make-up workdays like a Monday. Deterministic per seed.
 */
import type { BranchHourlyLoadTable } from "../db/schema.js";
import type { DemoBranch } from "./demo-branches.js";
import { addDays, type BranchSchedule, dayInfo, openHours, openIntervals } from "./domain/calendar.js";
import { CN_HOLIDAYS } from "./domain/holidays.js";

/** Month-end demand by provider: the mobile operator's online cut-off sends people to counters. */
const MONTH_END: Readonly<Record<string, number>> = {
  prv_demo_mobile: 1.6,
  prv_demo_bank: 1.25,
  prv_demo_transit: 1.1,
};

/** Demand by weekday (Monday = index 0), before the branch's weekend factor. */
const WEEKDAY = [1.05, 0.85, 0.8, 0.85, 1.0, 1.0, 0.9];

/** Demand by hour of day: quiet mornings, lunch and after-work peaks. */
function hourFactor(hour: number): number {
  if (hour < 10) return 0.55;
  if (hour < 12) return 0.9;
  if (hour < 14) return 1.4;
  if (hour < 17) return 0.85;
  if (hour < 19) return 1.25;
  return 0.8;
}

/** mulberry32: a small, fast, seedable generator; demo data only. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Knuth's Poisson sampler: fine for the means below 30 used here. */
function poisson(mean: number, random: () => number): number {
  const limit = Math.exp(-mean);
  let k = 0;
  let p = random();
  while (p > limit) {
    k++;
    p *= random();
  }
  return k;
}

export function scheduleOf(b: DemoBranch): BranchSchedule {
  return { timeZone: "Asia/Shanghai", counters: b.counters, openingHours: b.hours, slotMinutes: 30 };
}

/** The generated hourly load of one branch for the `days` days before `today`. */
export function generateHistory(
  b: DemoBranch,
  today: string,
  days: number,
  seed: number,
): BranchHourlyLoadTable[] {
  const random = rng(seed);
  const schedule = scheduleOf(b);
  const rows: BranchHourlyLoadTable[] = [];
  for (let i = days; i >= 1; i--) {
    const date = addDays(today, -i);
    const info = dayInfo(date, CN_HOLIDAYS);
    const weekend = info.profileWeekday >= 6 ? b.weekend : 1;
    const monthEnd = info.monthEnd ? (MONTH_END[b.provider] ?? 1) : 1;
    // The last day of a month is the busiest of the month-end days.
    const lastDay = info.lastDayOfMonth ? 1.15 : 1;
    for (const h of openHours(schedule, openIntervals(schedule, info))) {
      // Demand does not care how many counters are staffed: fewer at lunch means longer queues.
      const mean =
        b.base *
        b.counters *
        (60 / b.serviceMinutes) *
        WEEKDAY[info.profileWeekday - 1]! *
        weekend *
        hourFactor(h.hour) *
        monthEnd *
        lastDay *
        h.share *
        // Week-to-week noise: weather, promotions.
        (0.9 + 0.2 * random());
      const arrivals = poisson(mean, random);
      // Service times are roughly exponential around the mean: their sum over n visits has mean
      // n·m and standard deviation √n·m.
      const serviceSeconds = Math.max(
        0,
        Math.round(
          arrivals * b.serviceMinutes * 60 + Math.sqrt(arrivals) * b.serviceMinutes * 60 * (random() * 2 - 1),
        ),
      );
      rows.push({
        branchId: b.id,
        localDate: date,
        hour: h.hour,
        profileWeekday: info.profileWeekday,
        monthEnd: info.monthEnd ? 1 : 0,
        holiday: 0,
        arrivals,
        served: arrivals,
        serviceSeconds,
        serviceCount: arrivals,
        waitSeconds: 0,
        waitCount: 0,
      });
    }
  }
  return rows;
}
