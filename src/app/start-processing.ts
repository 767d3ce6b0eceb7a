/** Processing starts: from here on the holder can no longer withdraw. */
import type { ApplicationRow } from "../db/schema.js";
import type { Actor, AppDeps } from "./context.js";
import { enqueuePipeline } from "./processing/run-pipeline.js";
import { runTransition } from "./transition.js";

export async function startProcessing(
  deps: AppDeps,
  actor: Actor,
  input: { applicationId: string },
): Promise<ApplicationRow> {
  return runTransition(deps, actor, {
    transition: "start_processing",
    action: "application.start_processing",
    applicationId: input.applicationId,
    after: (tx, _before, after) =>
      enqueuePipeline(tx, after.id, "run", `v${after.version}`, deps.clock.now()),
  });
}
