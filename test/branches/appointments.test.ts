/** Booking, rescheduling, cancelling; the counter's check-in, service and no-show; who may do what. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { D } from "../support/demo.js";
import { DEFAULT_NOW, Harness, newKey, type Session } from "../support/harness.js";
import { auditActions, bookableSlot, slotRow } from "./helpers.js";

const XUJIAHUI = "brn_mobile_xujiahui";
const LUJIAZUI = "brn_mobile_lujiazui";
const ZHANG = D.cleanSim.phone; // 张伟
const LI = D.arrears.phone; // 李娜

interface AppointmentBody {
  appointment: {
    id: string;
    status: string;
    start: string;
    localDate: string;
    localTime: string;
    visitId: string | null;
  };
}

describe("appointments", () => {
  let h: Harness;
  let zhang: Session;
  let li: Session;
  let agent: Session;
  beforeAll(async () => {
    h = await Harness.start();
    zhang = await h.signInHolder(ZHANG);
    li = await h.signInHolder(LI);
    agent = await h.signInStaff("agent");
  });
  afterAll(() => h.close());
  beforeEach(() => {
    h.clock.t = new Date(DEFAULT_NOW);
  });

  const book = (s: Session, body: object, key = newKey("book")) =>
    h.write(s, "POST", "/api/v1/appointments", body, key);

  it("gives a holder the heat map and three recommendations, and books the first one", async () => {
    const advice = await h.inject({
      method: "GET",
      url: `/api/v1/branches/${LUJIAZUI}/advice?weekdays=1,2,3,4,5&from=09:00&to=17:00`,
      headers: zhang.headers,
    });
    expect(advice.statusCode).toBe(200);
    const a = advice.json() as {
      heatMap: { weekdays: number[]; hours: number[]; cells: unknown[][] };
      recommendations: Array<{
        start: string;
        isoWeekday: number;
        time: string;
        prediction: { level: string };
      }>;
      model: { monthEndFactor: number; thin: boolean; history: { openDays: number } };
      days: Array<{ date: string }>;
    };
    expect(a.heatMap.weekdays).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(a.heatMap.cells).toHaveLength(7);
    for (const row of a.heatMap.cells) expect(row).toHaveLength(a.heatMap.hours.length);
    expect(a.model.thin).toBe(false);
    expect(a.model.history.openDays).toBeGreaterThan(300);
    expect(a.days).toHaveLength(14);
    expect(a.recommendations).toHaveLength(3);
    for (const r of a.recommendations) {
      expect(r.isoWeekday).toBeLessThanOrEqual(5);
      expect(r.time >= "09:00" && r.time < "17:00").toBe(true);
    }

    const key = newKey("book");
    const r = await book(zhang, { branchId: LUJIAZUI, start: a.recommendations[0]!.start }, key);
    expect(r.statusCode).toBe(201);
    const booked = (r.json() as AppointmentBody).appointment;
    expect(booked).toMatchObject({ status: "booked", start: a.recommendations[0]!.start });
    expect(await auditActions(h, booked.id)).toEqual(["appointment.book"]);

    // A replay answers the same and books nothing more.
    const again = await book(zhang, { branchId: LUJIAZUI, start: a.recommendations[0]!.start }, key);
    expect(again.headers["idempotent-replayed"]).toBe("true");
    expect((again.json() as AppointmentBody).appointment.id).toBe(booked.id);
    expect((await slotRow(h, LUJIAZUI, booked.start))?.booked).toBe(1);

    // The same slot again, with a new key: the holder already holds it.
    const twice = await book(zhang, { branchId: LUJIAZUI, start: booked.start });
    expect(twice.statusCode).toBe(409);
    expect(twice.json()).toMatchObject({ code: "ALREADY_BOOKED" });

    const mine = await h.inject({ method: "GET", url: "/api/v1/me/appointments", headers: zhang.headers });
    expect(
      (mine.json() as { appointments: Array<{ id: string; branch: { code: string } }> }).appointments,
    ).toContainEqual(
      expect.objectContaining({
        id: booked.id,
        branch: expect.objectContaining({ code: "mobile-lujiazui" }),
      }),
    );
    await h.write(zhang, "POST", `/api/v1/appointments/${booked.id}/cancel`, {});
  });

  it("reschedules (the old place is given back) and refuses a full slot without moving", async () => {
    const first = await bookableSlot(h, zhang, LUJIAZUI, "2026-11-27", "10:00");
    const second = await bookableSlot(h, zhang, LUJIAZUI, "2026-11-27", "15:00");
    const id = ((await book(zhang, { branchId: LUJIAZUI, start: first.start })).json() as AppointmentBody)
      .appointment.id;

    const moved = await h.write(zhang, "POST", `/api/v1/appointments/${id}/reschedule`, {
      start: second.start,
    });
    expect(moved.statusCode).toBe(200);
    expect((moved.json() as AppointmentBody).appointment).toMatchObject({
      start: second.start,
      localTime: "15:00",
    });
    expect((await slotRow(h, LUJIAZUI, first.start))?.booked).toBe(0);
    expect((await slotRow(h, LUJIAZUI, second.start))?.booked).toBe(1);

    // Fill the first slot (capacity 2 at Lujiazui), then try to move back into it.
    const lis = ((await book(li, { branchId: LUJIAZUI, start: first.start })).json() as AppointmentBody)
      .appointment;
    await h.db
      .updateTable("branchSlots")
      .set({ capacity: 1 })
      .where("branchId", "=", LUJIAZUI)
      .where("startAt", "=", first.start)
      .execute();
    const full = await h.write(zhang, "POST", `/api/v1/appointments/${id}/reschedule`, {
      start: first.start,
    });
    expect(full.statusCode).toBe(409);
    expect(full.json()).toMatchObject({ code: "SLOT_FULL" });
    const row = await h.db
      .selectFrom("appointments")
      .selectAll()
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    expect(row.slotStart).toBe(second.start);
    expect(await auditActions(h, id)).toEqual(["appointment.book", "appointment.reschedule"]);

    const cancelled = await h.write(zhang, "POST", `/api/v1/appointments/${id}/cancel`, {
      reason: "plans changed",
    });
    expect(cancelled.statusCode).toBe(200);
    expect((cancelled.json() as AppointmentBody).appointment.status).toBe("cancelled");
    expect((await slotRow(h, LUJIAZUI, second.start))?.booked).toBe(0);
    const twice = await h.write(zhang, "POST", `/api/v1/appointments/${id}/cancel`, {});
    expect(twice.json()).toMatchObject({ code: "TRANSITION_NOT_ALLOWED" });
    expect(await auditActions(h, id)).toEqual([
      "appointment.book",
      "appointment.reschedule",
      "appointment.cancel",
    ]);
    await h.write(li, "POST", `/api/v1/appointments/${lis.id}/cancel`, {});
  });

  it("limits a holder to three upcoming bookings", async () => {
    const ids: string[] = [];
    for (const date of ["2026-12-01", "2026-12-02", "2026-12-03"]) {
      const slot = await bookableSlot(h, zhang, XUJIAHUI, date, "10:00");
      const r = await book(zhang, { branchId: XUJIAHUI, start: slot.start });
      expect(r.statusCode).toBe(201);
      ids.push((r.json() as AppointmentBody).appointment.id);
    }
    const slot = await bookableSlot(h, zhang, XUJIAHUI, "2026-12-04", "10:00");
    const r = await book(zhang, { branchId: XUJIAHUI, start: slot.start });
    expect(r.statusCode).toBe(409);
    expect(r.json()).toMatchObject({ code: "APPOINTMENT_LIMIT_REACHED" });
    for (const id of ids) await h.write(zhang, "POST", `/api/v1/appointments/${id}/cancel`, {});
  });

  it("refuses a time that is not a slot, and an application of another provider", async () => {
    const off = await book(zhang, { branchId: LUJIAZUI, start: "2026-11-25T01:10:00Z" });
    expect(off.statusCode).toBe(422);
    expect(off.json()).toMatchObject({ code: "SLOT_NOT_AVAILABLE", params: { reason: "off_grid" } });
    const app = await h.submitted(zhang, D.cleanDebit.card, { backup: { status: "waived", note: "none" } });
    const slot = await bookableSlot(h, zhang, LUJIAZUI, "2026-11-25", "09:00");
    const wrong = await book(zhang, { branchId: LUJIAZUI, start: slot.start, applicationId: app.id });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.json()).toMatchObject({ code: "BRANCH_WRONG_PROVIDER" });
    const bank = await bookableSlot(h, zhang, "brn_bank_jingan", "2026-11-25", "09:00");
    const right = await book(zhang, {
      branchId: "brn_bank_jingan",
      start: bank.start,
      applicationId: app.id,
    });
    expect(right.statusCode).toBe(201);
    const id = (right.json() as AppointmentBody).appointment.id;
    const audit = await h.db
      .selectFrom("auditEvents")
      .selectAll()
      .where("entityId", "=", id)
      .executeTakeFirstOrThrow();
    expect(audit.applicationId).toBe(app.id);
    await h.write(zhang, "POST", `/api/v1/appointments/${id}/cancel`, {});
  });

  it("takes a holder through the counter: check-in, call, served; the observation feeds the model", async () => {
    const slot = await bookableSlot(h, zhang, LUJIAZUI, "2026-11-24", "11:00");
    const id = ((await book(zhang, { branchId: LUJIAZUI, start: slot.start })).json() as AppointmentBody)
      .appointment.id;
    const loadBefore = await h.db
      .selectFrom("branchHourlyLoad")
      .selectAll()
      .where("branchId", "=", LUJIAZUI)
      .where("localDate", "=", "2026-11-24")
      .execute();
    expect(loadBefore).toEqual([]);

    h.clock.advance(55 * 60_000); // 10:55
    const checkIn = await h.write(agent, "POST", `/api/v1/appointments/${id}/check-in`, {});
    expect(checkIn.statusCode).toBe(200);
    const { visit } = checkIn.json() as { visit: { id: string; status: string } };
    expect(visit.status).toBe("waiting");

    const today = await h.inject({
      method: "GET",
      url: `/api/v1/branches/${LUJIAZUI}/today`,
      headers: agent.headers,
    });
    expect(today.statusCode).toBe(200);
    const t = today.json() as {
      date: string;
      appointments: Array<{
        id: string;
        status: string;
        holder: { nameMasked: string; phoneMasked: string };
      }>;
      queue: { waiting: number };
      forecast: Array<{ hour: number; expectedWaitMinutes: number | null }>;
    };
    expect(t.date).toBe("2026-11-24");
    const mine = t.appointments.find((a) => a.id === id)!;
    expect(mine.status).toBe("checked_in");
    expect(mine.holder.phoneMasked).not.toContain(ZHANG.slice(3, 7));
    expect(mine.holder.nameMasked).toContain("*");
    expect(t.queue.waiting).toBe(1);
    expect(t.forecast.length).toBeGreaterThan(5);

    h.clock.advance(7 * 60_000); // called after 7 minutes
    const start = await h.write(agent, "POST", `/api/v1/visits/${visit.id}/start`, { counter: 2 });
    expect(start.statusCode).toBe(200);
    h.clock.advance(13 * 60_000); // served in 13 minutes
    const served = await h.write(agent, "POST", `/api/v1/visits/${visit.id}/served`, {});
    expect(served.statusCode).toBe(200);
    expect(served.json()).toMatchObject({
      visit: { status: "served", counter: 2, waitedMinutes: 7, serviceMinutes: 13 },
      appointment: { id, status: "served" },
    });
    const load = await h.db
      .selectFrom("branchHourlyLoad")
      .selectAll()
      .where("branchId", "=", LUJIAZUI)
      .where("localDate", "=", "2026-11-24")
      .executeTakeFirstOrThrow();
    expect(load).toMatchObject({
      hour: 10,
      profileWeekday: 2,
      arrivals: 1,
      served: 1,
      serviceCount: 1,
      waitCount: 1,
    });
    expect(Number(load.serviceSeconds)).toBe(13 * 60);
    expect(Number(load.waitSeconds)).toBe(7 * 60);
    expect(await auditActions(h, id)).toEqual(["appointment.book", "appointment.check_in"]);
    expect(await auditActions(h, visit.id)).toEqual(["visit.start", "visit.serve"]);

    const servedAgain = await h.write(agent, "POST", `/api/v1/visits/${visit.id}/served`, {});
    expect(servedAgain.json()).toMatchObject({ code: "TRANSITION_NOT_ALLOWED" });
  });

  it("records walk-ins as demand too", async () => {
    const r = await h.write(agent, "POST", `/api/v1/branches/${XUJIAHUI}/walk-ins`, {});
    expect(r.statusCode).toBe(201);
    const { visit } = r.json() as { visit: { id: string } };
    const served = await h.write(agent, "POST", `/api/v1/visits/${visit.id}/served`, { counter: 1 });
    expect(served.json()).toMatchObject({
      visit: { status: "served", serviceMinutes: null },
      appointment: null,
    });
    const load = await h.db
      .selectFrom("branchHourlyLoad")
      .selectAll()
      .where("branchId", "=", XUJIAHUI)
      .where("localDate", "=", "2026-11-24")
      .where("hour", "=", 10)
      .executeTakeFirstOrThrow();
    expect(load).toMatchObject({ arrivals: 1, served: 1, serviceCount: 0 });
    expect(await auditActions(h, visit.id)).toEqual(["visit.walk_in", "visit.serve"]);
  });

  it("checks in only on the appointment's day, and marks a no-show only after the slot and 15 minutes", async () => {
    const tomorrow = await bookableSlot(h, li, LUJIAZUI, "2026-11-25", "09:00");
    const later = ((await book(li, { branchId: LUJIAZUI, start: tomorrow.start })).json() as AppointmentBody)
      .appointment.id;
    const early = await h.write(agent, "POST", `/api/v1/appointments/${later}/check-in`, {});
    expect(early.statusCode).toBe(409);
    expect(early.json()).toMatchObject({ code: "APPOINTMENT_NOT_DUE" });

    const slot = await bookableSlot(h, li, LUJIAZUI, "2026-11-24", "10:30");
    const id = ((await book(li, { branchId: LUJIAZUI, start: slot.start })).json() as AppointmentBody)
      .appointment.id;
    const tooSoon = await h.write(agent, "POST", `/api/v1/appointments/${id}/no-show`, {});
    expect(tooSoon.json()).toMatchObject({ code: "APPOINTMENT_NOT_DUE" });
    h.clock.t = new Date(Date.parse(slot.start) + 45 * 60_000); // the slot ended 15 minutes ago
    const cancelLate = await h.write(li, "POST", `/api/v1/appointments/${id}/cancel`, {});
    expect(cancelLate.json()).toMatchObject({ code: "APPOINTMENT_PAST" });
    const noShow = await h.write(agent, "POST", `/api/v1/appointments/${id}/no-show`, {});
    expect(noShow.statusCode).toBe(200);
    expect((noShow.json() as AppointmentBody).appointment.status).toBe("no_show");
    expect(await auditActions(h, id)).toEqual(["appointment.book", "appointment.no_show"]);
    await h.write(li, "POST", `/api/v1/appointments/${later}/cancel`, {});
  });
});

describe("who may do what with appointments", () => {
  let h: Harness;
  let zhang: Session;
  let li: Session;
  let agent: Session;
  let bankAgent: Session;
  let appointmentId: string;
  beforeAll(async () => {
    h = await Harness.start();
    zhang = await h.signInHolder(ZHANG);
    li = await h.signInHolder(LI);
    agent = await h.signInStaff("agent");
    bankAgent = await h.signInProviderAgent("bank-agent", "prv_demo_bank");
    const slot = await bookableSlot(h, zhang, XUJIAHUI, "2026-11-24", "11:00");
    const r = await h.write(zhang, "POST", "/api/v1/appointments", { branchId: XUJIAHUI, start: slot.start });
    appointmentId = (r.json() as AppointmentBody).appointment.id;
  });
  afterAll(() => h.close());

  it("answers malformed constraints with 400, never 500 (found by the HTTP fuzz run)", async () => {
    for (const q of [
      "from=x&to=y",
      "from=25:00",
      "weekdays=8",
      "lat=31",
      "maxDistanceKm=5",
      "from=12:00&to=09:00",
    ]) {
      for (const path of [`/api/v1/branches/${XUJIAHUI}/advice`, "/api/v1/recommendations"]) {
        const r = await h.inject({ method: "GET", url: `${path}?${q}`, headers: zhang.headers });
        expect(r.statusCode, `${path}?${q}`).toBe(400);
      }
    }
  });

  it("hides a holder's appointment from other holders, like a missing one", async () => {
    const read = await h.inject({
      method: "GET",
      url: `/api/v1/appointments/${appointmentId}`,
      headers: li.headers,
    });
    expect(read.statusCode).toBe(404);
    expect(read.json()).toMatchObject({ code: "APPOINTMENT_NOT_FOUND" });
    const cancel = await h.write(li, "POST", `/api/v1/appointments/${appointmentId}/cancel`, {});
    expect(cancel.json()).toMatchObject({ code: "APPOINTMENT_NOT_FOUND" });
    const own = await h.inject({
      method: "GET",
      url: `/api/v1/appointments/${appointmentId}`,
      headers: zhang.headers,
    });
    expect(own.statusCode).toBe(200);
  });

  it("lets holders book and staff work the counter, not the other way round", async () => {
    const staffBooks = await h.write(agent, "POST", "/api/v1/appointments", {
      branchId: XUJIAHUI,
      start: "2026-11-25T01:00:00Z",
    });
    expect(staffBooks.statusCode).toBe(403);
    expect(staffBooks.json()).toMatchObject({ code: "FORBIDDEN", params: { action: "appointment.book" } });
    const holderChecksIn = await h.write(zhang, "POST", `/api/v1/appointments/${appointmentId}/check-in`, {});
    expect(holderChecksIn.statusCode).toBe(403);
    const holderCounter = await h.inject({
      method: "GET",
      url: `/api/v1/branches/${XUJIAHUI}/today`,
      headers: zhang.headers,
    });
    expect(holderCounter.statusCode).toBe(403);
    const anonymous = await h.inject({ method: "GET", url: `/api/v1/branches/${XUJIAHUI}/advice` });
    expect(anonymous.statusCode).toBe(401);
  });

  it("keeps staff of one provider to that provider's branches", async () => {
    const other = await h.inject({
      method: "GET",
      url: `/api/v1/branches/${XUJIAHUI}/today`,
      headers: bankAgent.headers,
    });
    expect(other.statusCode).toBe(404);
    expect(other.json()).toMatchObject({ code: "BRANCH_NOT_FOUND" });
    const checkIn = await h.write(bankAgent, "POST", `/api/v1/appointments/${appointmentId}/check-in`, {});
    expect(checkIn.json()).toMatchObject({ code: "APPOINTMENT_NOT_FOUND" });
    const own = await h.inject({
      method: "GET",
      url: "/api/v1/branches/brn_bank_jingan/today",
      headers: bankAgent.headers,
    });
    expect(own.statusCode).toBe(200);
    const recs = await h.inject({
      method: "GET",
      url: "/api/v1/recommendations",
      headers: bankAgent.headers,
    });
    const branches = (recs.json() as { branches: Array<{ providerId: string }> }).branches;
    expect(branches.length).toBe(3);
    expect(branches.every((b) => b.providerId === "prv_demo_bank")).toBe(true);
  });
});
