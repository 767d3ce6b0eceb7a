/** The processing view of an application: each step with its result, tries and error; the ledger. */
import { loadVisibleApplication } from "../access.js";
import { type Actor, type AppDeps, authorize } from "../context.js";
import { listSteps } from "./steps-repository.js";

export async function getProcessing(deps: AppDeps, actor: Actor, input: { applicationId: string }) {
  authorize(actor, "application.read");
  const app = await loadVisibleApplication(deps.db, actor, input.applicationId);
  const [steps, ledger] = await Promise.all([
    listSteps(deps.db, app.id),
    deps.db
      .selectFrom("ledgerEntries")
      .selectAll()
      .where("applicationId", "=", app.id)
      .orderBy("createdAt")
      .execute(),
  ]);
  return {
    status: app.status,
    failureCause: app.failureCause,
    steps: steps.map((s) => ({
      step: s.step,
      status: s.status,
      attempts: s.attempts,
      result: s.resultJson ? (JSON.parse(s.resultJson) as unknown) : null,
      lastError: s.lastError,
      waitUntil: s.waitUntil,
      startedAt: s.startedAt,
      finishedAt: s.finishedAt,
    })),
    ledger: ledger.map((l) => ({
      kind: l.kind,
      amountFen: Number(l.amountFen),
      counterparty: l.counterparty,
      externalRef: l.externalRef,
      createdAt: l.createdAt,
    })),
  };
}
