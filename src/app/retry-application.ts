/** A supervisor sends a failed application back into processing. */
import type { ApplicationRow } from "../db/schema.js";
import type { Actor, AppDeps } from "./context.js";
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
  });
}
