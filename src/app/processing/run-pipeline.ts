/**
 * The processing pipeline, run as a job: each step in order, each with its own record; a done step
 * is never run again; a retryable failure is retried by the worker with backoff; a final failure (or
 * too many tries) moves the application to `failed` with the cause, for staff to retry. When every
 * step is done the application completes (certificate, notification) through the same transition
 * as everything else.
 */
import { findApplication } from "../../db/applications-repository.js";
import { appendAudit } from "../../db/audit-repository.js";
import { findCard } from "../../db/cards-repository.js";
import { inTransaction, type Tx } from "../../db/connect.js";
import { enqueueJob } from "../../db/jobs-repository.js";
import { findProvider, rulesOf } from "../../db/providers-repository.js";
import { type ProcessingStep, processingPlan } from "../../domain/processing.js";
import { ProviderError } from "../../ports/providers.js";
import { completeApplication } from "../complete-application.js";
import { type AppDeps, SYSTEM_ACTOR } from "../context.js";
import { AppError } from "../errors.js";
import { failApplication } from "../fail-application.js";
import { startProcessing } from "../start-processing.js";
import { runStep, type StepOutcome } from "./step-handlers.js";
import { ensureSteps, listSteps, markStep } from "./steps-repository.js";

/** Tries of one step before the application is handed to staff. */
export const STEP_MAX_ATTEMPTS = 5;

export const PIPELINE_TASKS = { start: "pipeline.start", run: "pipeline.run" } as const;

/** Queues the pipeline in the caller's transaction; the dedupe key makes a second queueing a no-op. */
export async function enqueuePipeline(
  tx: Tx,
  applicationId: string,
  task: "start" | "run",
  dedupe: string,
  runAt: Date,
): Promise<void> {
  await enqueueJob(
    tx,
    {
      task: PIPELINE_TASKS[task],
      payload: { applicationId },
      dedupeKey: `pipeline:${task}:${applicationId}:${dedupe}`,
      runAt: runAt.toISOString(),
      maxAttempts: 50,
    },
    runAt.toISOString(),
  );
}

/** Job handler: an approved application starts processing (as the system). */
export async function handlePipelineStart(deps: AppDeps, payload: { applicationId: string }): Promise<void> {
  const app = await findApplication(deps.db, payload.applicationId);
  if (app?.status !== "approved") return;
  try {
    await startProcessing(deps, SYSTEM_ACTOR, { applicationId: app.id });
  } catch (err) {
    // Withdrawn or started meanwhile: nothing to do.
    if (
      err instanceof AppError &&
      (err.code === "TRANSITION_NOT_ALLOWED" || err.code === "CONCURRENT_UPDATE")
    )
      return;
    throw err;
  }
}

/** Job handler: runs every step not yet done, then completes the application. */
export async function handlePipelineRun(deps: AppDeps, payload: { applicationId: string }): Promise<void> {
  const app = await findApplication(deps.db, payload.applicationId);
  if (app?.status !== "processing") return;
  const [card, provider] = await Promise.all([
    findCard(deps.db, app.cardId),
    findProvider(deps.db, app.providerId),
  ]);
  if (!card || !provider) throw new Error(`application ${app.id} lost its card or provider`);
  const rules = rulesOf(provider);
  const plan = processingPlan(card);
  await ensureSteps(deps.db, app.id, plan, deps.clock.now().toISOString());

  for (const record of await listSteps(deps.db, app.id)) {
    if (record.status === "done") continue;
    const step = record.step as ProcessingStep;
    const now = deps.clock.now();
    if (record.status === "waiting" && record.waitUntil && record.waitUntil > now.toISOString()) {
      await inTransaction(deps.db, (tx) =>
        enqueuePipeline(tx, app.id, "run", `wait:${step}:${record.waitUntil}`, new Date(record.waitUntil!)),
      );
      return;
    }
    let outcome: StepOutcome;
    try {
      outcome = await runStep(
        step,
        { deps, app, card, rules, providerCode: provider.code, now },
        deps.providers,
      );
    } catch (err) {
      await recordFailure(deps, app.id, step, record.attempts + 1, err);
      return;
    }
    if (outcome.kind === "wait") {
      await inTransaction(deps.db, async (tx) => {
        await markStep(tx, app.id, step, {
          status: "waiting",
          waitUntil: outcome.until,
          resultJson: JSON.stringify(outcome.result),
          updatedAt: now.toISOString(),
        });
        await enqueuePipeline(tx, app.id, "run", `wait:${step}:${outcome.until}`, new Date(outcome.until));
      });
      return;
    }
    await inTransaction(deps.db, async (tx) => {
      for (const m of outcome.ledger ?? []) {
        await tx
          .insertInto("ledgerEntries")
          .values({
            id: deps.ids.id("led"),
            applicationId: app.id,
            cardId: card.id,
            kind: m.kind,
            amountFen: m.amountFen,
            counterparty: m.counterparty ?? null,
            externalRef: m.ref ?? null,
            createdAt: now.toISOString(),
          })
          .onConflict((oc) => oc.columns(["applicationId", "kind"]).doNothing())
          .execute();
      }
      await outcome.apply?.(tx);
      await markStep(tx, app.id, step, {
        status: "done",
        attempts: record.attempts + 1,
        resultJson: JSON.stringify(outcome.result),
        lastError: null,
        startedAt: record.startedAt ?? now.toISOString(),
        finishedAt: now.toISOString(),
        updatedAt: now.toISOString(),
      });
      await appendAudit(tx, {
        id: deps.ids.id("evt"),
        entityType: "processing_step",
        entityId: `${app.id}:${step}`,
        applicationId: app.id,
        action: `processing.${step}`,
        actorType: "system",
        actorId: "pipeline",
        after: outcome.result,
        at: now.toISOString(),
      });
    });
  }
  await completeApplication(deps, SYSTEM_ACTOR, { applicationId: app.id });
}

/**
 * A retryable failure under the limit is thrown back to the worker, which retries the job with
 * backoff; anything else fails the application with its cause.
 */
async function recordFailure(
  deps: AppDeps,
  applicationId: string,
  step: ProcessingStep,
  attempts: number,
  err: unknown,
): Promise<void> {
  const message = err instanceof Error ? err.message : String(err);
  const retryable = err instanceof ProviderError ? err.retryable : true;
  const now = deps.clock.now().toISOString();
  await markStep(deps.db, applicationId, step, {
    status: "failed",
    attempts,
    lastError: message.slice(0, 1000),
    updatedAt: now,
  });
  if (retryable && attempts < STEP_MAX_ATTEMPTS) throw err;
  await failApplication(deps, SYSTEM_ACTOR, { applicationId, cause: `${step}: ${message}` });
}
