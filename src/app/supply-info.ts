/** The holder answers an information request; the application goes back to review. */
import type { ApplicationRow } from "../db/schema.js";
import type { Actor, AppDeps } from "./context.js";
import { runTransition } from "./transition.js";

export async function supplyInfo(
  deps: AppDeps,
  actor: Actor,
  input: { applicationId: string; response: string },
): Promise<ApplicationRow> {
  return runTransition(deps, actor, {
    transition: "supply_info",
    action: "application.supply_info",
    applicationId: input.applicationId,
    comment: input.response,
    prepare: () => ({ infoResponse: input.response }),
  });
}
