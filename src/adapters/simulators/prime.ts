/**
 * Simulators keep their state in memory; on start (and after demo data is loaded) they are primed
 * from the database so that they agree with what our records say the provider's systems hold: the
 * state of each line, card and account, including steps a pipeline already completed.
 */
import type { Db } from "../../db/connect.js";
import type { Simulators } from "./index.js";

const LINE_AFTER_STEP: Record<string, string> = {
  bar_line: "barred",
  deregister: "deregistered",
  remove_subscription: "removed",
  quarantine_number: "quarantined",
};

export async function primeSimulators(db: Db, sims: Simulators): Promise<void> {
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
      sims.network.lines.set(c.msisdn, state as never);
    } else {
      let state = "active";
      if (steps.has("block_card")) state = "blocked";
      if (steps.has("pre_close_account")) state = "pre_closed";
      if (steps.has("close_account") || c.status === "cancelled") state = "closed";
      sims.crm.cards.set(c.id, state as never);
    }
  }
  const accounts = await db
    .selectFrom("accounts as a")
    .innerJoin("cards as c", "c.id", "a.cardId")
    .select(["c.id", "c.msisdn", "c.cardNumberMasked", "a.arrearsFen", "a.unbilledFen"])
    .execute();
  for (const a of accounts) {
    sims.billing.seed(a.msisdn ?? a.cardNumberMasked ?? a.id, {
      arrearsFen: Number(a.arrearsFen),
      unbilledFen: Number(a.unbilledFen),
    });
  }
}
