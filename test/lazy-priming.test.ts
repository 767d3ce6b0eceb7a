/**
 * The simulators are primed lazily (a card, line or account read from our records on its first
 * use). Each key must be primed with exactly what priming everything at start gave it: the
 * reference below is that former eager priming, kept here verbatim in its logic.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSimulators } from "../src/adapters/simulators/index.js";
import {
  loadAccount,
  loadCardState,
  loadLineState,
  primeSimulators,
} from "../src/adapters/simulators/prime.js";
import type { Db } from "../src/db/connect.js";
import { Harness } from "./support/harness.js";

const LINE_AFTER_STEP: Record<string, string> = {
  bar_line: "barred",
  deregister: "deregistered",
  remove_subscription: "removed",
  quarantine_number: "quarantined",
};

/** What eager priming (every card at start) put into the simulators' maps. */
async function eagerReference(db: Db) {
  const lines = new Map<string, string>();
  const crm = new Map<string, string>();
  const billing = new Map<string, { arrearsFen: number; unbilledFen: number }>();
  const cards = await db
    .selectFrom("cards")
    .select(["id", "family", "status", "msisdn", "numberStatus"])
    .execute();
  const doneSteps = await db
    .selectFrom("processingSteps")
    .select(["applicationId", "step"])
    .where("status", "=", "done")
    .execute();
  const apps = await db.selectFrom("applications").select(["id", "cardId"]).execute();
  const cardOfApp = new Map(apps.map((a) => [a.id, a.cardId]));
  const stepsByCard = new Map<string, Set<string>>();
  for (const s of doneSteps) {
    const cardId = cardOfApp.get(s.applicationId);
    if (!cardId) continue;
    if (!stepsByCard.has(cardId)) stepsByCard.set(cardId, new Set());
    stepsByCard.get(cardId)!.add(s.step);
  }
  for (const c of cards) {
    const steps = stepsByCard.get(c.id) ?? new Set<string>();
    if (c.family === "sim" && c.msisdn) {
      let state = "active";
      for (const [step, after] of Object.entries(LINE_AFTER_STEP)) if (steps.has(step)) state = after;
      if (c.numberStatus === "quarantined" || c.numberStatus === "released" || c.numberStatus === "restored")
        state = c.numberStatus;
      else if (c.status === "cancelled") state = "removed";
      lines.set(c.msisdn, state);
    } else {
      let state = "active";
      if (steps.has("block_card")) state = "blocked";
      if (steps.has("pre_close_account")) state = "pre_closed";
      if (steps.has("close_account") || c.status === "cancelled") state = "closed";
      crm.set(c.id, state);
    }
  }
  const accounts = await db
    .selectFrom("accounts as a")
    .innerJoin("cards as c", "c.id", "a.cardId")
    .select(["c.id", "c.msisdn", "c.cardNumberMasked", "a.arrearsFen", "a.unbilledFen"])
    .execute();
  for (const a of accounts) {
    billing.set(a.msisdn ?? a.cardNumberMasked ?? a.id, {
      arrearsFen: Number(a.arrearsFen),
      unbilledFen: Number(a.unbilledFen),
    });
  }
  return { lines, crm, billing, cards };
}

