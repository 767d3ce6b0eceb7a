/** The day-before appointment reminder: once per appointment, in the branch's zone, after quiet hours. */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { scheduledHandlers } from "../src/app/scheduled/handlers.js";
import { remindAppointments } from "../src/notify/appointment-reminder.js";
import { bookableSlot } from "./branches/helpers.js";
import { D } from "./support/demo.js";
import { DEFAULT_NOW, Harness, newKey, type Session } from "./support/harness.js";

const LUJIAZUI = "brn_mobile_lujiazui";

describe("appointment reminders", () => {
  let h: Harness;
  let zhang: Session;
  beforeEach(async () => {
    h = await Harness.start();
    zhang = await h.signInHolder(D.cleanSim.phone);
  });
  afterEach(() => h.close());

  async function book(date: string, notBefore: string, applicationId?: string): Promise<string> {
    const slot = await bookableSlot(h, zhang, LUJIAZUI, date, notBefore);
    const r = await h.write(
      zhang,
      "POST",
      "/api/v1/appointments",
      { branchId: LUJIAZUI, start: slot.start, ...(applicationId ? { applicationId } : {}) },
      newKey("book"),
    );
    expect(r.statusCode, r.body).toBe(201);
    return r.json().appointment.id as string;
  }

  const reminderJobs = () =>
    h.db
      .selectFrom("jobs")
      .selectAll()
      .where("task", "like", "notify.%")
      .where("dedupeKey", "like", "%appointment%")
      .execute();

  it("is run by the scheduler", () => {
    expect(Object.keys(scheduledHandlers(h.rt.deps))).toContain("scheduled.appointment_reminders");
  });

  it("reminds once, the day before in the branch's zone, holding the SMS over quiet hours", async () => {
    // DEFAULT_NOW is Tuesday 2026-11-24 10:00 in Shanghai; the appointment is on Thursday.
    expect(DEFAULT_NOW.toISOString()).toBe("2026-11-24T02:00:00.000Z");
    const draft = await h.write(zhang, "POST", "/api/v1/applications", { cardId: D.cleanSim.card });
    expect(draft.statusCode, draft.body).toBe(201);
    const applicationId = draft.json().application.id as string;
    const number = draft.json().application.number as string;
    await book("2026-11-26", "10:00", applicationId);

    // Two days before: nothing yet.
    await remindAppointments(h.rt.deps);
    expect(await reminderJobs()).toHaveLength(0);

    // Wednesday 21:30 in Shanghai: the day before, but inside the SMS quiet hours (21:00–08:00).
    h.clock.t = new Date("2026-11-25T13:30:00Z");
    await remindAppointments(h.rt.deps);
    await remindAppointments(h.rt.deps);
    const jobs = await reminderJobs();
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({ task: "notify.sms", runAt: "2026-11-26T00:00:00.000Z" });
    expect((await h.outbox()).filter((m) => m.template === "appointment_reminder")).toHaveLength(0);

    // 08:00 on Thursday the quiet hours end and the reminder goes out, once.
    h.clock.t = new Date("2026-11-26T00:00:00Z");
    await remindAppointments(h.rt.deps);
    const sent = (await h.outbox()).filter((m) => m.template === "appointment_reminder");
    expect(sent).toHaveLength(1);
    expect(sent[0]!.to).toBe(D.cleanSim.phone);
    expect(sent[0]!.text).toContain("陆家嘴营业厅");
    expect(sent[0]!.text).toContain("2026-11-26 10:");
    expect(sent[0]!.text).toContain(number);

    // In the application's timeline, as the holder reads it (signed in again: two days went by).
    const again = await h.signInHolder(D.cleanSim.phone);
    const view = await h.inject({
      method: "GET",
      url: `/api/v1/applications/${applicationId}`,
      headers: again.headers,
    });
    const delivered = (view.json().timeline as Array<{ action: string; comment: string | null }>).filter(
      (e) => e.action === "notification.delivered",
    );
    expect(delivered.map((e) => e.comment)).toEqual(["appointment_reminder"]);
  });

  it("reminds of an appointment booked before any application, without naming one", async () => {
    await book("2026-11-26", "14:00");
    h.clock.t = new Date("2026-11-25T02:00:00Z");
    await remindAppointments(h.rt.deps);
    h.clock.advance(3_600_000);
    await remindAppointments(h.rt.deps);
    const sent = (await h.outbox()).filter((m) => m.template === "appointment_reminder");
    expect(sent).toHaveLength(1);
    expect(sent[0]!.text).toMatch(
      /^【注销服务】提醒：您已预约 2026-11-26 14:\d\d 在陆家嘴营业厅办理注销业务，/,
    );
  });

  it("does not remind of a cancelled appointment", async () => {
    const id = await book("2026-11-26", "10:00");
    const cancel = await h.write(zhang, "POST", `/api/v1/appointments/${id}/cancel`, {});
    expect(cancel.statusCode, cancel.body).toBe(200);
    h.clock.t = new Date("2026-11-25T02:00:00Z");
    await remindAppointments(h.rt.deps);
    expect(await reminderJobs()).toHaveLength(0);
  });
});
