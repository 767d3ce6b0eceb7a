/** Step records of the processing pipeline: one row per application and step. */
import type { DbOrTx } from "../../db/connect.js";
import type { ProcessingStepRow } from "../../db/schema.js";
import type { ProcessingStep } from "../../domain/processing.js";

export async function ensureSteps(
  db: DbOrTx,
  applicationId: string,
  plan: ProcessingStep[],
  now: string,
): Promise<void> {
  for (const [position, step] of plan.entries()) {
    await db
      .insertInto("processingSteps")
      .values({ applicationId, step, position, status: "pending", attempts: 0, updatedAt: now })
      .onConflict((oc) => oc.columns(["applicationId", "step"]).doNothing())
      .execute();
  }
}

export async function listSteps(db: DbOrTx, applicationId: string): Promise<ProcessingStepRow[]> {
  return db
    .selectFrom("processingSteps")
    .selectAll()
    .where("applicationId", "=", applicationId)
    .orderBy("position")
    .execute();
}

export async function markStep(
  db: DbOrTx,
  applicationId: string,
  step: string,
  patch: Partial<
    Pick<
      ProcessingStepRow,
      "status" | "attempts" | "resultJson" | "lastError" | "waitUntil" | "startedAt" | "finishedAt"
    >
  > & { updatedAt: string },
): Promise<void> {
  await db
    .updateTable("processingSteps")
    .set(patch)
    .where("applicationId", "=", applicationId)
    .where("step", "=", step)
    .execute();
}
