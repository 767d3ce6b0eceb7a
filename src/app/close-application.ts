/**
 * Close a completed application once the card is gone: destroyed or returned at a counter, the
 * eSIM profile deleted, or the holder's own declaration. Holders may only declare; how a card can
 * end depends on its family.
 */
import { setCardStatus } from "../db/cards-repository.js";
import type { Tx } from "../db/connect.js";
import type { ApplicationRow } from "../db/schema.js";
import type { DestroyedHow } from "../domain/model.js";
import type { Actor, AppDeps } from "./context.js";
import { AppError } from "./errors.js";
import { runTransition } from "./transition.js";

const ALLOWED_HOW: Record<string, readonly DestroyedHow[]> = {
  physical: ["destroyed", "returned", "declared"],
  esim: ["profile_deleted", "declared"],
  smart_card: ["destroyed", "returned", "declared"],
};

export async function closeApplication(
  deps: AppDeps,
  actor: Actor,
  input: { applicationId: string; how: DestroyedHow; comment?: string },
): Promise<ApplicationRow> {
  if (actor.type === "holder" && input.how !== "declared") {
    throw new AppError(
      "FORBIDDEN",
      { how: input.how },
      "holders close by declaration; counters confirm destruction or return",
    );
  }
  return runTransition(deps, actor, {
    transition: "close",
    action: "application.close",
    applicationId: input.applicationId,
    reason: input.how,
    comment: input.comment ?? null,
    prepare: async (tx, app) => {
      const card = await tx
        .selectFrom("cards")
        .select(["family", "kind"])
        .where("id", "=", app.cardId)
        .executeTakeFirstOrThrow();
      const allowed = ALLOWED_HOW[card.family === "sim" ? card.kind : "smart_card"] ?? [];
      if (!allowed.includes(input.how))
        throw new AppError(
          "VALIDATION_FAILED",
          { field: "how", allowed },
          `a ${card.kind} card cannot end as ${input.how}`,
        );
      return { closedHow: input.how, closedAt: deps.clock.now().toISOString() };
    },
    after: async (tx, _before, after) => {
      const now = deps.clock.now().toISOString();
      await setCardStatus(
        tx,
        after.cardId,
        ["cancelled"],
        { status: "cancelled", destroyedAt: now, destroyedHow: input.how },
        now,
      );
      // A returned card gets its deposit back at the counter: once, as a ledger entry.
      if (input.how === "returned") await refundDeposit(deps, tx, after.id, after.cardId, now);
    },
    notify: { template: "closed" },
  });
}

async function refundDeposit(
  deps: AppDeps,
  tx: Tx,
  applicationId: string,
  cardId: string,
  now: string,
): Promise<void> {
  const account = await tx
    .selectFrom("accounts")
    .select("depositFen")
    .where("cardId", "=", cardId)
    .executeTakeFirst();
  const deposit = Number(account?.depositFen ?? 0);
  if (deposit <= 0) return;
  const r = await tx
    .insertInto("ledgerEntries")
    .values({
      id: deps.ids.id("led"),
      applicationId,
      cardId,
      kind: "deposit_refund",
      amountFen: deposit,
      counterparty: "holder (at the counter)",
      externalRef: null,
      createdAt: now,
    })
    .onConflict((oc) => oc.columns(["applicationId", "kind"]).doNothing())
    .executeTakeFirst();
  if (Number(r.numInsertedOrUpdatedRows ?? 0n) === 1) {
    await tx
      .updateTable("accounts")
      .set({ depositFen: 0, updatedAt: now })
      .where("cardId", "=", cardId)
      .execute();
  }
}