let h: Harness;
beforeAll(async () => {
  h = await Harness.start();
  const db = h.rt.deps.db;
  // Give the demo data some history: steps done, a cancelled card, a number in quarantine.
  const [sim, smart] = await Promise.all([
    db.selectFrom("cards").selectAll().where("family", "=", "sim").where("msisdn", "is not", null).execute(),
    db.selectFrom("cards").selectAll().where("family", "!=", "sim").execute(),
  ]);
  const appOn = (family: "sim" | "smartcard") =>
    db
      .selectFrom("applications as a")
      .innerJoin("cards as c", "c.id", "a.cardId")
      .select("a.id")
      .where("c.family", family === "sim" ? "=" : "!=", "sim")
      .executeTakeFirst();
  const history: Array<[string | undefined, string[]]> = [
    [(await appOn("sim"))?.id, ["bar_line", "deregister"]],
    [(await appOn("smartcard"))?.id, ["block_card", "pre_close_account"]],
  ];
  for (const [applicationId, steps] of history) {
    if (!applicationId) continue;
    for (const [i, step] of steps.entries()) {
      await db
        .insertInto("processingSteps")
        .values({
          applicationId,
          step,
          position: 100 + i,
          status: "done",
          attempts: 1,
          resultJson: null,
          lastError: null,
          waitUntil: null,
          startedAt: null,
          finishedAt: null,
          updatedAt: new Date().toISOString(),
        })
        .onConflict((oc) => oc.doNothing())
        .execute();
    }
  }
  if (sim[1]) {
    await db.updateTable("cards").set({ numberStatus: "quarantined" }).where("id", "=", sim[1].id).execute();
  }
  if (smart[1])
    await db.updateTable("cards").set({ status: "cancelled" }).where("id", "=", smart[1].id).execute();
}, 60_000);

afterAll(async () => {
  await h?.close();
});

describe("lazy priming", () => {
  it("primes every line, card and account with what eager priming gave it", async () => {
    const db = h.rt.deps.db;
    const ref = await eagerReference(db);
    expect(ref.lines.size + ref.crm.size).toBeGreaterThan(5);
    for (const [msisdn, state] of ref.lines) expect(await loadLineState(db, msisdn)).toBe(state);
    for (const c of ref.cards) {
      const expected = ref.crm.get(c.id);
      expect(await loadCardState(db, c.id)).toBe(expected);
    }
    const accounts = await db
      .selectFrom("accounts as a")
      .innerJoin("cards as c", "c.id", "a.cardId")
      .select(["c.id", "c.msisdn", "c.cardNumberMasked"])
      .execute();
    for (const a of accounts) {
      const accountNumber = a.msisdn ?? a.cardNumberMasked ?? a.id;
      expect(await loadAccount(db, { cardId: a.id, accountNumber })).toEqual(ref.billing.get(accountNumber));
    }
  });

  it("loads a key on first use only, never over what a call or a seed set", async () => {
    const db = h.rt.deps.db;
    const sims = createSimulators({ seed: 7 });
    await primeSimulators(db, sims);
    expect(sims.crm.cards.size).toBe(0);
    expect(sims.network.lines.size).toBe(0);
    const ref = await eagerReference(db);
    // A card our records show blocked or closed can be closed at once (an active one cannot).
    const preClosed = [...ref.crm].find(([, s]) => s !== "active");
    expect(preClosed).toBeDefined();
    const [cardId] = preClosed!;
    const account = { cardId, accountNumber: cardId };
    await sims.crm.closeAccount({ idempotencyKey: "k1", providerCode: "x" }, account, "close");
    expect(sims.crm.cards.get(cardId)).toBe("closed");
    // Our records changing afterwards does not reach the simulator: it already holds the card.
    await sims.crm.closeAccount({ idempotencyKey: "k2", providerCode: "x" }, account, "close");
    expect(sims.crm.cards.get(cardId)).toBe("closed");
    // A seeded account keeps what the seed said.
    const acc = await db.selectFrom("accounts").select(["cardId"]).executeTakeFirstOrThrow();
    sims.billing.seed(acc.cardId, { arrearsFen: 4242 });
    const r = await sims.billing.arrears(
      { idempotencyKey: "k3", providerCode: "x" },
      { cardId: acc.cardId, accountNumber: acc.cardId },
    );
    expect(r.arrearsFen).toBe(4242);
    // Without priming (tests that build simulators by hand), nothing is read.
    const bare = createSimulators();
    await bare.crm.blockCard({ idempotencyKey: "k4", providerCode: "x" }, account);
    expect(bare.crm.cards.get(cardId)).toBe("blocked");
  });
});
