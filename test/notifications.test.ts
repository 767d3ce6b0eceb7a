import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { verifyReceipt } from "../src/receipts/verify.js";
import { D } from "./support/demo.js";
import { type FakeGateway, startFakeGateway } from "./support/fake-sms-gateway.js";
import { Harness, type Session } from "./support/harness.js";
import { type SmtpSink, startSmtpSink } from "./support/smtp-sink.js";

const EMAIL = "zhang.wei@example.com";

async function chooseEmail(h: Harness, holder: Session, channels = ["sms", "email"]) {
  const r = await h.inject({
    method: "PUT",
    url: "/api/v1/me/notifications",
    payload: { channels, email: EMAIL },
    headers: { ...holder.headers, "idempotency-key": `prefs-${Date.now()}-${Math.random()}` },
  });
  expect(r.statusCode, r.body).toBe(200);
  return r.json();
}

async function timeline(h: Harness, session: Session, id: string) {
  const r = await h.inject({ method: "GET", url: `/api/v1/applications/${id}`, headers: session.headers });
  return r.json().timeline as Array<{ action: string; reason: string | null; comment: string | null }>;
}

async function submittedSms(h: Harness, phone: string) {
  return (await h.outbox()).filter((m) => m.to === phone && m.template === "submitted");
}

