/** Staff ask the holder for more information; the holder is told what is needed. */
import type { ApplicationRow } from "../db/schema.js";
import type { Actor, AppDeps } from "./context.js";
import { runTransition } from "./transition.js";

export async function requestInfo(
  deps: AppDeps,
  actor: Actor,
  input: { applicationId: string; message: string },
): Promise<ApplicationRow> {
  return runTransition(deps, actor, {
    transition: "request_info",
    action: "application.request_info",
    applicationId: input.applicationId,
    comment: input.message,
    prepare: () => ({ infoRequest: input.message, infoResponse: null }),
    notify: { template: "info_requested", params: () => ({ message: input.message }) },
  });
}
