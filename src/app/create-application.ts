/**
 * Create an application for a card (a draft, or submitted at once). Never twice: a card with an
 * open application gets that application back, a cancelled card answers with the application
 * that cancelled it, and the one-open-per-card index settles any race.
 */
import {
  findCancellingApplication,
  findOpenApplicationForCard,
  insertApplicationIfNoneOpen,
  openApplicationRead,
} from "../db/applications-repository.js";
import { appendAudit } from "../db/audit-repository.js";
import { lockCardScopeAndRead } from "../db/card-scope.js";
import { bindingsRead, cardRead } from "../db/cards-repository.js";
import { inTransaction, type Tx } from "../db/connect.js";
import { findHolder } from "../db/holders-repository.js";
import { prepared } from "../db/prepared.js";
import type { ApplicationRow, CardRow, NewApplication } from "../db/schema.js";
import { visibleCard } from "./access.js";
import type { CreateApplicationInput } from "./application-input.js";
import { type Actor, type AppDeps, authorize } from "./context.js";
import { draftPatch } from "./draft-fields.js";
import { AppError } from "./errors.js";
import { verifyIdentity } from "./identity.js";
import { submitInTransaction } from "./submit-application.js";

/** Application numbers drawn before giving up (one more than the busiest day should ever need). */
const MAX_NUMBER_DRAWS = 5;

export interface CreateResult {
  application: ApplicationRow;
  /** False when an open application already existed and was returned instead. */
  created: boolean;
}

export async function createApplication(
  deps: AppDeps,
  actor: Actor,
  input: CreateApplicationInput,
): Promise<CreateResult> {
  authorize(actor, "application.create");
  if (input.submit) authorize(actor, "application.submit");
  // Scoped to the card's family (src/db/postgres.ts): creations for other cards run alongside.
  // It locks the card's family first thing (with its first reads).
  return inTransaction(deps.db, (tx) => createInTransaction(deps, tx, actor, input), { lock: "deferred" });
}

async function createInTransaction(
  deps: AppDeps,
  tx: Tx,
  actor: Actor,
  input: CreateApplicationInput,
): Promise<CreateResult> {
  // The card family's lock and the reads that decide, all at once: one round trip on PostgreSQL.
  const reads = [
    cardRead(input.cardId),
    openApplicationRead(input.cardId),
    bindingsRead(input.cardId),
  ] as const;
  const [[found], [existing], bindings, staff] =
    actor.type === "staff"
      ? await lockCardScopeAndRead(tx, input.cardId, [...reads, branchOfStaff.with({ id: actor.id })])
      : [...(await lockCardScopeAndRead(tx, input.cardId, reads)), []];
  const card = visibleCard(actor, input.cardId, found);
  if (existing) return { application: existing, created: false };
  if (card.status === "cancelled") {
    const by = await findCancellingApplication(tx, card.id);
    throw new AppError("CARD_ALREADY_CANCELLED", {
      cardId: card.id,
      applicationNumber: by?.number ?? null,
      applicationId: by?.id ?? null,
    });
  }

  if (input.identity) {
    const holder = await findHolder(tx, card.holderId);
    if (!holder) throw new AppError("CARD_NOT_FOUND", { cardId: card.id });
    verifyIdentity(deps.vault, holder, card, input.identity, deps.clock.now());
  }
  const unbinding = bindings.map((b) => ({ bindingId: b.id, state: "pending" as const }));
  if (input.cardDisposition) checkDisposition(actor, card, input.cardDisposition);
  const {
    identity: _identity,
    cardId: _cardId,
    submit: _submit,
    cardDisposition: _disposition,
    ...fields
  } = input;
  const patch = draftPatch(fields, { unbinding, bindingIds: new Set(bindings.map((b) => b.id)) });
  const now = deps.clock.now();
  const nowIso = now.toISOString();
  const id = deps.ids.id("app");
  const row: Omit<NewApplication, "number"> = {
    id,
    cardId: card.id,
    holderId: card.holderId,
    providerId: card.providerId,
    batchId: null,
    batchPosition: null,
    branch: staff[0]?.branch ?? null,
    status: "draft",
    // Staff file applications at a counter; holders online.
    channel: actor.type === "staff" ? "counter" : actor.type === "provider" ? "api" : "online",
    reason: null,
    timing: "immediate",
    requestedDate: null,
    serviceEndDate: null,
    billingEndDate: null,
    balanceOption: null,
    transferTo: null,
    backupStatus: "pending",
    backupNote: null,
    unbindingJson: JSON.stringify(unbinding),
    proxy: 0,
    eligibilityJson: null,
    infoRequest: null,
    infoResponse: null,
    rejectReason: null,
    rejectComment: null,
    failureCause: null,
    closedHow: null,
    cardDisposition: input.cardDisposition ?? null,
    dueAt: null,
    createdByType: actor.type,
    createdById: actor.id,
    createdAt: nowIso,
    updatedAt: nowIso,
    submittedAt: null,
    decidedAt: null,
    completedAt: null,
    closedAt: null,
    version: 1,
    ...patch,
  };
  // Numbers are short enough to read out (six of 32 characters a day), so on a busy day one may
  // be drawn twice: the unique index refuses it and another is drawn.
  for (let draw = 1; ; draw++) {
    if (await insertApplicationIfNoneOpen(tx, { ...row, number: deps.ids.applicationNumber(now) })) break;
    // Another process won the race between our read and our insert: theirs is the application.
    const winner = await findOpenApplicationForCard(tx, card.id);
    if (winner) return { application: winner, created: false };
    if (draw >= MAX_NUMBER_DRAWS) throw new AppError("CONCURRENT_UPDATE", { cardId: card.id });
  }
  await appendAudit(tx, {
    id: deps.ids.id("evt"),
    entityType: "application",
    entityId: id,
    applicationId: id,
    action: "application.create",
    actorType: actor.type,
    actorId: actor.id,
    after: { status: "draft", cardId: card.id },
    at: nowIso,
  });
  // The card was read under its family's lock above and has not changed since.
  const application = input.submit
    ? await submitInTransaction(deps, tx, actor, id, card)
    : await getRow(tx, id);
  return { application, created: true };
}

const branchOfStaff = prepared<{ id: string }>()((db, a) =>
  db.selectFrom("staff").select("branch").where("id", "=", a.id),
);

async function getRow(
  tx: Parameters<typeof findOpenApplicationForCard>[0],
  id: string,
): Promise<ApplicationRow> {
  const row = await tx.selectFrom("applications").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
  return row;
}

/** Only staff at a counter hold the physical card, and an eSIM has none. */
function checkDisposition(actor: Actor, card: CardRow, disposition: string): void {
  if (actor.type !== "staff")
    throw new AppError(
      "FORBIDDEN",
      { field: "cardDisposition" },
      "only staff at a counter record what became of the card",
    );
  if (card.family === "sim" && card.kind === "esim")
    throw new AppError(
      "VALIDATION_FAILED",
      { field: "cardDisposition", value: disposition },
      "an eSIM has no physical card",
    );
}