describe("notifications by SMS and e-mail from the outbox", () => {
  let sink: SmtpSink;
  let h: Harness;
  beforeEach(async () => {
    sink = await startSmtpSink();
    h = await Harness.start({ env: { ZHUXIAO_SMTP_URL: sink.url } });
  });
  afterEach(async () => {
    await h.close();
    await sink.close();
  });

  it("e-mails the receipt PDF to a real SMTP server once, and puts each delivery in the timeline", async () => {
    const holder = await h.signInHolder(D.cleanDebit.phone);
    expect(await chooseEmail(h, holder)).toEqual({
      channels: ["sms", "email"],
      email: EMAIL,
      language: "zh-CN",
    });
    const app = await h.submitted(holder, D.cleanDebit.card, { backup: { status: "done" } });
    await h.rt.worker.drain();

    expect(sink.received).toHaveLength(1);
    const mail = sink.received[0]!;
    expect(mail.to).toEqual([EMAIL]);
    expect(mail.subject).toContain(app.number);
    expect(mail.subject).toContain("回执");
    expect(mail.text).toContain(app.number);
    const row = await h.db
      .selectFrom("applications")
      .select("version")
      .where("id", "=", app.id)
      .executeTakeFirstOrThrow();
    // Deterministic: the message key decides the Message-ID, so a resend is recognisably the same message.
    expect(mail.messageId).toBe(`<email.${app.id}.submitted.${row.version}@zhuxiao.invalid>`);
    expect(mail.attachments).toHaveLength(1);
    const pdf = mail.attachments[0]!;
    expect(pdf).toMatchObject({ filename: `${app.number}-receipt.pdf`, contentType: "application/pdf" });
    const verdict = await verifyReceipt(pdf.content, h.rt.deps.signingKeys.jwks());
    expect(verdict).toMatchObject({
      valid: true,
      payload: { kind: "receipt", application: { number: app.number } },
    });

    expect(await submittedSms(h, D.cleanDebit.phone)).toHaveLength(1);
    const delivered = (await timeline(h, holder, app.id)).filter(
      (e) => e.action === "notification.delivered",
    );
    expect(delivered.map((e) => [e.reason, e.comment]).sort()).toEqual([
      ["email", "submitted"],
      ["sms", "submitted"],
    ]);

    // Draining again sends nothing more.
    await h.rt.worker.drain();
    expect(sink.received).toHaveLength(1);
    expect(await submittedSms(h, D.cleanDebit.phone)).toHaveLength(1);
  });

  it("sends nothing twice: a second enqueue is a no-op, and a rerun of a delivered job sends nothing", async () => {
    const holder = await h.signInHolder(D.cleanDebit.phone);
    await chooseEmail(h, holder, ["email"]);
    const app = await h.submitted(holder, D.cleanDebit.card, { backup: { status: "done" } });
    const jobs = await h.db
      .selectFrom("jobs")
      .select(["dedupeKey", "task"])
      .where("task", "like", "notify.%")
      .execute();
    const mine = jobs.filter((j) => j.dedupeKey.includes(app.id));
    // E-mail only: no SMS job for the holder who chose e-mail.
    expect(mine.map((j) => j.task)).toEqual(["notify.email"]);
    const { notifyHolder } = await import("../src/app/transition.js");
    const current = await h.db
      .selectFrom("applications")
      .selectAll()
      .where("id", "=", app.id)
      .executeTakeFirstOrThrow();
    await h.db
      .transaction()
      .execute((tx) => notifyHolder({ ...h.rt.deps, db: tx }, tx, current, "submitted", {}));
    expect(
      (await h.db.selectFrom("jobs").select("id").where("dedupeKey", "like", `%${app.id}%`).execute()).length,
    ).toBe(1);
    await h.rt.worker.drain();
    expect(sink.received).toHaveLength(1);
    // As if a worker had died after sending but before its job was marked: the job runs again.
    await h.db
      .updateTable("jobs")
      .set({ status: "pending" })
      .where("dedupeKey", "like", `email:${app.id}%`)
      .execute();
    await h.rt.worker.drain();
    expect(sink.received).toHaveLength(1);
    expect(await submittedSms(h, D.cleanDebit.phone)).toHaveLength(0);
  });

  it("holds SMS over quiet hours in the provider's zone; sign-in codes and e-mail go at once", async () => {
    // 22:30 in Shanghai.
    h.clock.t = new Date("2026-11-24T14:30:00Z");
    const holder = await h.signInHolder(D.cleanDebit.phone);
    await chooseEmail(h, holder);
    const app = await h.submitted(holder, D.cleanDebit.card, { backup: { status: "done" } });
    expect(await submittedSms(h, D.cleanDebit.phone)).toHaveLength(0);
    expect(sink.received).toHaveLength(1);
    const job = await h.db
      .selectFrom("jobs")
      .selectAll()
      .where("dedupeKey", "like", `sms:${app.id}:submitted:%`)
      .executeTakeFirstOrThrow();
    expect(job).toMatchObject({ status: "pending", runAt: "2026-11-25T00:00:00.000Z", attempts: 0 });
    h.clock.t = new Date("2026-11-25T00:00:30Z");
    expect(await submittedSms(h, D.cleanDebit.phone)).toHaveLength(1);
  });

  it("defers an SMS that comes due at night to 08:00 without counting a failed try", async () => {
    const agent = await h.signInStaff("agent");
    const holder = await h.signInHolder(D.cleanDebit.phone);
    const app = await h.submitted(holder, D.cleanDebit.card, { backup: { status: "done" } });
    await h.rt.worker.drain();
    // Approved in the day; the worker only gets to it at 23:10.
    const r = await h.write(agent, "POST", `/api/v1/applications/${app.id}/start_review`);
    expect(r.statusCode).toBe(200);
    await h.write(agent, "POST", `/api/v1/applications/${app.id}/approve`);
    h.clock.t = new Date("2026-11-24T15:10:00Z");
    await h.rt.worker.drain();
    const approved = await h.db
      .selectFrom("jobs")
      .selectAll()
      .where("dedupeKey", "like", `sms:${app.id}:approved:%`)
      .executeTakeFirstOrThrow();
    expect(approved).toMatchObject({ status: "pending", runAt: "2026-11-25T00:00:00.000Z", attempts: 0 });
    expect((await h.outbox()).filter((m) => m.template === "approved")).toHaveLength(0);
  });

  it("records a final refusal as notification.failed, and retries a temporary one until it is accepted", async () => {
    const holder = await h.signInHolder(D.cleanDebit.phone);
    await chooseEmail(h, holder, ["email"]);
    sink.reply = () => ({ code: 550, message: "5.1.1 no such mailbox" });
    const app = await h.submitted(holder, D.cleanDebit.card, { backup: { status: "done" } });
    await h.rt.worker.drain();
    expect(sink.received).toHaveLength(0);
    const failed = (await timeline(h, holder, app.id)).filter((e) => e.action === "notification.failed");
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ reason: "email" });
    // The mail server's answer is for staff; the holder's timeline names only the message.
    expect(failed[0]!.comment).toBe("submitted");
    const supervisor = await h.signInStaff("supervisor");
    const staffSees = (await timeline(h, supervisor, app.id)).find((e) => e.action === "notification.failed");
    expect(staffSees!.comment).toContain("550");
    const job = await h.db
      .selectFrom("jobs")
      .selectAll()
      .where("dedupeKey", "like", `email:${app.id}%`)
      .executeTakeFirstOrThrow();
    expect(job).toMatchObject({ status: "done", attempts: 1 });

    // A temporary refusal (4xx) is retried by the outbox.
    let tries = 0;
    sink.reply = () => (++tries < 3 ? { code: 451, message: "4.3.0 try again later" } : undefined);
    const agent = await h.signInStaff("agent");
    await h.write(agent, "POST", `/api/v1/applications/${app.id}/start_review`);
    await h.write(agent, "POST", `/api/v1/applications/${app.id}/request_info`, {
      message: "请补充身份证复印件",
    });
    await h.rt.worker.drain();
    expect(sink.received.map((m) => m.subject)).toEqual([expect.stringContaining("需要补充信息")]);
    expect(sink.received[0]!.text).toContain("请补充身份证复印件");
    const delivered = (await timeline(h, holder, app.id)).filter(
      (e) => e.action === "notification.delivered",
    );
    expect(delivered.map((e) => e.comment)).toEqual(["info_requested"]);
  });

  it("writes in the holder's language", async () => {
    const holder = await h.signInHolder(D.cleanDebit.phone);
    await h.write(holder, "PATCH", "/api/v1/me", { language: "en" });
    await chooseEmail(h, holder);
    const app = await h.submitted(holder, D.cleanDebit.card, { backup: { status: "done" } });
    await h.rt.worker.drain();
    expect(sink.received[0]!.subject).toBe(
      `[zhuxiao] Application submitted, receipt attached: ${app.number}`,
    );
    expect(sink.received[0]!.text).toContain("Your receipt is attached as a PDF");
    expect((await submittedSms(h, D.cleanDebit.phone))[0]!.text).toMatch(
      /^\[zhuxiao\] Your cancellation application/,
    );
  });

  it("refuses e-mail as a channel without an address", async () => {
    const holder = await h.signInHolder(D.cleanDebit.phone);
    const r = await h.inject({
      method: "PUT",
      url: "/api/v1/me/notifications",
      payload: { channels: ["email"] },
      headers: { ...holder.headers, "idempotency-key": "prefs-no-email-1" },
    });
    expect(r.statusCode).toBe(422);
    expect(r.json().code).toBe("EMAIL_REQUIRED");
    const g = await h.inject({ method: "GET", url: "/api/v1/me/notifications", headers: holder.headers });
    expect(g.json()).toEqual({ channels: ["sms"], email: null, language: "zh-CN" });
  });
});

