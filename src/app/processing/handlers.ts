/** The pipeline's job handlers, keyed by task name, for the worker. */
import type { JobHandler } from "../../jobs/worker.js";
import type { AppDeps } from "../context.js";
import { handlePipelineRun, handlePipelineStart, PIPELINE_TASKS } from "./run-pipeline.js";

export function pipelineHandlers(deps: AppDeps): Record<string, JobHandler> {
  return {
    [PIPELINE_TASKS.start]: (payload) => handlePipelineStart(deps, payload as { applicationId: string }),
    [PIPELINE_TASKS.run]: (payload) => handlePipelineRun(deps, payload as { applicationId: string }),
  };
}
