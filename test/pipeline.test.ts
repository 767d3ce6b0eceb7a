import { afterEach, describe, expect, it } from "vitest";
import { createSimulators, type Simulators } from "../src/adapters/simulators/index.js";
import { D } from "./support/demo.js";
import { Harness, type Session } from "./support/harness.js";

const ALL_OPS = [
  "finalBill",
  "arrears",
  "payOut",
  "barLine",
  "forceDeregister",
  "removeSubscription",
  "quarantineNumber",
  "retireProfile",
  "blockCard",
  "closeAccount.pre_close",
  "closeAccount.close",
];

/** Every operation of every system fails its first `n` calls. */
function flaky(n: number, extra: Parameters<typeof createSimulators>[0] = {}): Simulators {
  return createSimulators({
    failFirst: Object.fromEntries(ALL_OPS.map((op) => [op, n])),
    latencyMs: 0,
    ...extra,
  });
}

async function status(h: Harness, id: string): Promise<string> {
  return (
    await h.db.selectFrom("applications").select("status").where("id", "=", id).executeTakeFirstOrThrow()
  ).status;
}

/** Files an application for the clean SIM as its holder and has an agent approve it. */
async function approvedSimApplication(h: Harness): Promise<{ id: string; holder: Session }> {
  const holder = await h.signInHolder(D.cleanSim.phone);
  const e = await h.inject({
    method: "GET",
    url: `/api/v1/cards/${D.cleanSim.card}/eligibility`,
    headers: holder.headers,
  });
  const bindings = (e.json().bindings as Array<{ id: string }>).map((b) => ({
    bindingId: b.id,
    state: "unbound",
  }));
  const app = await h.submitted(holder, D.cleanSim.card, {
    backup: { status: "done" },
    unbinding: bindings,
    balanceOption: "refund",
  });
  const agent = await h.signInStaff("agent");
  const r = await h.write(agent, "POST", `/api/v1/applications/${app.id}/approve`);
  expect(r.statusCode).toBe(200);
  return { id: app.id, holder };
}

