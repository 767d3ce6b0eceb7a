import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomIds } from "../src/adapters/system.js";
import { verifyAuditChain } from "../src/db/audit-repository.js";
import { D } from "./support/demo.js";
import { Harness, newKey, type Session } from "./support/harness.js";

describe("50 concurrent HTTP submissions for one card", () => {
  let h: Harness;
  let holder: Session; // an agent at a counter
  let base: string;
  beforeAll(async () => {
    h = await Harness.start();
    // At a counter: one request creates and submits (no uploads needed there).
    holder = await h.signInStaff("agent");
    base = await h.listen();
  });
  afterAll(() => h.close());

  it("produce exactly one application; every caller gets that one", async () => {
    // Sessions are the agent's; the card is 张伟's debit card.
    const body = JSON.stringify({
      cardId: D.cleanDebit.card,
      submit: true,
      backup: { status: "waived", note: "no records needed" },
    });
    const responses = await Promise.all(
      Array.from({ length: 50 }, () =>
        fetch(`${base}/api/v1/applications`, {
          method: "POST",
          body,
          headers: {
            "content-type": "application/json",
            "idempotency-key": newKey("race"),
            ...holder.headers,
          },
        }).then(async (r) => ({
          status: r.status,
          body: (await r.json()) as { application: { id: string; status: string } },
        })),
      ),
    );
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 200)).toHaveLength(49);
    const ids = new Set(responses.map((r) => r.body.application.id));
    expect(ids.size).toBe(1);
    const rows = await h.db
      .selectFrom("applications")
      .selectAll()
      .where("cardId", "=", D.cleanDebit.card)
      .execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]?.status).toBe("submitted");
    const events = await h.db
      .selectFrom("auditEvents")
      .select("action")
      .where("applicationId", "=", rows[0]!.id)
      .execute();
    expect(events.map((e) => e.action)).toEqual(["application.create", "application.submit"]);
  });
});

describe("20 concurrent HTTP submissions with one Idempotency-Key", () => {
  let h: Harness;
  let agent: Session;
  let base: string;
  beforeAll(async () => {
    h = await Harness.start();
    agent = await h.signInStaff("agent");
    base = await h.listen();
  });
  afterAll(() => h.close());

  it("run the request once; every other caller gets its stored response replayed", async () => {
    const key = newKey("same");
    const body = JSON.stringify({
      cardId: D.cleanDebit.card,
      submit: true,
      backup: { status: "waived", note: "no records needed" },
    });
    const responses = await Promise.all(
      Array.from({ length: 20 }, () =>
        fetch(`${base}/api/v1/applications`, {
          method: "POST",
          body,
          headers: { "content-type": "application/json", "idempotency-key": key, ...agent.headers },
        }).then(async (r) => ({
          status: r.status,
          replayed: r.headers.get("idempotent-replayed") === "true",
          body: await r.text(),
        })),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(201));
    expect(responses.filter((r) => !r.replayed)).toHaveLength(1);
    expect(new Set(responses.map((r) => r.body)).size).toBe(1);
    const rows = await h.db
      .selectFrom("applications")
      .select(["id", "status"])
      .where("cardId", "=", D.cleanDebit.card)
      .execute();
    expect(rows).toEqual([
      {
        id: (JSON.parse(responses[0]!.body) as { application: { id: string } }).application.id,
        status: "submitted",
      },
    ]);
    const records = await h.db
      .selectFrom("idempotencyRecords")
      .select("key")
      .where("key", "=", key)
      .execute();
    expect(records).toHaveLength(1);
    const events = await h.db
      .selectFrom("auditEvents")
      .select("action")
      .where("applicationId", "=", rows[0]!.id)
      .execute();
    expect(events.map((e) => e.action)).toEqual(["application.create", "application.submit"]);
    expect(await verifyAuditChain(h.db)).toMatchObject({ ok: true });
  });
});

describe("an application number drawn twice", () => {
  let h: Harness;
  // Six readable characters a day: on a busy day a number can come up again.
  const draws = ["ZX261124AAAAA1", "ZX261124AAAAA1", "ZX261124BBBBB2"];
  beforeAll(async () => {
    h = await Harness.start({
      ids: { ...randomIds, applicationNumber: (now) => draws.shift() ?? randomIds.applicationNumber(now) },
    });
  });
  afterAll(() => h.close());

  it("is drawn again: the second application gets a number of its own, not an error", async () => {
    const agent = await h.signInStaff("agent");
    const first = await h.write(agent, "POST", "/api/v1/applications", { cardId: D.cleanDebit.card });
    expect(first.statusCode).toBe(201);
    expect((first.json() as { application: { number: string } }).application.number).toBe("ZX261124AAAAA1");
    const second = await h.write(agent, "POST", "/api/v1/applications", { cardId: D.cleanSim.card });
    expect(second.statusCode).toBe(201);
    const app = (second.json() as { application: { number: string; cardId: string } }).application;
    expect(app).toMatchObject({ number: "ZX261124BBBBB2", cardId: D.cleanSim.card });
    expect(draws).toHaveLength(0);
  });
});
