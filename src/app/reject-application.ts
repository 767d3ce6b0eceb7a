/** Staff reject with a reason code; the card goes back into use. */
import { returnCardToUse } from "../db/cards-repository.js";
import type { ApplicationRow } from "../db/schema.js";
import type { RejectReason } from "../domain/states.js";
import type { Actor, AppDeps } from "./context.js";
import { runTransition } from "./transition.js";

export async function rejectApplication(
  deps: AppDeps,
  actor: Actor,
  input: { applicationId: string; reason: RejectReason; comment?: string },
): Promise<ApplicationRow> {
  return runTransition(deps, actor, {
    transition: "reject",
    action: "application.reject",
    applicationId: input.applicationId,
    reason: input.reason,
    comment: input.comment ?? null,
    prepare: () => ({
      rejectReason: input.reason,
      rejectComment: input.comment ?? null,
      decidedAt: deps.clock.now().toISOString(),
    }),
    after: (tx, _before, after) => returnCardToUse(tx, after.cardId, deps.clock.now().toISOString()),
    notify: { template: "rejected", params: () => ({ reason: input.reason }) },
  });
}
