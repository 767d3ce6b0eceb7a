/**
 * The shared shape of every state change: check permission, load what the actor may see, check
 * the state machine, apply a guarded update, write the audit event, and schedule the side effects
 * — all in one transaction. Use cases supply what differs.
 */
import { transitionApplication } from "../db/applications-repository.js";
import { appendAudit } from "../db/audit-repository.js";
import { lockApplicationScope } from "../db/card-scope.js";
import { inTransaction, type Tx } from "../db/connect.js";
import type { ApplicationPatch, ApplicationRow, CardRow } from "../db/schema.js";
import type { Action } from "../domain/policy.js";
import { canTransition, type Transition, targetOf } from "../domain/states.js";
import { enqueueNotifications } from "../notify/outbox.js";
import { loadVisibleApplication } from "./access.js";
import { type Actor, type AppDeps, authorize } from "./context.js";
import { AppError } from "./errors.js";
import type { TemplateName } from "./notifications.js";
import type { KnownParties } from "./parties.js";

export interface TransitionSpec {
  transition: Transition;
  action: Action;
  applicationId: string;
  reason?: string | null;
  comment?: string | null;
  /**
   * Extra checks and field changes, computed inside the transaction from the current row. What
   * it reads of the card, holder and provider it may leave in `known` (parties.ts), for `after`,
   * the receipt and the notification; `known` is new for every attempt of the transaction.
   */
  prepare?: (
    tx: Tx,
    app: ApplicationRow,
    known: KnownParties,
  ) => Promise<ApplicationPatch> | ApplicationPatch;
  /** Effects on other rows (card status, dependants) in the same transaction; a changed card goes into `known`. */
  after?: (tx: Tx, before: ApplicationRow, after: ApplicationRow, known: KnownParties) => Promise<void>;
  notify?: { template: TemplateName; params?: (app: ApplicationRow) => Record<string, string> };
  /**
   * The application's card, read under its family's lock in the transaction the caller already
   * has open (creating and submitting at once) and unchanged since: the lock is not looked up
   * again and the card not read again. Checked against the application's card.
   */
  lockedCard?: CardRow;
}

export async function runTransition(
  deps: AppDeps,
  actor: Actor,
  spec: TransitionSpec,
): Promise<ApplicationRow> {
  authorize(actor, spec.action);
  if (spec.lockedCard && !deps.db.isTransaction)
    throw new Error("a locked card needs the transaction that locked it");
  // Scoped to the card's family (src/db/postgres.ts lists why each table is safe, `prepare` and
  // `after` included): transitions of other cards' applications run alongside.
  return inTransaction(deps.db, (tx) => transitionInTransaction(deps, tx, actor, spec), { lock: "deferred" });
}

async function transitionInTransaction(
  deps: AppDeps,
  tx: Tx,
  actor: Actor,
  spec: TransitionSpec,
): Promise<ApplicationRow> {
  const locked = spec.lockedCard;
  if (!locked) await lockApplicationScope(tx, spec.applicationId);
  const before = await loadVisibleApplication(tx, actor, spec.applicationId);
  if (locked && before.cardId !== locked.id) {
    throw new Error(`application ${before.id} is not of card ${locked.id}, whose family is locked`);
  }
  const known: KnownParties = { card: locked };
  const from = before.status as ApplicationRow["status"] & Parameters<typeof canTransition>[0];
  if (!canTransition(from, spec.transition)) {
    throw new AppError("TRANSITION_NOT_ALLOWED", { transition: spec.transition, status: before.status });
  }
  const patch = (await spec.prepare?.(tx, before, known)) ?? {};
  const now = deps.clock.now().toISOString();
  const after = await transitionApplication(tx, before.id, from, {
    ...patch,
    status: targetOf(spec.transition),
    updatedAt: now,
  });
  if (!after) throw new AppError("CONCURRENT_UPDATE", { id: before.id });
  await spec.after?.(tx, before, after, known);
  await appendAudit(tx, {
    id: deps.ids.id("evt"),
    entityType: "application",
    entityId: after.id,
    applicationId: after.id,
    action: `application.${spec.transition}`,
    actorType: actor.type,
    actorId: actor.id,
    reason: spec.reason ?? null,
    comment: spec.comment ?? null,
    before: { status: before.status },
    after: { status: after.status, ...auditablePatch(patch) },
    at: now,
  });
  if (spec.notify)
    await enqueueNotifications(deps, tx, after, spec.notify.template, spec.notify.params?.(after) ?? {}, {
      known,
    });
  return after;
}

/** The changed fields worth keeping in the audit trail; free text stays in reason/comment. */
function auditablePatch(patch: ApplicationPatch): Record<string, unknown> {
  const { eligibilityJson: _e, unbindingJson: _u, ...rest } = patch;
  return rest;
}

export async function notifyHolder(
  deps: AppDeps,
  tx: Tx,
  app: ApplicationRow,
  template: TemplateName,
  params: Record<string, string>,
): Promise<void> {
  await enqueueNotifications(deps, tx, app, template, params);
}
