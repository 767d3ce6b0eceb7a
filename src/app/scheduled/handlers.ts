/**
 * Recurring work on the table-backed queue: when the worker is idle it enqueues each task once per
 * period, with a dedupe key naming the period, so that any number of workers run it once.
 */
import { inTransaction } from "../../db/connect.js";
import { enqueueJob } from "../../db/jobs-repository.js";
import type { JobHandler } from "../../jobs/worker.js";
import { remindAppointments } from "../../notify/appointment-reminder.js";
import { notifyQuarantineEnding } from "../../notify/quarantine-ending.js";
import type { AppDeps } from "../context.js";
import { purgeOldDocuments } from "../holder-data.js";
import { runArrearsLadder } from "./arrears-ladder.js";
import { purgeIdempotencyRecords } from "./purge-idempotency.js";
import { releaseQuarantinedNumbers } from "./release-quarantined-numbers.js";

const SCHEDULE: Record<string, { periodMs: number; run: (deps: AppDeps) => Promise<unknown> }> = {
  "scheduled.release_numbers": { periodMs: 3_600_000, run: releaseQuarantinedNumbers },
  "scheduled.arrears_ladder": { periodMs: 3_600_000, run: runArrearsLadder },
  "scheduled.quarantine_ending": { periodMs: 3_600_000, run: notifyQuarantineEnding },
  "scheduled.appointment_reminders": { periodMs: 3_600_000, run: remindAppointments },
  "scheduled.purge_documents": { periodMs: 3_600_000, run: purgeOldDocuments },
  "scheduled.purge_idempotency": { periodMs: 3_600_000, run: purgeIdempotencyRecords },
};

export function scheduledHandlers(deps: AppDeps): Record<string, JobHandler> {
  return Object.fromEntries(
    Object.entries(SCHEDULE).map(([task, s]) => [task, async () => void (await s.run(deps))]),
  );
}

// Per database, so that several runtimes in one process (tests) do not share the memory.
const lastSlots = new WeakMap<object, Map<string, number>>();

export async function enqueueScheduledJobs(deps: AppDeps): Promise<void> {
  const now = deps.clock.now();
  let lastSlot = lastSlots.get(deps.db);
  if (!lastSlot) {
    lastSlot = new Map();
    lastSlots.set(deps.db, lastSlot);
  }
  for (const [task, s] of Object.entries(SCHEDULE)) {
    const slot = Math.floor(now.getTime() / s.periodMs);
    // Checked in memory first so an idle worker does not write every poll.
    if (lastSlot.get(task) === slot) continue;
    await inTransaction(deps.db, (tx) =>
      enqueueJob(
        tx,
        { task, payload: {}, dedupeKey: `${task}:${slot}`, runAt: now.toISOString(), maxAttempts: 3 },
        now.toISOString(),
      ),
    );
    lastSlot.set(task, slot);
  }
}
