import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { D, TRANSIT_ONLINE } from "./support/demo.js";
import { Harness, newKey, type Session, TINY_PNG } from "./support/harness.js";

describe("documents", () => {
  let h: Harness;
  let holder: Session;
  let appId: string;
  beforeEach(async () => {
    h = await Harness.start();
    holder = await h.signInHolder(TRANSIT_ONLINE.phone);
    const r = await h.write(holder, "POST", "/api/v1/applications", {
      cardId: TRANSIT_ONLINE.card,
      backup: { status: "done" },
      balanceOption: "refund",
    });
    appId = r.json().application.id;
  });
  afterEach(() => h.close());

  const upload = (body: Buffer, contentType: string, kind = "card_photo") =>
    h.inject({
      method: "POST",
      url: `/api/v1/applications/${appId}/documents?kind=${kind}`,
      payload: body,
      headers: { ...holder.headers, "content-type": contentType, "idempotency-key": newKey("doc") },
    });

  it("refuses submission while a required document is missing, then accepts it", async () => {
    const first = await h.write(holder, "POST", `/api/v1/applications/${appId}/submit`);
    expect(first.statusCode).toBe(422);
    expect(first.json()).toMatchObject({ code: "DOCUMENTS_REQUIRED", params: { missing: ["card_photo"] } });
    const up = await upload(TINY_PNG, "image/png");
    expect(up.statusCode).toBe(201);
    expect(up.json().document).toMatchObject({
      kind: "card_photo",
      contentType: "image/png",
      size: TINY_PNG.length,
    });
    const list = await h.inject({
      method: "GET",
      url: `/api/v1/applications/${appId}/documents`,
      headers: holder.headers,
    });
    expect(list.json()).toMatchObject({ required: ["card_photo"], missing: [] });
    const ok = await h.write(holder, "POST", `/api/v1/applications/${appId}/submit`);
    expect(ok.statusCode, ok.body).toBe(200);
  });

  it("decides the type by content, whatever the declared type", async () => {
    const before = await h.fingerprint();
    const fake = await upload(Buffer.from("<script>alert(1)</script>"), "image/png");
    expect(fake.statusCode).toBe(415);
    expect(fake.json().code).toBe("DOCUMENT_TYPE_NOT_ALLOWED");
    expect(await h.fingerprint()).toBe(before);
    const pdf = await upload(Buffer.from("%PDF-1.7\n%…\n"), "application/octet-stream");
    expect(pdf.json().document.contentType).toBe("application/pdf");
  });

  it("refuses files over 5 MiB", async () => {
    const big = Buffer.concat([TINY_PNG, Buffer.alloc(5 * 1024 * 1024)]);
    const r = await upload(big, "image/png");
    expect(r.statusCode).toBe(413);
    expect(["DOCUMENT_TOO_LARGE", "PAYLOAD_TOO_LARGE"]).toContain(r.json().code);
  });

  it("keeps the bytes sealed at rest and gives them back intact", async () => {
    const id = (await upload(TINY_PNG, "image/png")).json().document.id;
    const row = await h.db.selectFrom("documents").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
    expect(Buffer.from(row.dataSealed).includes(TINY_PNG.subarray(8))).toBe(false);
    const back = await h.inject({
      method: "GET",
      url: `/api/v1/applications/${appId}/documents/${id}`,
      headers: holder.headers,
    });
    expect(back.headers["content-type"]).toBe("image/png");
    expect(back.rawPayload.equals(TINY_PNG)).toBe(true);
    const del = await h.inject({
      method: "DELETE",
      url: `/api/v1/applications/${appId}/documents/${id}`,
      headers: holder.headers,
    });
    expect(del.statusCode).toBe(204);
  });

  it("hides documents from other holders", async () => {
    const id = (await upload(TINY_PNG, "image/png")).json().document.id;
    const stranger = await h.signInHolder(D.arrears.phone);
    const r = await h.inject({
      method: "GET",
      url: `/api/v1/applications/${appId}/documents/${id}`,
      headers: stranger.headers,
    });
    expect(r.statusCode).toBe(404);
  });
});

