/**
 * Issuing a receipt (at submission) or a certificate (at completion) inside the transaction that
 * makes the change, so the document exists exactly when the change does: a rolled-back submission
 * leaves no receipt, and a retried one finds the first receipt and keeps it.
 */
import type { AppDeps } from "../app/context.js";
import { type KnownParties, partiesOf } from "../app/parties.js";
import { atAuditPosition } from "../db/audit-repository.js";
import type { Tx } from "../db/connect.js";
import { prepared } from "../db/prepared.js";
import { insertReceiptOnce } from "../db/receipts-repository.js";
import type { ApplicationRow } from "../db/schema.js";
import { signReceipt } from "./jws.js";
import { buildPayload, type ReceiptKind } from "./payload.js";

const ledgerOf = prepared<{ applicationId: string }>()((db, a) =>
  db.selectFrom("ledgerEntries").select(["kind", "amountFen"]).where("applicationId", "=", a.applicationId),
);

export async function issueReceipt(
  deps: AppDeps,
  tx: Tx,
  application: ApplicationRow,
  kind: ReceiptKind,
  /** The application's card, holder or provider as this transaction holds them, if at hand. */
  known?: KnownParties,
): Promise<void> {
  const [{ card, holder, provider }, ledger] = await Promise.all([
    partiesOf(tx, application, known),
    ledgerOf.all(tx, { applicationId: application.id }),
  ]);
  if (!card || !holder || !provider)
    throw new Error(`application ${application.id} lost its card, holder or provider`);
  const now = deps.clock.now().toISOString();
  const id = deps.ids.id(kind === "receipt" ? "rcp" : "crt");
  // The payload pins the audit chain's head right before the event that follows (the submission
  // or completion), which is known when the transaction's events are chained, just before it
  // commits: signed then, and stored with the chain's writes.
  await atAuditPosition(tx, async (audit) => {
    const payload = buildPayload({
      kind,
      id,
      issuer: deps.config.publicUrl,
      issuedAt: now,
      application,
      provider,
      card,
      holder,
      ledger: ledger.map((l) => ({ kind: l.kind, amountFen: Number(l.amountFen) })),
      audit,
    });
    const { jws, kid } = await signReceipt(deps.signingKeys, payload);
    return insertReceiptOnce(tx, { id, applicationId: application.id, kind, jws, kid, createdAt: now });
  });
}
