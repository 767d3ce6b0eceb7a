import { describe, expect, it } from "vitest";
import {
  addDaysIso,
  clockToMinutes,
  daysInMonth,
  isLastDayOfMonth,
  isValidIsoDate,
  zonedIsoDate,
  zonedParts,
} from "./zoned-time.js";

describe("zonedParts", () => {
  it("shifts a UTC instant to Shanghai local time (UTC+8, no DST)", () => {
    expect(zonedParts(new Date("2024-01-31T09:59:00Z"), "Asia/Shanghai")).toEqual({
      year: 2024,
      month: 1,
      day: 31,
      hour: 17,
      minute: 59,
      isoWeekday: 3,
      isoDate: "2024-01-31",
    });
  });

  it("rolls the date and weekday over at local midnight, not UTC midnight", () => {
    // 16:00Z on Wednesday 31 Jan is 00:00 on Thursday 1 Feb in Shanghai.
    const p = zonedParts(new Date("2024-01-31T16:00:00Z"), "Asia/Shanghai");
    expect(p).toMatchObject({ isoDate: "2024-02-01", hour: 0, minute: 0, isoWeekday: 4 });
    const before = zonedParts(new Date("2024-01-31T15:59:00Z"), "Asia/Shanghai");
    expect(before).toMatchObject({ isoDate: "2024-01-31", hour: 23, minute: 59, isoWeekday: 3 });
  });

  it("reports Sunday as 7 and Monday as 1", () => {
    expect(zonedParts(new Date("2024-06-09T04:00:00Z"), "Asia/Shanghai").isoWeekday).toBe(7);
    expect(zonedParts(new Date("2024-06-10T04:00:00Z"), "Asia/Shanghai").isoWeekday).toBe(1);
  });

  it("follows DST in New York: the same UTC hour is a different local hour in winter and summer", () => {
    expect(zonedParts(new Date("2024-01-15T15:00:00Z"), "America/New_York").hour).toBe(10);
    expect(zonedParts(new Date("2024-07-15T15:00:00Z"), "America/New_York").hour).toBe(11);
  });

  it("skips the missing hour on the spring-forward night", () => {
    // 2024-03-10: clocks jump from 02:00 EST to 03:00 EDT at 07:00Z.
    expect(zonedParts(new Date("2024-03-10T06:59:00Z"), "America/New_York")).toMatchObject({
      hour: 1,
      minute: 59,
    });
    expect(zonedParts(new Date("2024-03-10T07:00:00Z"), "America/New_York")).toMatchObject({
      hour: 3,
      minute: 0,
    });
  });

  it("uses hour 0, never 24, at local midnight", () => {
    expect(zonedParts(new Date("2024-03-31T22:00:00Z"), "Europe/Berlin")).toMatchObject({
      isoDate: "2024-04-01",
      hour: 0,
    });
  });

  it("throws on an unknown zone or an invalid date", () => {
    expect(() => zonedParts(new Date("2024-01-01T00:00:00Z"), "Mars/Olympus")).toThrow(RangeError);
    expect(() => zonedParts(new Date(Number.NaN), "Asia/Shanghai")).toThrow(RangeError);
  });

  it("zonedIsoDate gives the local date only", () => {
    expect(zonedIsoDate(new Date("2024-12-31T17:00:00Z"), "Asia/Shanghai")).toBe("2025-01-01");
    expect(zonedIsoDate(new Date("2024-12-31T17:00:00Z"), "America/New_York")).toBe("2024-12-31");
  });
});

describe("daysInMonth", () => {
  it("knows leap years, including the century rules", () => {
    expect(daysInMonth(2024, 2)).toBe(29);
    expect(daysInMonth(2023, 2)).toBe(28);
    expect(daysInMonth(1900, 2)).toBe(28);
    expect(daysInMonth(2000, 2)).toBe(29);
    expect(daysInMonth(2024, 4)).toBe(30);
    expect(daysInMonth(2024, 12)).toBe(31);
  });

  it("rejects a month outside 1..12", () => {
    expect(() => daysInMonth(2024, 13)).toThrow(RangeError);
    expect(() => daysInMonth(2024, 0)).toThrow(RangeError);
  });
});

describe("isLastDayOfMonth", () => {
  it("is judged in the given zone", () => {
    // 2024-02-29T16:30Z is already 1 March in Shanghai but still 29 February in New York.
    const t = new Date("2024-02-29T16:30:00Z");
    expect(isLastDayOfMonth(t, "Asia/Shanghai")).toBe(false);
    expect(isLastDayOfMonth(t, "America/New_York")).toBe(true);
  });

  it("is true on 30 April and false on 29 April", () => {
    expect(isLastDayOfMonth(new Date("2024-04-30T04:00:00Z"), "Asia/Shanghai")).toBe(true);
    expect(isLastDayOfMonth(new Date("2024-04-29T04:00:00Z"), "Asia/Shanghai")).toBe(false);
  });
});

describe("addDaysIso", () => {
  it("crosses month, year and leap-day boundaries", () => {
    expect(addDaysIso("2024-01-31", 1)).toBe("2024-02-01");
    expect(addDaysIso("2024-02-28", 1)).toBe("2024-02-29");
    expect(addDaysIso("2023-02-28", 1)).toBe("2023-03-01");
    expect(addDaysIso("2024-12-31", 1)).toBe("2025-01-01");
    expect(addDaysIso("2024-03-01", -1)).toBe("2024-02-29");
    expect(addDaysIso("2024-01-01", 90)).toBe("2024-03-31");
    expect(addDaysIso("2024-05-05", 0)).toBe("2024-05-05");
  });

  it("is unaffected by DST because it is pure calendar arithmetic", () => {
    expect(addDaysIso("2024-03-09", 2)).toBe("2024-03-11");
    expect(addDaysIso("2024-10-26", 2)).toBe("2024-10-28");
  });

  it("rejects impossible dates and fractional days", () => {
    expect(() => addDaysIso("2023-02-29", 1)).toThrow(RangeError);
    expect(() => addDaysIso("2024-1-01", 1)).toThrow(RangeError);
    expect(() => addDaysIso("2024-01-01", 1.5)).toThrow(RangeError);
  });
});

describe("isValidIsoDate and clockToMinutes", () => {
  it("accepts only real calendar dates", () => {
    expect(isValidIsoDate("2024-02-29")).toBe(true);
    expect(isValidIsoDate("2023-02-29")).toBe(false);
    expect(isValidIsoDate("2024-13-01")).toBe(false);
    expect(isValidIsoDate("2024-04-31")).toBe(false);
  });

  it("converts HH:MM to minutes since midnight", () => {
    expect(clockToMinutes("00:00")).toBe(0);
    expect(clockToMinutes("18:00")).toBe(1080);
    expect(clockToMinutes("23:59")).toBe(1439);
    expect(() => clockToMinutes("24:00")).toThrow(RangeError);
  });
});
