import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type BranchSchedule, minutesOf, utcToLocal } from "./calendar.js";
import { type DemandModel, estimateDemand } from "./demand.js";
import { CN_HOLIDAYS } from "./holidays.js";
import { type BranchForAdvice, distanceKm, recommend } from "./recommend.js";
import { checkSlot, daySlots } from "./slots.js";

const week = (from: string, to: string) => [{ from, to }];
const schedule: BranchSchedule = {
  timeZone: "Asia/Shanghai",
  counters: 3,
  slotMinutes: 30,
  openingHours: {
    "1": week("09:00", "19:00"),
    "2": week("09:00", "19:00"),
    "3": week("09:00", "19:00"),
    "4": week("09:00", "19:00"),
    "5": week("09:00", "19:00"),
    "6": week("10:00", "17:00"),
    "7": [],
  },
};

/** A model with quiet mornings, a busy lunch and busier weekends. */
function model(): DemandModel {
  const m = estimateDemand(schedule, CN_HOLIDAYS, [], { from: "2026-11-24", to: "2026-11-24" });
  m.arrivalsPerHour = m.arrivalsPerHour.map((row, w) =>
    row.map((_, h) => (h < 11 ? 3 : h < 14 ? 12 : 8) * (w >= 5 ? 1.3 : 1) + w * 0.1),
  );
  m.monthEndFactor = 1.4;
  return m;
}

function branch(id: string, lat: number, lng: number, extra: Partial<BranchForAdvice> = {}): BranchForAdvice {
  return {
    id,
    schedule,
    model: model(),
    location: { lat, lng },
    slotCapacity: 2,
    booked: new Map(),
    monthEndCutoff: "18:00",
    ...extra,
  };
}

/** Tuesday 2026-11-24 10:00 in Shanghai. */
const NOW = new Date("2026-11-24T02:00:00Z");

describe("slots and what cannot be booked", () => {
  it("marks the slots from the month-end cut-off on the last day of a month", () => {
    const { day, slots } = daySlots(schedule, CN_HOLIDAYS, "2026-11-30", "18:00");
    expect(day.lastDayOfMonth).toBe(true);
    expect(slots.filter((s) => s.afterCutoff).map((s) => s.startMinute)).toEqual([1080, 1110]);
    expect(daySlots(schedule, CN_HOLIDAYS, "2026-11-27", "18:00").slots.some((s) => s.afterCutoff)).toBe(
      false,
    );
  });

  it("gives the reason a slot cannot be booked", () => {
    const at = (iso: string) => checkSlot(schedule, CN_HOLIDAYS, "18:00", new Date(iso), NOW);
    expect(at("2026-11-25T01:00:00Z")).toMatchObject({ ok: true });
    expect(at("2026-11-25T01:10:00Z")).toEqual({ ok: false, reason: "off_grid" });
    expect(at("2026-11-29T02:00:00Z")).toEqual({ ok: false, reason: "closed" });
    expect(at("2026-11-24T02:00:00Z")).toEqual({ ok: false, reason: "past" });
    expect(at("2026-11-30T10:00:00Z")).toEqual({ ok: false, reason: "month_end_cutoff" });
    expect(at("2027-02-01T01:00:00Z")).toEqual({ ok: false, reason: "too_far" });
    const october = new Date("2026-09-24T02:00:00Z");
    expect(checkSlot(schedule, CN_HOLIDAYS, null, new Date("2026-10-01T02:00:00Z"), october)).toEqual({
      ok: false,
      reason: "holiday",
    });
  });
});

