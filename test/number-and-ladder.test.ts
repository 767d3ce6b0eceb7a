import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runArrearsLadder } from "../src/app/scheduled/arrears-ladder.js";
import { releaseQuarantinedNumbers } from "../src/app/scheduled/release-quarantined-numbers.js";
import { getStats } from "../src/app/stats.js";
import { D } from "./support/demo.js";
import { Harness, type Session } from "./support/harness.js";

const DAY = 86_400_000;

async function cancelCleanSim(h: Harness): Promise<{ id: string; holder: Session }> {
  const holder = await h.signInHolder(D.cleanSim.phone);
  const e = await h.inject({
    method: "GET",
    url: `/api/v1/cards/${D.cleanSim.card}/eligibility`,
    headers: holder.headers,
  });
  const unbinding = (e.json().bindings as Array<{ id: string }>).map((b) => ({
    bindingId: b.id,
    state: "unbound",
  }));
  const app = await h.submitted(holder, D.cleanSim.card, {
    backup: { status: "done" },
    unbinding,
    balanceOption: "transfer",
    transferTo: "13912345678",
  });
  const agent = await h.signInStaff("agent");
  await h.write(agent, "POST", `/api/v1/applications/${app.id}/approve`);
  await h.rt.worker.drain();
  return { id: app.id, holder };
}

describe("number quarantine", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await Harness.start();
  });
  afterEach(() => h.close());

  it("lets the former holder restore the number within the window, once", async () => {
    const { holder } = await cancelCleanSim(h);
    const r = await h.write(holder, "POST", `/api/v1/cards/${D.cleanSim.card}/restore-number`);
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().card.numberStatus).toBe("restored");
    expect(h.rt.simulators.network.lines.get(D.cleanSim.msisdn)).toBe("restored");
    const again = await h.write(holder, "POST", `/api/v1/cards/${D.cleanSim.card}/restore-number`);
    expect(again.json().card.numberStatus).toBe("restored");
    expect(h.rt.simulators.network.core.effective("restoreNumber")).toBe(1);
    // The transfer went to the number the holder gave, once.
    expect(h.rt.simulators.billing.accounts.get(D.cleanSim.msisdn)?.payOuts).toEqual([
      { kind: "transfer", amountFen: 3650, transferTo: "13912345678" },
    ]);
  });

  it("releases the number when the quarantine ends, after which it cannot be restored", async () => {
    await cancelCleanSim(h);
    const numberStatus = async () =>
      (
        await h.db
          .selectFrom("cards")
          .select("numberStatus")
          .where("id", "=", D.cleanSim.card)
          .executeTakeFirstOrThrow()
      ).numberStatus;
    h.clock.advance(89 * DAY);
    await releaseQuarantinedNumbers(h.rt.deps);
    expect(await numberStatus()).toBe("quarantined");
    h.clock.advance(1 * DAY + 60_000);
    expect(await releaseQuarantinedNumbers(h.rt.deps)).toBe(1);
    const card = await h.db
      .selectFrom("cards")
      .selectAll()
      .where("id", "=", D.cleanSim.card)
      .executeTakeFirstOrThrow();
    expect(card.numberStatus).toBe("released");
    expect(h.rt.simulators.network.lines.get(D.cleanSim.msisdn)).toBe("released");
    // Three months on: a new session.
    const holder = await h.signInHolder(D.cleanSim.phone);
    const r = await h.write(holder, "POST", `/api/v1/cards/${D.cleanSim.card}/restore-number`);
    expect(r.statusCode).toBe(409);
    expect(r.json().code).toBe("NUMBER_NOT_RESTORABLE");
  });
});

describe("involuntary cancellation by the arrears ladder", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await Harness.start();
  });
  afterEach(() => h.close());

  it("suspends after 60 days with a notice, then cancels after 120 through the pipeline", async () => {
    const since = new Date(h.clock.now().getTime() - 61 * DAY).toISOString();
    await h.db
      .updateTable("accounts")
      .set({ arrearsSince: since })
      .where("cardId", "=", D.arrears.card)
      .execute();
    expect(await runArrearsLadder(h.rt.deps)).toEqual({ suspended: 1, cancelled: 0 });
    let card = await h.db
      .selectFrom("cards")
      .selectAll()
      .where("id", "=", D.arrears.card)
      .executeTakeFirstOrThrow();
    expect(card.status).toBe("suspended");
    const notice = (await h.outbox()).find(
      (m) => m.to === D.arrears.phone && m.template === "suspended_arrears",
    );
    expect(notice?.text).toContain("¥58.20");

    h.clock.advance(60 * DAY);
    expect(await runArrearsLadder(h.rt.deps)).toEqual({ suspended: 0, cancelled: 1 });
    await h.rt.worker.drain();
    const app = await h.db
      .selectFrom("applications")
      .selectAll()
      .where("cardId", "=", D.arrears.card)
      .executeTakeFirstOrThrow();
    expect(app).toMatchObject({ status: "completed", channel: "involuntary", createdByType: "system" });
    card = await h.db
      .selectFrom("cards")
      .selectAll()
      .where("id", "=", D.arrears.card)
      .executeTakeFirstOrThrow();
    expect(card.status).toBe("cancelled");
    const ledger = await h.db
      .selectFrom("ledgerEntries")
      .select(["kind", "amountFen"])
      .where("applicationId", "=", app.id)
      .execute();
    expect(ledger.map((l) => [l.kind, Number(l.amountFen)])).toEqual([["collections", 5820]]);
    expect(
      (await h.outbox()).some((m) => m.to === D.arrears.phone && m.template === "involuntary_cancellation"),
    ).toBe(true);
    // Running it again changes nothing.
    expect(await runArrearsLadder(h.rt.deps)).toEqual({ suspended: 0, cancelled: 0 });
  });
});

describe("supervisor statistics", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await Harness.start();
  });
  afterEach(() => h.close());

  it("counts backlog, completions, time to completion and SLA from real applications", async () => {
    await cancelCleanSim(h);
    const supervisor = await h.signInStaff("supervisor");
    const from = new Date(h.clock.now().getTime() - DAY).toISOString();
    const to = new Date(h.clock.now().getTime() + DAY).toISOString();
    const r = await h.inject({
      method: "GET",
      url: `/api/v1/stats?from=${from}&to=${to}`,
      headers: supervisor.headers,
    });
    expect(r.statusCode).toBe(200);
    const s = r.json();
    expect(s.backlog).toMatchObject({ completed: 1, closed: 1 });
    expect(s.completionsPerDay).toEqual([{ day: "2026-11-24", count: 1 }]);
    expect(s.hoursToCompletion).toMatchObject({ count: 1 });
    expect(s.sla).toMatchObject({ completed: 1, onTime: 1, compliance: 1 });
    expect(s.loadPerBranch).toEqual([{ branch: "online", count: 1 }]);
    const agent = await h.signInStaff("agent");
    expect(
      (await h.inject({ method: "GET", url: `/api/v1/stats?from=${from}&to=${to}`, headers: agent.headers }))
        .statusCode,
    ).toBe(403);
    expect(getStats).toBeTypeOf("function");
  });
});
