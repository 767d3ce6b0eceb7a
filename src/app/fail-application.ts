/** Processing failed: the cause is kept for staff to retry or escalate. */
import type { ApplicationRow } from "../db/schema.js";
import type { Actor, AppDeps } from "./context.js";
import { runTransition } from "./transition.js";

export async function failApplication(
  deps: AppDeps,
  actor: Actor,
  input: { applicationId: string; cause: string },
): Promise<ApplicationRow> {
  return runTransition(deps, actor, {
    transition: "fail",
    action: "application.fail",
    applicationId: input.applicationId,
    reason: input.cause,
    prepare: () => ({ failureCause: input.cause }),
    notify: { template: "failed" },
  });
}