describe("off-peak recommendations", () => {
  it("gives three slots, quietest first, at most one per branch and day", () => {
    const r = recommend([branch("a", 31.23, 121.47)], { horizonDays: 14 }, CN_HOLIDAYS, NOW);
    expect(r.recommendations).toHaveLength(3);
    const waits = r.recommendations.map((x) => x.prediction.expectedWaitMinutes);
    expect([...waits].sort((x, y) => x - y)).toEqual(waits);
    expect(new Set(r.recommendations.map((x) => x.date)).size).toBe(3);
    // Quiet mornings on weekdays win.
    for (const x of r.recommendations) {
      expect(x.hour).toBeLessThan(11);
      expect(x.isoWeekday).toBeLessThan(6);
    }
  });

  it("keeps to the holder's weekdays and time window", () => {
    const r = recommend(
      [branch("a", 31.23, 121.47)],
      { horizonDays: 14, weekdays: [6], from: "14:00", to: "17:00" },
      CN_HOLIDAYS,
      NOW,
    );
    expect(r.recommendations.length).toBeGreaterThan(0);
    for (const x of r.recommendations) {
      expect(x.isoWeekday).toBe(6);
      expect(x.hour).toBeGreaterThanOrEqual(14);
    }
  });

  it("leaves out branches beyond the distance and reports the distance of the others", () => {
    const near = branch("near", 31.2304, 121.4737);
    const far = branch("far", 31.1443, 121.8083); // Pudong airport, ~33 km
    const r = recommend(
      [near, far],
      { horizonDays: 7, origin: { lat: 31.2304, lng: 121.4737 }, maxDistanceKm: 10 },
      CN_HOLIDAYS,
      NOW,
    );
    expect(r.branches.map((b) => b.id)).toEqual(["near"]);
    expect(r.recommendations.every((x) => x.branchId === "near" && x.distanceKm! < 0.01)).toBe(true);
    expect(distanceKm({ lat: 31.2304, lng: 121.4737 }, far.location)).toBeGreaterThan(30);
  });

  it("skips full slots and never recommends a public holiday", () => {
    const october = new Date("2026-09-28T02:00:00Z");
    const r = recommend([branch("a", 31.23, 121.47)], { horizonDays: 14 }, CN_HOLIDAYS, october);
    for (const x of r.recommendations) expect(x.day.kind).not.toBe("holiday");

    const first = recommend([branch("a", 31.23, 121.47)], { horizonDays: 3 }, CN_HOLIDAYS, NOW)
      .recommendations[0]!;
    const booked = new Map([[first.start.getTime(), { capacity: 2, booked: 2 }]]);
    const again = recommend([branch("a", 31.23, 121.47, { booked })], { horizonDays: 3 }, CN_HOLIDAYS, NOW);
    expect(again.recommendations.some((x) => x.start.getTime() === first.start.getTime())).toBe(false);
  });

  it("never recommends a slot after the month-end cut-off, and sees month-ends as busier", () => {
    const lastDay = new Date("2026-11-30T00:30:00Z"); // 08:30 on the last day of November
    const r = recommend(
      [branch("a", 31.23, 121.47)],
      { horizonDays: 1, from: "17:00", to: "19:00" },
      CN_HOLIDAYS,
      lastDay,
    );
    for (const x of r.recommendations) expect(minutesOf(x.time)).toBeLessThan(18 * 60);
    const ordinary = recommend(
      [branch("a", 31.23, 121.47)],
      { horizonDays: 1, from: "17:00" },
      CN_HOLIDAYS,
      NOW,
    );
    const monthEnd = recommend(
      [branch("a", 31.23, 121.47, { monthEndCutoff: null })],
      { horizonDays: 1, from: "17:00" },
      CN_HOLIDAYS,
      new Date("2026-11-30T02:00:00Z"),
    );
    expect(monthEnd.recommendations[0]!.prediction.arrivalsPerHour).toBeGreaterThan(
      ordinary.recommendations[0]!.prediction.arrivalsPerHour,
    );
  });

  it("only ever recommends bookable slots that meet every constraint (property)", () => {
    const b = branch("a", 31.23, 121.47);
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 7 }),
        fc.integer({ min: 8, max: 18 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 0, max: 60 * 24 * 40 }),
        (weekdays, fromHour, span, minutesLater) => {
          const now = new Date(Date.parse("2026-09-01T00:00:00Z") + minutesLater * 60_000);
          const from = `${String(fromHour).padStart(2, "0")}:00`;
          const to = `${String(Math.min(24, fromHour + span)).padStart(2, "0")}:00`;
          const r = recommend([b], { horizonDays: 10, weekdays, from, to }, CN_HOLIDAYS, now);
          expect(r.recommendations.length).toBeLessThanOrEqual(3);
          for (const x of r.recommendations) {
            expect(weekdays).toContain(x.isoWeekday);
            const local = utcToLocal(x.start, "Asia/Shanghai");
            expect(local.minute).toBeGreaterThanOrEqual(minutesOf(from));
            expect(local.minute + 30).toBeLessThanOrEqual(minutesOf(to));
            expect(checkSlot(schedule, CN_HOLIDAYS, "18:00", x.start, now)).toMatchObject({ ok: true });
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
