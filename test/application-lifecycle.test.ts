import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { D } from "./support/demo.js";
import { Harness, newKey, type Session } from "./support/harness.js";

/** The draft fields that make the clean SIM submittable: backup, every binding resolved, balance. */
async function readySimFields(h: Harness, holder: Session) {
  const r = await h.inject({
    method: "GET",
    url: `/api/v1/cards/${D.cleanSim.card}/eligibility`,
    headers: holder.headers,
  });
  const bindings = (r.json() as { bindings: Array<{ id: string }> }).bindings;
  return {
    backup: { status: "done" as const },
    unbinding: bindings.map((b, i) =>
      i === 0
        ? { bindingId: b.id, state: "skipped" as const, reason: "account closed already" }
        : { bindingId: b.id, state: "unbound" as const },
    ),
    balanceOption: "refund" as const,
  };
}

describe("an application's whole life over HTTP", () => {
  let h: Harness;
  let holder: Session;
  beforeEach(async () => {
    h = await Harness.start();
    holder = await h.signInHolder(D.cleanSim.phone);
  });
  afterEach(() => h.close());

  it("goes from draft to closed, with a timeline, notifications and the card cancelled", async () => {
    const fields = await readySimFields(h, holder);
    const created = await h.write(holder, "POST", "/api/v1/applications", {
      cardId: D.cleanSim.card,
      reason: "moving abroad",
    });
    expect(created.statusCode).toBe(201);
    const app = created.json().application as { id: string; number: string; status: string };
    expect(app.status).toBe("draft");
    expect(app.number).toMatch(/^ZX\d{6}[0-9A-Z]{6}$/);

    expect((await h.write(holder, "PATCH", `/api/v1/applications/${app.id}`, fields)).statusCode).toBe(200);
    // Demo Mobile asks for no copies online (ID is checked by the sign-in and the ID number).
    expect(await h.uploadMissingDocuments(holder, app.id)).toEqual([]);
    const submitted = await h.write(holder, "POST", `/api/v1/applications/${app.id}/submit`);
    expect(submitted.statusCode).toBe(200);
    expect(submitted.json().application).toMatchObject({
      status: "submitted",
      channel: "online",
      requestedDate: "2026-11-24",
    });
    expect(submitted.json().application.dueAt).toBe(
      new Date(h.clock.now().getTime() + D.mobileSlaDays * 86_400_000).toISOString(),
    );

    let card = await h.db
      .selectFrom("cards")
      .selectAll()
      .where("id", "=", D.cleanSim.card)
      .executeTakeFirstOrThrow();
    expect(card.status).toBe("pending_cancellation");

    const agent = await h.signInStaff("agent");
    for (const action of ["start_review", "approve", "start_processing", "complete"]) {
      const r = await h.write(agent, "POST", `/api/v1/applications/${app.id}/${action}`);
      expect(r.statusCode, `${action}: ${r.body}`).toBe(200);
    }
    card = await h.db
      .selectFrom("cards")
      .selectAll()
      .where("id", "=", D.cleanSim.card)
      .executeTakeFirstOrThrow();
    expect(card).toMatchObject({ status: "cancelled", numberStatus: "quarantined" });
    expect(card.quarantineUntil).toBe(new Date(h.clock.now().getTime() + 90 * 86_400_000).toISOString());

    const closed = await h.write(holder, "POST", `/api/v1/applications/${app.id}/close`, { how: "declared" });
    expect(closed.statusCode).toBe(200);
    expect(closed.json().application.status).toBe("closed");

    const view = await h.inject({
      method: "GET",
      url: `/api/v1/applications/${app.id}`,
      headers: holder.headers,
    });
    const actions = (view.json().timeline as Array<{ action: string }>).map((e) => e.action);
    expect(actions).toEqual([
      "application.create",
      "application.update_draft",
      "application.submit",
      "application.start_review",
      "application.approve",
      "application.start_processing",
      "application.complete",
      "application.close",
    ]);

    const sms = (await h.outbox()).filter((m) => m.to === D.cleanSim.phone && !m.template.startsWith("otp"));
    expect(sms.map((m) => m.template)).toEqual(["submitted", "approved", "completed", "closed"]);
    expect(sms[0]?.text).toContain(app.number);
  });

  it("hands the existing application back on a second try", async () => {
    const first = await h.submitted(holder, D.cleanSim.card, await readySimFields(h, holder));
    const again = await h.write(holder, "POST", "/api/v1/applications", {
      cardId: D.cleanSim.card,
      reason: "again",
    });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({
      created: false,
      application: { id: first.id, status: "submitted" },
    });
    expect(again.headers.location).toBe(`/api/v1/applications/${first.id}`);
    const n = await h.db
      .selectFrom("applications")
      .select("id")
      .where("cardId", "=", D.cleanSim.card)
      .execute();
    expect(n).toHaveLength(1);
  });

  it("submits in one call at a counter, where staff see the documents themselves", async () => {
    const agent = await h.signInStaff("agent");
    const r = await h.write(agent, "POST", "/api/v1/applications", {
      cardId: D.cleanSim.card,
      submit: true,
      ...(await readySimFields(h, holder)),
    });
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json().application).toMatchObject({ status: "submitted", channel: "counter" });
  });

  it("replays a stored response for a repeated Idempotency-Key and refuses the key for another body", async () => {
    const key = newKey("same");
    const body = { cardId: D.cleanSim.card };
    const first = await h.write(holder, "POST", "/api/v1/applications", body, key);
    const replay = await h.write(holder, "POST", "/api/v1/applications", body, key);
    expect(first.statusCode).toBe(201);
    expect(replay.statusCode).toBe(201);
    expect(replay.headers["idempotent-replayed"]).toBe("true");
    expect(replay.json()).toEqual(first.json());
    const before = await h.fingerprint();
    const other = await h.write(
      holder,
      "POST",
      "/api/v1/applications",
      { cardId: D.cleanSim.card, reason: "different" },
      key,
    );
    expect(other.statusCode).toBe(409);
    expect(other.json().code).toBe("IDEMPOTENCY_KEY_REUSED");
    expect(await h.fingerprint()).toBe(before);
  });

  it("withdraws before processing, returning the card to use", async () => {
    const { id } = await h.submitted(holder, D.cleanSim.card, await readySimFields(h, holder));
    const w = await h.write(holder, "POST", `/api/v1/applications/${id}/withdraw`, {
      comment: "changed my mind",
    });
    expect(w.statusCode).toBe(200);
    expect(w.json().application.status).toBe("withdrawn");
    const card = await h.db
      .selectFrom("cards")
      .select("status")
      .where("id", "=", D.cleanSim.card)
      .executeTakeFirstOrThrow();
    expect(card.status).toBe("active");
    // A new application may now be made for the card.
    const again = await h.write(holder, "POST", "/api/v1/applications", { cardId: D.cleanSim.card });
    expect(again.statusCode).toBe(201);
  });

  it("goes through an information request and the holder's answer", async () => {
    const { id } = await h.submitted(holder, D.cleanSim.card, await readySimFields(h, holder));
    const agent = await h.signInStaff("agent");
    const ask = await h.write(agent, "POST", `/api/v1/applications/${id}/request_info`, {
      message: "请上传身份证背面",
    });
    expect(ask.json().application).toMatchObject({ status: "needs_info", infoRequest: "请上传身份证背面" });
    const answer = await h.write(holder, "POST", `/api/v1/applications/${id}/supply_info`, {
      response: "已补充",
    });
    expect(answer.json().application).toMatchObject({ status: "under_review", infoResponse: "已补充" });
    const reject = await h.write(agent, "POST", `/api/v1/applications/${id}/reject`, {
      reason: "documents_unreadable",
      comment: "blurred",
    });
    expect(reject.json().application).toMatchObject({
      status: "rejected",
      rejectReason: "documents_unreadable",
    });
    const sms = (await h.outbox()).filter((m) => m.to === D.cleanSim.phone).map((m) => m.template);
    expect(sms).toEqual(expect.arrayContaining(["info_requested", "rejected"]));
  });

  it("answers 409 naming the application that cancelled an already-cancelled card", async () => {
    const other = await h.signInHolder(D.cancelled.phone);
    const r = await h.write(other, "POST", "/api/v1/applications", { cardId: D.cancelled.card });
    expect(r.statusCode).toBe(409);
    expect(r.json()).toMatchObject({
      code: "CARD_ALREADY_CANCELLED",
      params: { applicationNumber: D.cancelled.applicationNumber },
    });
  });

  it("refuses to submit a card with a blocker, listing the blocker", async () => {
    const other = await h.signInHolder(D.arrears.phone);
    const r = await h.write(other, "POST", "/api/v1/applications", {
      cardId: D.arrears.card,
      submit: true,
      backup: { status: "waived", note: "nothing on it" },
    });
    expect(r.statusCode).toBe(422);
    expect(r.json().code).toBe("CARD_NOT_ELIGIBLE");
    expect(r.json().params.findings.map((f: { code: string }) => f.code)).toContain("ARREARS");
    const n = await h.db
      .selectFrom("applications")
      .select("id")
      .where("cardId", "=", D.arrears.card)
      .execute();
    expect(n).toHaveLength(0);
  });

  it("refuses submission until backup, unbinding and balance are settled, each with its own code", async () => {
    const created = await h.write(holder, "POST", "/api/v1/applications", { cardId: D.cleanSim.card });
    const id = created.json().application.id;
    const submit = () => h.write(holder, "POST", `/api/v1/applications/${id}/submit`);
    expect((await submit()).json().code).toBe("BACKUP_REQUIRED");
    await h.write(holder, "PATCH", `/api/v1/applications/${id}`, { backup: { status: "done" } });
    expect((await submit()).json().code).toBe("UNBINDING_INCOMPLETE");
    const f = await readySimFields(h, holder);
    await h.write(holder, "PATCH", `/api/v1/applications/${id}`, { unbinding: f.unbinding });
    expect((await submit()).json().code).toBe("BALANCE_OPTION_REQUIRED");
    const transferSelf = await h.write(holder, "PATCH", `/api/v1/applications/${id}`, {
      balanceOption: "transfer",
      transferTo: D.cleanSim.msisdn,
    });
    expect(transferSelf.statusCode).toBe(200);
    expect((await submit()).json().code).toBe("TRANSFER_TARGET_INVALID");
    await h.write(holder, "PATCH", `/api/v1/applications/${id}`, { transferTo: "13912345678" });
    const ok = await submit();
    expect(ok.statusCode, ok.body).toBe(200);
  });
});
