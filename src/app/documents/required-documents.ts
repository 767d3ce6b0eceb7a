/**
 * Which document kinds an application needs, from the provider's rules for its channel, proxy and
 * a minor holder; and which of them are still missing.
 */
import type { DbOrTx } from "../../db/connect.js";
import type { ApplicationRow } from "../../db/schema.js";
import type { DocumentKind } from "../../domain/rules.js";
import { loadCardContext } from "../evaluate-card.js";

export async function requiredDocuments(
  db: DbOrTx,
  app: ApplicationRow,
): Promise<{ required: DocumentKind[]; missing: DocumentKind[] }> {
  const card = await db
    .selectFrom("cards")
    .selectAll()
    .where("id", "=", app.cardId)
    .executeTakeFirstOrThrow();
  const ctx = await loadCardContext(db, card);
  const docs = ctx.rules.rules.documents.value;
  const channel = app.channel === "counter" ? "counter" : "online";
  const required = [
    ...new Set([
      ...docs[channel],
      ...(app.proxy === 1 ? docs.proxy : []),
      ...(ctx.holder.isMinor === 1 ? docs.minor : []),
    ]),
  ];
  const have = await db.selectFrom("documents").select("kind").where("applicationId", "=", app.id).execute();
  const present = new Set(have.map((d) => d.kind));
  return { required, missing: required.filter((k) => !present.has(k)) };
}
