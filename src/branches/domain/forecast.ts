/**
 * Predicted waiting per branch and hour: the demand model's arrival rate for that weekday and hour
 * (times the month-end factor on month-ends), the counters the opening hours put on, and the
 * M/M/c queue on top — and the weekday × hour heat map built from it.
 */
import { type BranchSchedule, type DayInfo, openHours } from "./calendar.js";
import type { DemandModel } from "./demand.js";
import { mmc, pWaitOver } from "./erlang-c.js";

/** The wait the product promises to warn about: "probability of waiting over 15 minutes". */
export const LONG_WAIT_MINUTES = 15;

export type WaitLevel = "quiet" | "moderate" | "busy" | "very_busy";

export interface HourPrediction {
  arrivalsPerHour: number;
  counters: number;
  utilisation: number;
  /** False when arrivals outrun the counters: the queue grows all hour. */
  stable: boolean;
  pWait: number;
  /** Wq in minutes; Infinity when not stable. */
  expectedWaitMinutes: number;
  pWaitOver15: number;
  level: WaitLevel;
}

export function levelOf(expectedWaitMinutes: number): WaitLevel {
  if (expectedWaitMinutes < 5) return "quiet";
  if (expectedWaitMinutes < LONG_WAIT_MINUTES) return "moderate";
  if (expectedWaitMinutes < 30) return "busy";
  return "very_busy";
}

/** The prediction for one open hour of a day with `counters` at work. */
export function predictHour(
  model: DemandModel,
  day: Pick<DayInfo, "profileWeekday" | "monthEnd">,
  hour: number,
  counters: number,
): HourPrediction {
  const base = model.arrivalsPerHour[day.profileWeekday - 1]![hour]!;
  const input = {
    arrivalsPerHour: base * (day.monthEnd ? model.monthEndFactor : 1),
    meanServiceMinutes: model.meanServiceMinutes,
    counters,
  };
  const q = mmc(input);
  return {
    arrivalsPerHour: input.arrivalsPerHour,
    counters,
    utilisation: q.utilisation,
    stable: q.stable,
    pWait: q.pWait,
    expectedWaitMinutes: q.expectedWaitMinutes,
    pWaitOver15: pWaitOver(input, LONG_WAIT_MINUTES),
    level: levelOf(q.expectedWaitMinutes),
  };
}

export interface HeatMap {
  /** ISO weekdays, the rows: 1 = Monday … 7 = Sunday. */
  weekdays: number[];
  /** Local hours, the columns: every hour the branch is open on some weekday. */
  hours: number[];
  /** cells[row][column]: the prediction, or null when closed at that hour. */
  cells: Array<Array<HourPrediction | null>>;
  /** The same for a month-end day. */
  monthEndCells: Array<Array<HourPrediction | null>>;
}

/** The weekday × hour matrix of an ordinary week (not a holiday or make-up week), and its month-end. */
export function heatMap(schedule: BranchSchedule, model: DemandModel): HeatMap {
  const weekdays = [1, 2, 3, 4, 5, 6, 7];
  const perDay = weekdays.map((w) =>
    openHours(schedule, schedule.openingHours[String(w) as keyof BranchSchedule["openingHours"]]),
  );
  const hours = [...new Set(perDay.flatMap((d) => d.map((h) => h.hour)))].sort((x, y) => x - y);
  const build = (monthEnd: boolean) =>
    weekdays.map((w, i) =>
      hours.map((hour) => {
        const open = perDay[i]!.find((h) => h.hour === hour);
        return open ? predictHour(model, { profileWeekday: w, monthEnd }, hour, open.counters) : null;
      }),
    );
  return { weekdays, hours, cells: build(false), monthEndCells: build(true) };
}
