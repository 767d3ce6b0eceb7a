/**
 * Simulators keep their state in memory; on start (and after demo data is loaded) they are primed
 * from the database so that they agree with what our records say the provider's systems hold: the
 * state of each line, card and account, including steps a pipeline already completed.
 *
 * Priming is lazy: each line, card and account is read from the database the first time a
 * simulator touches it after priming (not every card at start — gigabytes and minutes at ten
 * million cards, in every process, even in API processes that never call a provider). What a key
 * is primed with is what priming everything at once gave it.
 */
import type { Db } from "../../db/connect.js";
import type { AccountRef } from "../../ports/providers.js";
import type { CardState } from "./crm-simulator.js";
import type { Simulators } from "./index.js";
import type { LineState } from "./network-simulator.js";

const LINE_AFTER_STEP: Record<string, LineState> = {
  bar_line: "barred",
  deregister: "deregistered",
  remove_subscription: "removed",
  quarantine_number: "quarantined",
};

/** The pipeline steps done for a card, over all its applications. */
async function doneSteps(db: Db, cardId: string): Promise<Set<string>> {
  const rows = await db
    .selectFrom("processingSteps as s")
    .innerJoin("applications as a", "a.id", "s.applicationId")
    .select("s.step")
    .where("a.cardId", "=", cardId)
    .where("s.status", "=", "done")
    .execute();
  return new Set(rows.map((r) => r.step));
}

interface CardFacts {
  id: string;
  family: string;
  status: string;
  msisdn: string | null;
  numberStatus: string | null;
}

function lineState(c: CardFacts, steps: Set<string>): LineState {
  let state: LineState = "active";
  for (const [step, after] of Object.entries(LINE_AFTER_STEP)) if (steps.has(step)) state = after;
  if (c.numberStatus === "quarantined" || c.numberStatus === "released" || c.numberStatus === "restored")
    state = c.numberStatus;
  else if (c.status === "cancelled") state = "removed";
  return state;
}

function cardState(c: CardFacts, steps: Set<string>): CardState {
  let state: CardState = "active";
  if (steps.has("block_card")) state = "blocked";
  if (steps.has("pre_close_account")) state = "pre_closed";
  if (steps.has("close_account") || c.status === "cancelled") state = "closed";
  return state;
}

const CARD_FACTS = ["id", "family", "status", "msisdn", "numberStatus"] as const;

/** A SIM line's state: the last SIM card with that number decides, as when every card was primed. */
export async function loadLineState(db: Db, msisdn: string): Promise<LineState | undefined> {
  const cards = await db
    .selectFrom("cards")
    .select(CARD_FACTS)
    .where("msisdn", "=", msisdn)
    .where("family", "=", "sim")
    .execute();
  let state: LineState | undefined;
  for (const c of cards) state = lineState(c, await doneSteps(db, c.id));
  return state;
}

/** A card's state in the card system; SIM cards with a number live in the network instead. */
export async function loadCardState(db: Db, cardId: string): Promise<CardState | undefined> {
  const c = await db.selectFrom("cards").select(CARD_FACTS).where("id", "=", cardId).executeTakeFirst();
  if (!c || (c.family === "sim" && c.msisdn)) return undefined;
  return cardState(c, await doneSteps(db, c.id));
}

/** What the provider's books say about a card's account: its arrears and unbilled charges. */
export async function loadAccount(
  db: Db,
  account: AccountRef,
): Promise<{ arrearsFen: number; unbilledFen: number } | undefined> {
  const a = await db
    .selectFrom("accounts")
    .select(["arrearsFen", "unbilledFen"])
    .where("cardId", "=", account.cardId)
    .executeTakeFirst();
  return a && { arrearsFen: Number(a.arrearsFen), unbilledFen: Number(a.unbilledFen) };
}

export async function primeSimulators(db: Db, sims: Simulators): Promise<void> {
  sims.network.primer.reset((msisdn) => loadLineState(db, msisdn));
  sims.crm.primer.reset((cardId) => loadCardState(db, cardId));
  sims.billing.primer.reset((account) => loadAccount(db, account));
}
