import { describe, expect, it } from "vitest";
import {
  type BranchSchedule,
  dayInfo,
  localToUtc,
  openHours,
  openIntervals,
  slotsOfDay,
  utcOffsetMinutes,
  utcToLocal,
} from "./calendar.js";
import { CN_HOLIDAYS, holidayCalendar } from "./holidays.js";

const schedule: BranchSchedule = {
  timeZone: "Asia/Shanghai",
  counters: 4,
  slotMinutes: 30,
  openingHours: {
    "1": [
      { from: "09:00", to: "12:00" },
      { from: "12:00", to: "14:00", counters: 3 },
      { from: "14:00", to: "17:30" },
    ],
    "2": [{ from: "09:00", to: "17:00" }],
    "3": [{ from: "09:00", to: "17:00" }],
    "4": [{ from: "09:00", to: "17:00" }],
    "5": [{ from: "09:00", to: "17:00" }],
    "6": [],
    "7": [],
  },
};

describe("mainland China holidays and make-up workdays (State Council notices)", () => {
  it("knows 2025: eight days of Spring Festival from New Year's Eve, and its two make-up workdays", () => {
    expect(dayInfo("2025-01-28", CN_HOLIDAYS)).toMatchObject({ kind: "holiday", nameZh: "春节" });
    expect(dayInfo("2025-02-04", CN_HOLIDAYS).kind).toBe("holiday");
    expect(dayInfo("2025-02-05", CN_HOLIDAYS).kind).toBe("workday");
    expect(dayInfo("2025-01-26", CN_HOLIDAYS)).toMatchObject({ kind: "makeup_workday", isoWeekday: 7 });
    expect(dayInfo("2025-02-08", CN_HOLIDAYS)).toMatchObject({ kind: "makeup_workday", isoWeekday: 6 });
    expect(dayInfo("2025-10-08", CN_HOLIDAYS).nameEn).toBe("National Day and Mid-Autumn Festival");
  });

  it("knows 2026: New Year 1–3 January with Sunday 4 January worked, National Day 1–7 October", () => {
    for (const d of ["2026-01-01", "2026-01-02", "2026-01-03"])
      expect(dayInfo(d, CN_HOLIDAYS).kind).toBe("holiday");
    expect(dayInfo("2026-01-04", CN_HOLIDAYS)).toMatchObject({ kind: "makeup_workday", isoWeekday: 7 });
    expect(dayInfo("2026-02-15", CN_HOLIDAYS).kind).toBe("holiday");
    expect(dayInfo("2026-02-23", CN_HOLIDAYS).kind).toBe("holiday");
    expect(dayInfo("2026-02-28", CN_HOLIDAYS).kind).toBe("makeup_workday");
    expect(dayInfo("2026-05-09", CN_HOLIDAYS).kind).toBe("makeup_workday");
    expect(dayInfo("2026-09-25", CN_HOLIDAYS)).toMatchObject({ kind: "holiday", nameZh: "中秋节" });
    expect(dayInfo("2026-10-07", CN_HOLIDAYS).kind).toBe("holiday");
    expect(dayInfo("2026-10-08", CN_HOLIDAYS).kind).toBe("workday");
    expect(dayInfo("2026-09-20", CN_HOLIDAYS).kind).toBe("makeup_workday");
    expect(dayInfo("2026-10-10", CN_HOLIDAYS).kind).toBe("makeup_workday");
  });

  it("does not invent 2027: its dates are ordinary days, flagged unconfirmed", () => {
    const d = dayInfo("2027-01-01", CN_HOLIDAYS);
    expect(d).toMatchObject({ kind: "workday", calendarConfirmed: false });
    expect(dayInfo("2026-12-31", CN_HOLIDAYS).calendarConfirmed).toBe(true);
  });

  it("rejects a day that is both a holiday and a make-up workday", () => {
    const bad = {
      year: 2030,
      published: true,
      source: "test",
      holidays: [{ nameZh: "x", nameEn: "x", from: "2030-01-01", to: "2030-01-02" }],
      makeUpWorkdays: [{ date: "2030-01-02", forZh: "x", forEn: "x" }],
    };
    expect(() => holidayCalendar([bad])).toThrow(/both/);
  });
});

describe("a branch's days", () => {
  it("closes on a public holiday even on a weekday", () => {
    expect(openIntervals(schedule, dayInfo("2026-10-01", CN_HOLIDAYS))).toEqual([]);
  });

  it("opens on a make-up workday with Monday's hours although it falls on a weekend", () => {
    const day = dayInfo("2026-09-20", CN_HOLIDAYS); // a Sunday
    expect(day.profileWeekday).toBe(1);
    expect(openIntervals(schedule, day)).toEqual(schedule.openingHours["1"]);
    expect(openIntervals(schedule, dayInfo("2026-09-13", CN_HOLIDAYS))).toEqual([]);
  });

  it("marks the last three days of a month as month-end and the last one as such", () => {
    expect(dayInfo("2026-11-27", CN_HOLIDAYS).monthEnd).toBe(false);
    expect(dayInfo("2026-11-28", CN_HOLIDAYS)).toMatchObject({ monthEnd: true, lastDayOfMonth: false });
    expect(dayInfo("2026-11-30", CN_HOLIDAYS)).toMatchObject({ monthEnd: true, lastDayOfMonth: true });
    expect(dayInfo("2028-02-29", CN_HOLIDAYS).lastDayOfMonth).toBe(true);
  });

  it("splits a day into 30-minute slots and open hours with the counters of each stretch", () => {
    const monday = openIntervals(schedule, dayInfo("2026-11-23", CN_HOLIDAYS));
    const slots = slotsOfDay(schedule, monday);
    expect(slots).toHaveLength(17);
    expect(slots.find((s) => s.startMinute === 12 * 60)?.counters).toBe(3);
    const hours = openHours(schedule, monday);
    expect(hours.at(-1)).toEqual({ hour: 17, share: 0.5, counters: 4 });
    expect(hours.find((h) => h.hour === 13)?.counters).toBe(3);
  });

  it("converts local wall-clock time in the branch's zone to UTC and back", () => {
    const offset = utcOffsetMinutes("2026-11-24", "Asia/Shanghai");
    expect(offset).toBe(480);
    const at = localToUtc("2026-11-24", 9 * 60 + 30, offset);
    expect(at.toISOString()).toBe("2026-11-24T01:30:00.000Z");
    expect(utcToLocal(at, "Asia/Shanghai")).toEqual({ date: "2026-11-24", minute: 570, hour: 9 });
    // A zone with summer time: the offset follows the date.
    expect(utcOffsetMinutes("2026-07-01", "Europe/Berlin")).toBe(120);
    expect(utcOffsetMinutes("2026-12-01", "Europe/Berlin")).toBe(60);
  });
});
