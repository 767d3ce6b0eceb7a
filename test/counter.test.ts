import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { D } from "./support/demo.js";
import { Harness, type Session } from "./support/harness.js";

describe("counter mode", () => {
  let h: Harness;
  let agent: Session;
  beforeAll(async () => {
    h = await Harness.start();
    await h.db.updateTable("staff").set({ branch: "徐汇营业厅" }).where("username", "=", "agent").execute();
    agent = await h.signInStaff("agent");
  });
  afterAll(() => h.close());

  it("identifies the holder by ID document, takes the application, and refunds the deposit when the card is returned", async () => {
    const found = await h.inject({
      method: "POST",
      url: "/api/v1/holders/lookup",
      payload: { idType: "resident_id", idNumber: D.cleanSim.idNumber },
      headers: agent.headers,
    });
    expect(found.statusCode, found.body).toBe(200);
    expect(found.json().holder).toMatchObject({
      name: "张*",
      idNumber: "110105********0012",
      phone: "138****8000",
    });
    const cards = found.json().cards as Array<{ id: string; kind: string }>;
    expect(cards.map((c) => c.id)).toContain("card_demo_transit_deposit");

    const r = await h.write(agent, "POST", "/api/v1/applications", {
      cardId: "card_demo_transit_deposit",
      submit: true,
      backup: { status: "done" },
      balanceOption: "refund",
      cardDisposition: "returned",
    });
    expect(r.statusCode, r.body).toBe(201);
    const id = r.json().application.id;
    expect(r.json().application).toMatchObject({
      channel: "counter",
      branch: "徐汇营业厅",
      cardDisposition: "returned",
    });

    const queue = await h.inject({
      method: "GET",
      url: "/api/v1/applications?branch=%E5%BE%90%E6%B1%87%E8%90%A5%E4%B8%9A%E5%8E%85&status=submitted",
      headers: agent.headers,
    });
    expect((queue.json().items as Array<{ id: string; sla: string }>).map((a) => [a.id, a.sla])).toEqual([
      [id, "on_track"],
    ]);

    await h.write(agent, "POST", `/api/v1/applications/${id}/approve`);
    await h.rt.worker.drain();
    const close = await h.write(agent, "POST", `/api/v1/applications/${id}/close`, { how: "returned" });
    expect(close.statusCode, close.body).toBe(200);
    const ledger = await h.db
      .selectFrom("ledgerEntries")
      .select(["kind", "amountFen"])
      .where("applicationId", "=", id)
      .orderBy("kind")
      .execute();
    expect(ledger.map((l) => [l.kind, Number(l.amountFen)])).toEqual([
      ["deposit_refund", 2000],
      ["refund", 1550],
    ]);
    const again = await h.write(agent, "POST", `/api/v1/applications/${id}/close`, { how: "returned" });
    expect(again.json().code).toBe("TRANSITION_NOT_ALLOWED");
    const lookups = await h.db
      .selectFrom("auditEvents")
      .select(["action", "actorId"])
      .where("action", "=", "holder.lookup")
      .execute();
    expect(lookups).toHaveLength(1);
  });

  it("records what became of the card only for staff, and only for a card that has a body", async () => {
    const holder = await h.signInHolder(D.cleanSim.phone);
    const byHolder = await h.write(holder, "POST", "/api/v1/applications", {
      cardId: D.cleanDebit.card,
      cardDisposition: "destroyed",
    });
    expect(byHolder.statusCode, byHolder.body).toBe(403);
    expect(byHolder.json().code).toBe("FORBIDDEN");
    const esim = await h.write(agent, "POST", "/api/v1/applications", {
      cardId: "card_demo_esim_clean",
      cardDisposition: "returned",
    });
    expect(esim.statusCode, esim.body).toBe(400);
    expect(esim.json().code).toBe("VALIDATION_FAILED");
    expect(esim.body).toContain("cardDisposition");
    const written = await h.db
      .selectFrom("applications")
      .select("id")
      .where("cardId", "in", [D.cleanDebit.card, "card_demo_esim_clean"])
      .execute();
    expect(written).toEqual([]);
    const bad = await h.write(agent, "POST", "/api/v1/applications", {
      cardId: D.cleanDebit.card,
      cardDisposition: "burnt",
    });
    expect(bad.statusCode).toBe(400);
  });

  it("shows staff the holder with masked identity on the review screen", async () => {
    const holder = await h.signInHolder(D.cleanDebit.phone);
    const app = await h.submitted(holder, D.cleanDebit.card, { backup: { status: "done" } });
    const v = await h.inject({
      method: "GET",
      url: `/api/v1/applications/${app.id}`,
      headers: agent.headers,
    });
    expect(v.json().holder).toMatchObject({
      name: "张*",
      idNumber: "110105********0012",
      phone: "138****8000",
    });
    const supervisor = await h.signInStaff("supervisor");
    const s = await h.inject({
      method: "GET",
      url: `/api/v1/applications/${app.id}`,
      headers: supervisor.headers,
    });
    expect(s.json().holder.phone).toBe("13812348000");
  });

  it("refuses a malformed ID number and finds nobody for an unknown one", async () => {
    const bad = await h.inject({
      method: "POST",
      url: "/api/v1/holders/lookup",
      payload: { idType: "resident_id", idNumber: "110105198503120013" },
      headers: agent.headers,
    });
    expect(bad.json().code).toBe("ID_NUMBER_INVALID");
    const none = await h.inject({
      method: "POST",
      url: "/api/v1/holders/lookup",
      payload: { idType: "resident_id", idNumber: "11010519491231002X" },
      headers: agent.headers,
    });
    expect(none.statusCode).toBe(404);
  });
});