describe("batches", () => {
  let h: Harness;
  let holder: Session;
  beforeEach(async () => {
    h = await Harness.start();
    holder = await h.signInHolder(D.creditPrimary.phone);
  });
  afterEach(() => h.close());

  it("orders a supplementary card before its primary, adds it when not selected, and submits all in order", async () => {
    const r = await h.write(holder, "POST", "/api/v1/batches", { cardIds: [D.creditPrimary.card] });
    expect(r.statusCode, r.body).toBe(201);
    const batch = r.json().batch as {
      id: string;
      items: Array<{ position: number; card: { id: string }; application: { id: string; status: string } }>;
    };
    expect(batch.items.map((i) => i.card.id)).toEqual([D.creditPrimary.supplementary, D.creditPrimary.card]);
    for (const item of batch.items) {
      await h.write(holder, "PATCH", `/api/v1/applications/${item.application.id}`, {
        backup: { status: "done" },
      });
    }
    const s = await h.write(holder, "POST", `/api/v1/batches/${batch.id}/submit`);
    expect(s.statusCode, s.body).toBe(200);
    const items = s.json().batch.items as Array<{ application: { status: string; submittedAt: string } }>;
    expect(items.map((i) => i.application.status)).toEqual(["submitted", "submitted"]);
    const events = await h.db
      .selectFrom("auditEvents")
      .select(["applicationId", "seq"])
      .where("action", "=", "application.submit")
      .orderBy("seq")
      .execute();
    expect(events.map((e) => e.applicationId)).toEqual(batch.items.map((i) => i.application.id));
  });

  it("submits nothing when one card of the batch cannot go, and says which", async () => {
    const r = await h.write(holder, "POST", "/api/v1/batches", { cardIds: [D.creditPrimary.card] });
    const batch = r.json().batch as { id: string; items: Array<{ application: { id: string } }> };
    // Only the first gets its backup step done: the second fails, the first must not stay submitted.
    await h.write(holder, "PATCH", `/api/v1/applications/${batch.items[0]!.application.id}`, {
      backup: { status: "done" },
    });
    const before = await h.fingerprint();
    const s = await h.write(holder, "POST", `/api/v1/batches/${batch.id}/submit`);
    expect(s.statusCode).toBe(422);
    expect(s.json()).toMatchObject({
      code: "BATCH_ITEM_FAILED",
      params: { applicationId: batch.items[1]!.application.id, cause: "BACKUP_REQUIRED" },
    });
    expect(await h.fingerprint()).toBe(before);
  });
});

describe("backup exports and preferences", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await Harness.start();
  });
  afterEach(() => h.close());

  it("lists what can be backed up and exports the transactions as CSV", async () => {
    const holder = await h.signInHolder(D.cleanDebit.phone);
    const list = await h.inject({
      method: "GET",
      url: `/api/v1/cards/${D.cleanDebit.card}/backup`,
      headers: holder.headers,
    });
    const tx = (
      list.json().items as Array<{ kind: string; available: boolean; href: string; count: number }>
    ).find((i) => i.kind === "transactions")!;
    expect(tx.available).toBe(true);
    const csv = await h.inject({ method: "GET", url: tx.href, headers: holder.headers });
    expect(csv.headers["content-type"]).toContain("text/csv");
    const lines = csv.body
      .replace(/^\uFEFF/, "")
      .trim()
      .split("\r\n");
    expect(lines[0]).toBe("time,description,amount_yuan,balance_after_yuan");
    expect(lines).toHaveLength(tx.count + 1);
    const sim = await h.inject({
      method: "GET",
      url: `/api/v1/cards/${D.cleanSim.card}/backup`,
      headers: holder.headers,
    });
    const kinds = (sim.json().items as Array<{ kind: string; available: boolean }>).map(
      (i) => `${i.kind}:${i.available}`,
    );
    expect(kinds).toEqual(["transactions:true", "contacts:false", "sms:false"]);
  });

  it("switches the holder's message language", async () => {
    const holder = await h.signInHolder(D.cleanSim.phone);
    const r = await h.write(holder, "PATCH", "/api/v1/me", { language: "en" });
    expect(r.json()).toEqual({ language: "en" });
    const me = await h.inject({ method: "GET", url: "/api/v1/me", headers: holder.headers });
    expect(me.json().language).toBe("en");
    h.clock.advance(61_000);
    await h.inject({ method: "POST", url: "/api/v1/auth/otp", payload: { phone: D.cleanSim.phone } });
    const last = (await h.outbox()).filter((m) => m.to === D.cleanSim.phone).at(-1);
    expect(last?.text).toMatch(/^\[zhuxiao\] Your sign-in code is \d{6}/);
  });
});