describe("SMS through an HTTP gateway", () => {
  let gw: FakeGateway;
  let h: Harness;
  beforeEach(async () => {
    gw = await startFakeGateway();
    h = await Harness.start({
      env: { ZHUXIAO_SMS_GATEWAY_URL: gw.url, ZHUXIAO_SMS_GATEWAY_TOKEN: "gateway-token-123" },
    });
  });
  afterEach(async () => {
    await h.close();
    await gw.close();
  });

  it("retries a failing gateway with the same key, delivers once, and records it", async () => {
    const agent = await h.signInStaff("agent");
    gw.statuses = [503, 502];
    const r = await h.write(agent, "POST", "/api/v1/applications", {
      cardId: D.cleanDebit.card,
      submit: true,
      backup: { status: "waived", note: "nothing to keep" },
    });
    expect(r.statusCode, r.body).toBe(201);
    const app = r.json().application as { id: string; number: string };
    await h.rt.worker.drain();
    expect(gw.requests).toHaveLength(3);
    expect(new Set(gw.requests.map((q) => q.headers["idempotency-key"])).size).toBe(1);
    expect(gw.requests[2]!.body).toMatchObject({ to: D.cleanDebit.phone });
    expect(gw.requests[2]!.body.text).toContain(app.number);
    const events = await h.db
      .selectFrom("auditEvents")
      .select(["action", "reason"])
      .where("applicationId", "=", app.id)
      .where("action", "like", "notification.%")
      .execute();
    expect(events).toEqual([{ action: "notification.delivered", reason: "sms" }]);
    await h.rt.worker.drain();
    expect(gw.requests).toHaveLength(3);
  });
});

describe("quarantine ending", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await Harness.start();
  });
  afterEach(() => h.close());

  it("tells the former holder once, a week before the number leaves quarantine", async () => {
    const notices = async () => (await h.outbox()).filter((m) => m.template === "quarantine_ending");
    expect(await notices()).toEqual([]);
    const card = await h.db
      .selectFrom("cards")
      .select("quarantineUntil")
      .where("id", "=", D.cancelled.card)
      .executeTakeFirstOrThrow();
    // Six days before the end, in the afternoon (outside quiet hours).
    h.clock.t = new Date(new Date(card.quarantineUntil!).getTime() - 6 * 86_400_000);
    h.clock.t.setUTCHours(6);
    const first = await notices();
    expect(first).toHaveLength(1);
    expect(first[0]).toMatchObject({ to: D.cancelled.phone });
    expect(first[0]!.text).toContain("138****6674");
    expect(first[0]!.text).toContain(D.cancelled.applicationNumber);
    h.clock.advance(3 * 3_600_000);
    expect(await notices()).toHaveLength(1);
  });
});

describe("the e-mail address is personal data", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await Harness.start();
  });
  afterEach(() => h.close());

  it("is exported with the holder's data and removed when the holder is erased", async () => {
    const { eraseHolder, exportHolder } = await import("../src/app/holder-data.js");
    const { SYSTEM_ACTOR } = await import("../src/app/context.js");
    const holder = await h.signInHolder(D.cleanDebit.phone);
    await chooseEmail(h, holder);
    const data = await exportHolder(h.rt.deps, SYSTEM_ACTOR, { holder: D.cleanDebit.phone });
    expect(data.holder).toMatchObject({ email: EMAIL, notifyChannels: "sms,email" });
    await eraseHolder(h.rt.deps, SYSTEM_ACTOR, { holder: D.cleanDebit.phone });
    const row = await h.db
      .selectFrom("holders")
      .select(["email", "notifyChannels"])
      .where("id", "=", "hld_demo_zhang_wei")
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ email: null, notifyChannels: "sms" });
  });
});
