/** Staff take a submitted application into review. */
import type { ApplicationRow } from "../db/schema.js";
import type { Actor, AppDeps } from "./context.js";
import { runTransition } from "./transition.js";

export async function startReview(
  deps: AppDeps,
  actor: Actor,
  input: { applicationId: string },
): Promise<ApplicationRow> {
  return runTransition(deps, actor, {
    transition: "start_review",
    action: "application.start_review",
    applicationId: input.applicationId,
  });
}
