/** Staff approve; processing may start. */
import type { ApplicationRow } from "../db/schema.js";
import type { Actor, AppDeps } from "./context.js";
import { enqueuePipeline } from "./processing/run-pipeline.js";
import { runTransition } from "./transition.js";

export async function approveApplication(
  deps: AppDeps,
  actor: Actor,
  input: { applicationId: string; comment?: string },
): Promise<ApplicationRow> {
  return runTransition(deps, actor, {
    transition: "approve",
    action: "application.approve",
    applicationId: input.applicationId,
    comment: input.comment ?? null,
    prepare: () => ({ decidedAt: deps.clock.now().toISOString() }),
    // Processing starts by itself once approved; the job is queued in this same transaction.
    after: (tx, _before, after) =>
      enqueuePipeline(tx, after.id, "start", `v${after.version}`, deps.clock.now()),
    notify: { template: "approved" },
  });
}
