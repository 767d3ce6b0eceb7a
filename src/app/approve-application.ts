/** Staff approve; processing may start. */
import type { ApplicationRow } from "../db/schema.js";
import type { Actor, AppDeps } from "./context.js";
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
    notify: { template: "approved" },
  });
}
