/**
 * What the queueing model needs from history: the arrival rate per weekday and hour, how much
 * busier month-ends are, and the mean time at the counter — estimated from the hourly load
 * (arrivals and service times summed per weekday, hour and month-end flag over the history
 * window), with priors so that a new branch, or a thinly observed hour, gets a sensible answer.
 */
import { addDays, type BranchSchedule, dayInfo, daysBetween, openHours, openIntervals } from "./calendar.js";
import type { HolidayCalendar } from "./holidays.js";

/** History summed per (profile weekday, hour, month-end); holidays are left out before this. */
export interface LoadCell {
  profileWeekday: number;
  hour: number;
  monthEnd: boolean;
  arrivals: number;
  serviceSeconds: number;
  serviceCount: number;
  waitSeconds: number;
  waitCount: number;
}

/** Prior mean time at the counter for a cancellation, minutes (identity check, forms, signing). */
export const PRIOR_SERVICE_MINUTES = 12;
/** Weight of that prior, in served visits. */
export const PRIOR_SERVICE_WEIGHT = 20;
/** With no history at all, assume arrivals keep this share of the counters busy. */
export const PRIOR_UTILISATION = 0.5;
/** Weight of the prior rate of a (weekday, hour) cell, in open hours observed. */
export const PRIOR_CELL_HOURS = 2;
/** Weight pulling the month-end factor towards 1, in arrivals. */
export const PRIOR_MONTH_END_ARRIVALS = 10;

export interface DemandModel {
  /** λ, arrivals per hour on an ordinary day: [profileWeekday − 1][hour]. */
  arrivalsPerHour: number[][];
  /** Month-end arrivals ÷ what an ordinary day of the same weekday and hour would bring. */
  monthEndFactor: number;
  meanServiceMinutes: number;
  history: {
    from: string;
    to: string;
    /** Days in the window the branch was open. */
    openDays: number;
    arrivals: number;
    /** Visits whose time at the counter was measured (called, then served). */
    timedVisits: number;
    /** Mean observed wait, from visits with both arrival and call times; null when none. */
    observedWaitMinutes: number | null;
  };
  /** True when the estimates lean mostly on the priors (less than four weeks of open days). */
  thin: boolean;
}

const grid = (): number[][] => Array.from({ length: 7 }, () => new Array<number>(24).fill(0));

/**
 * Estimates the demand model of one branch from its load cells over [from, to) — `from` the first
 * day with data (or the window's start, whichever is later), `to` today.
 */
export function estimateDemand(
  schedule: BranchSchedule,
  calendar: HolidayCalendar,
  cells: readonly LoadCell[],
  window: { from: string; to: string },
): DemandModel {
  // Exposure: open hours (as fractions of an hour) per cell, from the calendar and opening hours.
  const exposure = grid();
  const exposureMonthEnd = grid();
  let openDays = 0;
  const days = Math.max(0, daysBetween(window.from, window.to));
  // Open hours depend only on the day's profile (or its being a holiday): compute each once.
  const hoursByProfile = new Map<string, ReturnType<typeof openHours>>();
  for (let i = 0; i < days; i++) {
    const day = dayInfo(addDays(window.from, i), calendar);
    const key = day.kind === "holiday" ? "holiday" : String(day.profileWeekday);
    let hours = hoursByProfile.get(key);
    if (!hours) {
      hours = openHours(schedule, openIntervals(schedule, day));
      hoursByProfile.set(key, hours);
    }
    if (hours.length === 0) continue;
    openDays++;
    const target = day.monthEnd ? exposureMonthEnd : exposure;
    for (const h of hours) target[day.profileWeekday - 1]![h.hour]! += h.share;
  }

  const arrivals = grid();
  const arrivalsMonthEnd = grid();
  let serviceSeconds = 0;
  let serviceCount = 0;
  let waitSeconds = 0;
  let waitCount = 0;
  let totalArrivals = 0;
  for (const c of cells) {
    (c.monthEnd ? arrivalsMonthEnd : arrivals)[c.profileWeekday - 1]![c.hour]! += c.arrivals;
    serviceSeconds += c.serviceSeconds;
    serviceCount += c.serviceCount;
    waitSeconds += c.waitSeconds;
    waitCount += c.waitCount;
    totalArrivals += c.arrivals;
  }

  const meanServiceMinutes =
    (serviceSeconds / 60 + PRIOR_SERVICE_MINUTES * PRIOR_SERVICE_WEIGHT) /
    (serviceCount + PRIOR_SERVICE_WEIGHT);
  const defaultRate = PRIOR_UTILISATION * schedule.counters * (60 / meanServiceMinutes);

  // Shrink each cell towards its hour's mean across weekdays, and that towards the branch's mean,
  // and that towards the default: a Gamma–Poisson estimate at each level.
  let a = 0;
  let e = 0;
  const hourA = new Array<number>(24).fill(0);
  const hourE = new Array<number>(24).fill(0);
  for (let w = 0; w < 7; w++) {
    for (let h = 0; h < 24; h++) {
      hourA[h]! += arrivals[w]![h]!;
      hourE[h]! += exposure[w]![h]!;
    }
  }
  for (let h = 0; h < 24; h++) {
    a += hourA[h]!;
    e += hourE[h]!;
  }
  const branchRate = (a + PRIOR_CELL_HOURS * defaultRate) / (e + PRIOR_CELL_HOURS);
  const rate = grid();
  for (let h = 0; h < 24; h++) {
    const hourRate = (hourA[h]! + PRIOR_CELL_HOURS * branchRate) / (hourE[h]! + PRIOR_CELL_HOURS);
    for (let w = 0; w < 7; w++) {
      rate[w]![h] = (arrivals[w]![h]! + PRIOR_CELL_HOURS * hourRate) / (exposure[w]![h]! + PRIOR_CELL_HOURS);
    }
  }

  let monthEndObserved = 0;
  let monthEndExpected = 0;
  for (let w = 0; w < 7; w++) {
    for (let h = 0; h < 24; h++) {
      monthEndObserved += arrivalsMonthEnd[w]![h]!;
      monthEndExpected += exposureMonthEnd[w]![h]! * rate[w]![h]!;
    }
  }
  const monthEndFactor =
    (monthEndObserved + PRIOR_MONTH_END_ARRIVALS) / (monthEndExpected + PRIOR_MONTH_END_ARRIVALS);

  return {
    arrivalsPerHour: rate,
    monthEndFactor,
    meanServiceMinutes,
    history: {
      from: window.from,
      to: window.to,
      openDays,
      arrivals: totalArrivals,
      timedVisits: serviceCount,
      observedWaitMinutes: waitCount > 0 ? waitSeconds / 60 / waitCount : null,
    },
    thin: openDays < 28 || totalArrivals === 0,
  };
}
