/** A supervisor sends a failed application back into processing. */
import type { ApplicationRow } from "../db/schema.js";
import type { Actor, AppDeps } from "./context.js";
import { enqueuePipeline } from "./processing/run-pipeline.js";
import { runTransition } from "./transition.js";

export async function retryApplication(
  deps: AppDeps,
  actor: Actor,
  input: { applicationId: string; comment?: string },
): Promise<ApplicationRow> {
  return runTransition(deps, actor, {
    transition: "retry",
    action: "application.retry",
    applicationId: input.applicationId,
    comment: input.comment ?? null,
    prepare: () => ({ failureCause: null }),
    // Failed steps get a fresh set of tries; steps already done stay done and are not repeated.
    after: async (tx, _before, after) => {
      await tx
        .updateTable("processingSteps")
        .set({ status: "pending", attempts: 0, updatedAt: deps.clock.now().toISOString() })
        .where("applicationId", "=", after.id)
        .where("status", "=", "failed")
        .execute();
      await enqueuePipeline(tx, after.id, "run", `v${after.version}`, deps.clock.now());
    },
  });
}
