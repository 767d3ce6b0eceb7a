/**
 * Counter mode: staff identify a holder in person by the ID document in front of them, and see the
 * holder's cards with this provider. Found by keyed hash; every look-up is audited.
 */
import { appendAudit } from "../db/audit-repository.js";
import { inTransaction } from "../db/connect.js";
import type { CardRow, HolderRow } from "../db/schema.js";
import { checkIdNumber } from "../domain/identifiers.js";
import { type Actor, type AppDeps, authorize } from "./context.js";
import { AppError } from "./errors.js";

export async function lookupHolder(
  deps: AppDeps,
  actor: Actor,
  input: { idType: string; idNumber: string },
): Promise<{ holder: HolderRow; cards: CardRow[] }> {
  authorize(actor, "holder.lookup");
  let normalised = input.idNumber.trim().toUpperCase();
  if (input.idType === "resident_id") {
    const r = checkIdNumber(input.idNumber, deps.clock.now());
    if (!r.ok) throw new AppError("ID_NUMBER_INVALID", { field: "idNumber", reason: r.code });
    normalised = r.value;
  }
  return inTransaction(deps.db, async (tx) => {
    const holder = await tx
      .selectFrom("holders")
      .selectAll()
      .where("idNumberHash", "=", deps.vault.hash(normalised))
      .executeTakeFirst();
    if (!holder || holder.idType !== input.idType)
      throw new AppError("NOT_FOUND", { holder: "by id number" });
    let q = tx.selectFrom("cards").selectAll().where("holderId", "=", holder.id);
    if (actor.type === "staff" && actor.providerId) q = q.where("providerId", "=", actor.providerId);
    const cards = await q.orderBy("createdAt").execute();
    await appendAudit(tx, {
      id: deps.ids.id("evt"),
      entityType: "holder",
      entityId: holder.id,
      applicationId: null,
      action: "holder.lookup",
      actorType: actor.type,
      actorId: actor.id,
      at: deps.clock.now().toISOString(),
    });
    return { holder, cards };
  });
}
