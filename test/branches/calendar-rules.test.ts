/**
 * Holidays, make-up workdays and month-ends through the API: what can be booked, what is
 * recommended, and how the model sees month-ends.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { D } from "../support/demo.js";
import { DEFAULT_NOW, Harness, type Session } from "../support/harness.js";
import { slotsOf } from "./helpers.js";

const MOBILE = "brn_mobile_xujiahui"; // demo-mobile: no online cancellation after 18:00 on a month's last day
const BANK_WEEKDAYS = "brn_bank_zhangjiang"; // closed at weekends
const BANK = "brn_bank_nanjing_road"; // demo-bank: no month-end cut-off

interface Recommendations {
  recommendations: Array<{ date: string; time: string; start: string; day: { kind: string } }>;
}

describe("holidays and make-up workdays", () => {
  let h: Harness;
  let holder: Session;
  beforeAll(async () => {
    h = await Harness.start();
    holder = await h.signInHolder(D.cleanSim.phone);
  });
  afterAll(() => h.close());
  beforeEach(() => {
    h.clock.t = new Date("2026-09-24T02:00:00Z"); // Thursday 10:00, before Mid-Autumn and National Day
  });

  it("closes branches on public holidays: no slots, and booking one is refused", async () => {
    const days = await slotsOf(h, holder, BANK, "2026-09-25", 3);
    for (const d of days) expect(d).toMatchObject({ kind: "holiday", open: false, slots: [] });
    const r = await h.write(holder, "POST", "/api/v1/appointments", {
      branchId: BANK,
      start: "2026-10-01T02:00:00Z",
    });
    expect(r.statusCode).toBe(422);
    expect(r.json()).toMatchObject({ code: "SLOT_NOT_AVAILABLE", params: { reason: "holiday" } });
  });

  it("opens a weekday-only branch on a make-up Saturday, with a working day's hours, and books it", async () => {
    h.clock.t = new Date("2026-10-08T02:00:00Z");
    const [saturday] = await slotsOf(h, holder, BANK_WEEKDAYS, "2026-10-10");
    expect(saturday).toMatchObject({ kind: "makeup_workday", open: true });
    expect(saturday!.slots[0]!.time).toBe("09:00");
    const [sunday] = await slotsOf(h, holder, BANK_WEEKDAYS, "2026-10-11");
    expect(sunday).toMatchObject({ kind: "weekend", open: false });
    const r = await h.write(holder, "POST", "/api/v1/appointments", {
      branchId: BANK_WEEKDAYS,
      start: saturday!.slots[0]!.start,
    });
    expect(r.statusCode).toBe(201);
  });

  it("never recommends a public holiday", async () => {
    const r = await h.inject({
      method: "GET",
      url: "/api/v1/recommendations?horizonDays=14",
      headers: holder.headers,
    });
    expect(r.statusCode).toBe(200);
    const recs = (r.json() as Recommendations).recommendations;
    expect(recs).toHaveLength(3);
    for (const x of recs) {
      expect(x.day.kind).not.toBe("holiday");
      expect(
        x.date < "2026-09-25" ||
          x.date > "2026-10-07" ||
          x.date === "2026-09-28" ||
          x.date === "2026-09-29" ||
          x.date === "2026-09-30",
      ).toBe(true);
    }
  });

  it("says when a year's arrangement is not published yet (2027)", async () => {
    h.clock.t = new Date("2026-12-22T02:00:00Z");
    const later = await h.signInHolder(D.cleanDebit.phone); // the first session has expired by then
    const r = await h.inject({
      method: "GET",
      url: `/api/v1/branches/${MOBILE}/advice?horizonDays=14`,
      headers: later.headers,
    });
    const days = (r.json() as { days: Array<{ date: string; calendarConfirmed: boolean }> }).days;
    expect(days.find((d) => d.date === "2026-12-31")?.calendarConfirmed).toBe(true);
    expect(days.find((d) => d.date === "2027-01-01")?.calendarConfirmed).toBe(false);
  });
});

describe("month-ends", () => {
  let h: Harness;
  let holder: Session;
  beforeAll(async () => {
    h = await Harness.start();
    holder = await h.signInHolder(D.cleanSim.phone);
  });
  afterAll(() => h.close());
  beforeEach(() => {
    h.clock.t = new Date(DEFAULT_NOW); // Tuesday 24 November; the 30th is a Monday
  });

  it("refuses slots from the provider's cut-off on the last day of the month, and only there", async () => {
    const [last] = await slotsOf(h, holder, MOBILE, "2026-11-30");
    const late = last!.slots.filter((s) => s.time >= "18:00");
    expect(late.length).toBeGreaterThan(0);
    for (const s of late)
      expect(s).toMatchObject({ bookable: false, refusal: "month_end_cutoff", afterMonthEndCutoff: true });
    expect(last!.slots.find((s) => s.time === "17:30")?.bookable).toBe(true);
    const [before] = await slotsOf(h, holder, MOBILE, "2026-11-29");
    expect(before!.slots.find((s) => s.time === "18:30")?.bookable).toBe(true);

    const r = await h.write(holder, "POST", "/api/v1/appointments", {
      branchId: MOBILE,
      start: late[0]!.start,
    });
    expect(r.statusCode).toBe(422);
    expect(r.json()).toMatchObject({ code: "SLOT_NOT_AVAILABLE", params: { reason: "month_end_cutoff" } });

    // The bank has no cut-off: its last slot of the month is bookable.
    const [bank] = await slotsOf(h, holder, BANK, "2026-11-30");
    expect(bank!.slots.at(-1)).toMatchObject({ bookable: true, afterMonthEndCutoff: false });
  });

  it("never recommends a slot after the cut-off, even when the holder can only come then", async () => {
    const r = await h.inject({
      method: "GET",
      url: `/api/v1/branches/${MOBILE}/advice?weekdays=1&from=17:00&horizonDays=7`,
      headers: holder.headers,
    });
    const recs = (r.json() as Recommendations).recommendations;
    expect(recs.length).toBeGreaterThan(0);
    for (const x of recs) expect(x.date === "2026-11-30" && x.time >= "18:00").toBe(false);
  });

  it("learns from the data that month-ends are busier and predicts longer waits for them", async () => {
    const r = await h.inject({
      method: "GET",
      url: `/api/v1/branches/${MOBILE}/advice`,
      headers: holder.headers,
    });
    const a = r.json() as {
      model: { monthEndFactor: number };
      heatMap: {
        hours: number[];
        cells: Array<Array<{ arrivalsPerHour: number; pWaitOver15: number } | null>>;
        monthEndCells: Array<Array<{ arrivalsPerHour: number; pWaitOver15: number } | null>>;
      };
    };
    expect(a.model.monthEndFactor).toBeGreaterThan(1.3);
    const col = a.heatMap.hours.indexOf(17);
    const ordinary = a.heatMap.cells[0]![col]!;
    const monthEnd = a.heatMap.monthEndCells[0]![col]!;
    expect(monthEnd.arrivalsPerHour).toBeGreaterThan(ordinary.arrivalsPerHour * 1.3);
    expect(monthEnd.pWaitOver15).toBeGreaterThan(ordinary.pWaitOver15);
    // And the weekly pattern: Saturday lunch is busier than Tuesday at opening.
    const lunch = a.heatMap.hours.indexOf(12);
    const opening = a.heatMap.hours.indexOf(9);
    expect(a.heatMap.cells[5]![lunch]!.arrivalsPerHour).toBeGreaterThan(
      a.heatMap.cells[1]![opening]!.arrivalsPerHour * 2,
    );
  });
});

describe("public branch information", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start();
  });
  afterAll(() => h.close());

  it("lists branches without signing in, nearest first given a location", async () => {
    const all = await h.inject({ method: "GET", url: "/api/v1/branches" });
    expect(all.statusCode).toBe(200);
    const branches = (
      all.json() as { branches: Array<{ id: string; providerId: string; openingHours: object }> }
    ).branches;
    expect(branches).toHaveLength(10);
    for (const p of ["prv_demo_mobile", "prv_demo_bank", "prv_demo_transit"]) {
      const n = branches.filter((b) => b.providerId === p).length;
      expect(n).toBeGreaterThanOrEqual(3);
      expect(n).toBeLessThanOrEqual(4);
    }
    const near = await h.inject({
      method: "GET",
      url: "/api/v1/branches?providerId=prv_demo_transit&lat=31.2323&lng=121.4751&maxDistanceKm=5",
    });
    const list = (near.json() as { branches: Array<{ id: string; distanceKm: number }> }).branches;
    expect(list[0]).toMatchObject({ id: "brn_transit_peoples_square", distanceKm: 0 });
    expect(list.every((b) => b.distanceKm <= 5)).toBe(true);
  });

  it("estimates online processing time per provider, in words", async () => {
    const r = await h.inject({ method: "GET", url: "/api/v1/providers/prv_demo_mobile/processing-eta" });
    expect(r.statusCode).toBe(200);
    // No demo application completed in the last four weeks: the SLA (7 days) is the promise.
    expect(r.json()).toMatchObject({
      basis: "sla",
      days: D.mobileSlaDays,
      wording: { zh: "约一周", en: "about a week" },
    });
    const missing = await h.inject({ method: "GET", url: "/api/v1/providers/nope/processing-eta" });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ code: "PROVIDER_NOT_FOUND" });
  });
});