describe("processing pipeline over the simulators", () => {
  let h: Harness;
  afterEach(() => h.close());

  it("completes exactly once with every step failing twice first, moving each amount once", async () => {
    h = await Harness.start({ simulators: flaky(2) });
    const { id } = await approvedSimApplication(h);
    await h.rt.worker.drain();
    expect(await status(h, id)).toBe("completed");

    const sims = h.rt.simulators;
    for (const [sim, op] of [
      [sims.billing, "finalBill"],
      [sims.billing, "payOut"],
      [sims.network, "barLine"],
      [sims.network, "forceDeregister"],
      [sims.network, "removeSubscription"],
      [sims.network, "quarantineNumber"],
    ] as const) {
      expect(sim.core.effective(op), op).toBe(1);
    }
    expect(sims.network.lines.get(D.cleanSim.msisdn)).toBe("quarantined");
    expect(sims.billing.accounts.get(D.cleanSim.msisdn)?.payOuts).toEqual([
      { kind: "refund", amountFen: 3650 },
    ]);

    const ledger = await h.db
      .selectFrom("ledgerEntries")
      .select(["kind", "amountFen"])
      .where("applicationId", "=", id)
      .orderBy("kind")
      .execute();
    expect(ledger.map((l) => [l.kind, Number(l.amountFen)])).toEqual([
      ["gifted_forfeit", 2000],
      ["refund", 3650],
    ]);
    const account = await h.db
      .selectFrom("accounts")
      .selectAll()
      .where("cardId", "=", D.cleanSim.card)
      .executeTakeFirstOrThrow();
    expect([account.balanceFen, account.giftedBalanceFen].map(Number)).toEqual([0, 0]);

    const steps = await h.db
      .selectFrom("processingSteps")
      .select(["step", "status", "attempts"])
      .where("applicationId", "=", id)
      .orderBy("position")
      .execute();
    expect(steps.map((s) => s.step)).toEqual([
      "final_bill",
      "arrears_check",
      "settle_balance",
      "bar_line",
      "deregister",
      "remove_subscription",
      "quarantine_number",
    ]);
    expect(steps.every((s) => s.status === "done" && s.attempts === 3)).toBe(true);
    const events = await h.db
      .selectFrom("auditEvents")
      .select("action")
      .where("applicationId", "=", id)
      .orderBy("seq")
      .execute();
    expect(
      events.map((e) => e.action).filter((a) => a.startsWith("processing.") || a === "application.complete"),
    ).toEqual([
      "processing.final_bill",
      "processing.arrears_check",
      "processing.settle_balance",
      "processing.bar_line",
      "processing.deregister",
      "processing.remove_subscription",
      "processing.quarantine_number",
      "application.complete",
    ]);
    const card = await h.db
      .selectFrom("cards")
      .selectAll()
      .where("id", "=", D.cleanSim.card)
      .executeTakeFirstOrThrow();
    expect(card).toMatchObject({ status: "cancelled", numberStatus: "quarantined" });
  });

  it("does not repeat work whose reply was lost", async () => {
    h = await Harness.start({ simulators: createSimulators({ lostReplyRate: 0.5, seed: 7, latencyMs: 0 }) });
    const { id } = await approvedSimApplication(h);
    await h.rt.worker.drain();
    expect(await status(h, id)).toBe("completed");
    const sims = h.rt.simulators;
    expect(sims.network.core.calls.some((c) => c.outcome === "lost_reply")).toBe(true);
    expect(sims.network.core.calls.some((c) => c.outcome === "replayed")).toBe(true);
    for (const op of ["barLine", "forceDeregister", "removeSubscription", "quarantineNumber"])
      expect(sims.network.core.effective(op), op).toBe(1);
    expect(sims.billing.core.effective("payOut")).toBe(1);
    const refunds = await h.db
      .selectFrom("ledgerEntries")
      .selectAll()
      .where("applicationId", "=", id)
      .where("kind", "=", "refund")
      .execute();
    expect(refunds).toHaveLength(1);
  });

  it("fails after five tries with the cause, and a supervisor's retry resumes without redoing done steps", async () => {
    h = await Harness.start({
      simulators: createSimulators({ failFirst: { forceDeregister: 7 }, latencyMs: 0 }),
    });
    const { id } = await approvedSimApplication(h);
    await h.rt.worker.drain();
    expect(await status(h, id)).toBe("failed");
    const app = await h.db
      .selectFrom("applications")
      .selectAll()
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    expect(app.failureCause).toMatch(/^deregister: network.forceDeregister: simulated outage/);
    const agent = await h.signInStaff("agent");
    expect((await h.write(agent, "POST", `/api/v1/applications/${id}/retry`)).statusCode).toBe(403);
    const supervisor = await h.signInStaff("supervisor");
    expect((await h.write(supervisor, "POST", `/api/v1/applications/${id}/retry`)).statusCode).toBe(200);
    await h.rt.worker.drain();
    expect(await status(h, id)).toBe("completed");
    const sims = h.rt.simulators;
    expect(sims.network.core.effective("barLine")).toBe(1);
    expect(sims.network.core.effective("forceDeregister")).toBe(1);
    expect(sims.billing.core.effective("payOut")).toBe(1);
    expect(
      sims.network.core.calls.filter((c) => c.op === "forceDeregister" && c.outcome === "failed"),
    ).toHaveLength(7);
  });

  it("pre-closes a credit card and closes it after the provider's wait", async () => {
    h = await Harness.start({ simulators: flaky(1) });
    const holder = await h.signInHolder(D.creditPrimary.phone);
    const batch = (
      await h.write(holder, "POST", "/api/v1/batches", { cardIds: [D.creditPrimary.card] })
    ).json().batch;
    for (const item of batch.items)
      await h.write(holder, "PATCH", `/api/v1/applications/${item.application.id}`, {
        backup: { status: "done" },
      });
    expect((await h.write(holder, "POST", `/api/v1/batches/${batch.id}/submit`)).statusCode).toBe(200);
    const agent = await h.signInStaff("agent");
    for (const item of batch.items)
      await h.write(agent, "POST", `/api/v1/applications/${item.application.id}/approve`);
    await h.rt.worker.drain();
    const primaryId = batch.items[1].application.id;
    expect(await status(h, primaryId)).toBe("processing");
    const waiting = await h.db
      .selectFrom("processingSteps")
      .selectAll()
      .where("applicationId", "=", primaryId)
      .where("step", "=", "close_account")
      .executeTakeFirstOrThrow();
    expect(waiting.status).toBe("waiting");
    expect(h.rt.simulators.crm.cards.get(D.creditPrimary.card)).toBe("pre_closed");
    h.clock.advance(45 * 86_400_000 + 60_000);
    await h.rt.worker.drain();
    expect(await status(h, primaryId)).toBe("completed");
    expect(h.rt.simulators.crm.cards.get(D.creditPrimary.card)).toBe("closed");
    expect(h.rt.simulators.crm.core.effective("closeAccount.close")).toBe(2);
  });
});
