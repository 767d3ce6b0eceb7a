/** The holder withdraws (or staff withdraw at the holder's request) until processing starts. */
import { returnCardToUse } from "../db/cards-repository.js";
import type { ApplicationRow } from "../db/schema.js";
import type { Actor, AppDeps } from "./context.js";
import { runTransition } from "./transition.js";

export async function withdrawApplication(
  deps: AppDeps,
  actor: Actor,
  input: { applicationId: string; comment?: string },
): Promise<ApplicationRow> {
  return runTransition(deps, actor, {
    transition: "withdraw",
    action: "application.withdraw",
    applicationId: input.applicationId,
    comment: input.comment ?? null,
    // The card goes back into use; a draft never touched it.
    after: async (tx, before, after) => {
      if (before.status !== "draft") await returnCardToUse(tx, after.cardId, deps.clock.now().toISOString());
    },
    notify: { template: "withdrawn" },
  });
}
