import { describe, expect, it } from "vitest";
import { addDays, type BranchSchedule, dayInfo, openHours, openIntervals } from "./calendar.js";
import { estimateDemand, type LoadCell, PRIOR_SERVICE_MINUTES, PRIOR_UTILISATION } from "./demand.js";
import { CN_HOLIDAYS } from "./holidays.js";

const schedule: BranchSchedule = {
  timeZone: "Asia/Shanghai",
  counters: 3,
  slotMinutes: 30,
  openingHours: {
    "1": [{ from: "09:00", to: "17:00" }],
    "2": [{ from: "09:00", to: "17:00" }],
    "3": [{ from: "09:00", to: "17:00" }],
    "4": [{ from: "09:00", to: "17:00" }],
    "5": [{ from: "09:00", to: "17:00" }],
    "6": [{ from: "10:00", to: "16:00" }],
    "7": [],
  },
};

/** Exact expected counts (no noise) for a year: `rate(weekday, hour)`, times `monthEnd` on month-ends. */
function history(
  from: string,
  days: number,
  rate: (w: number, h: number) => number,
  monthEnd = 1,
): LoadCell[] {
  const cells = new Map<string, LoadCell>();
  for (let i = 0; i < days; i++) {
    const day = dayInfo(addDays(from, i), CN_HOLIDAYS);
    for (const h of openHours(schedule, openIntervals(schedule, day))) {
      const key = `${day.profileWeekday}|${h.hour}|${day.monthEnd}`;
      const c = cells.get(key) ?? {
        profileWeekday: day.profileWeekday,
        hour: h.hour,
        monthEnd: day.monthEnd,
        arrivals: 0,
        serviceSeconds: 0,
        serviceCount: 0,
        waitSeconds: 0,
        waitCount: 0,
      };
      const n = rate(day.profileWeekday, h.hour) * (day.monthEnd ? monthEnd : 1) * h.share;
      c.arrivals += n;
      c.serviceSeconds += n * 10 * 60;
      c.serviceCount += n;
      cells.set(key, c);
    }
  }
  return [...cells.values()];
}

describe("estimating demand from the hourly load", () => {
  const rate = (w: number, h: number) => (w === 6 ? 12 : 6) * (h === 12 ? 2 : 1);

  it("recovers the arrival rate per weekday and hour, the month-end factor and the service time", () => {
    const cells = history("2025-11-24", 365, rate, 1.5);
    const m = estimateDemand(schedule, CN_HOLIDAYS, cells, { from: "2025-11-24", to: "2026-11-24" });
    // Within 3 %: the priors still weigh two hours against ~50 observed Saturdays.
    const near = (x: number, y: number) => expect(Math.abs(x - y) / y).toBeLessThan(0.03);
    near(m.arrivalsPerHour[1]![10]!, 6);
    near(m.arrivalsPerHour[1]![12]!, 12);
    near(m.arrivalsPerHour[5]![12]!, 24);
    expect(m.monthEndFactor).toBeCloseTo(1.5, 1);
    // A year of 10-minute visits outweighs the 12-minute prior.
    expect(m.meanServiceMinutes).toBeCloseTo(10, 1);
    expect(m.thin).toBe(false);
  });

  it("falls back on the priors with no history: half the counters busy, 12-minute visits", () => {
    const m = estimateDemand(schedule, CN_HOLIDAYS, [], { from: "2026-11-24", to: "2026-11-24" });
    expect(m.thin).toBe(true);
    expect(m.meanServiceMinutes).toBe(PRIOR_SERVICE_MINUTES);
    expect(m.arrivalsPerHour[2]![10]).toBeCloseTo(PRIOR_UTILISATION * 3 * (60 / PRIOR_SERVICE_MINUTES), 10);
    expect(m.monthEndFactor).toBe(1);
  });

  it("shrinks a thinly observed hour towards its neighbours rather than trusting one day", () => {
    // One Monday observed, with a freak 30 arrivals at 10:00 and 6 every other hour.
    const cells = history("2026-11-16", 1, (_w, h) => (h === 10 ? 30 : 6));
    const m = estimateDemand(schedule, CN_HOLIDAYS, cells, { from: "2026-11-16", to: "2026-11-17" });
    expect(m.arrivalsPerHour[0]![10]).toBeLessThan(30);
    expect(m.arrivalsPerHour[0]![10]).toBeGreaterThan(6);
    expect(m.thin).toBe(true);
  });

  it("leaves public holidays out of the exposure (the branch is closed)", () => {
    const cells = history("2026-09-28", 14, () => 6);
    const m = estimateDemand(schedule, CN_HOLIDAYS, cells, { from: "2026-09-28", to: "2026-10-12" });
    // 1–7 October closed: the make-up Saturday 10 October counts as a Monday.
    expect(m.history.openDays).toBe(6);
    expect(m.arrivalsPerHour[0]![10]).toBeCloseTo(6, 0);
  });
});
