/**
 * The table-backed job queue (transactional outbox). Jobs are inserted in the transaction that
 * caused them, with a dedupe key that makes a second enqueue of the same intent a no-op.
 */
import type { DbOrTx, Tx } from "./connect.js";
import type { JobRow } from "./schema.js";

export interface NewJob {
  task: string;
  payload: unknown;
  dedupeKey: string;
  runAt: string;
  maxAttempts?: number;
}

export async function enqueueJob(tx: Tx, job: NewJob, now: string): Promise<void> {
  await tx
    .insertInto("jobs")
    .values({
      task: job.task,
      payloadJson: JSON.stringify(job.payload),
      dedupeKey: job.dedupeKey,
      status: "pending",
      attempts: 0,
      maxAttempts: job.maxAttempts ?? 10,
      runAt: job.runAt,
      createdAt: now,
      updatedAt: now,
    })
    .onConflict((oc) => oc.column("dedupeKey").doNothing())
    .execute();
}

/**
 * Claims the oldest due job. The claim is a guarded update (status still pending), so two workers
 * racing for one job cannot both get it; a job whose lock is older than `staleBefore` is taken
 * back from a worker that died mid-run.
 */
export async function claimJob(
  db: DbOrTx,
  worker: string,
  now: string,
  staleBefore: string,
): Promise<JobRow | null> {
  const candidate = await db
    .selectFrom("jobs")
    .selectAll()
    .where((eb) =>
      eb.or([
        eb.and([eb("status", "=", "pending"), eb("runAt", "<=", now)]),
        eb.and([eb("status", "=", "running"), eb("lockedAt", "<", staleBefore)]),
      ]),
    )
    .orderBy("runAt", "asc")
    .orderBy("id", "asc")
    .limit(1)
    .executeTakeFirst();
  if (!candidate) return null;
  const res = await db
    .updateTable("jobs")
    .set({
      status: "running",
      lockedAt: now,
      lockedBy: worker,
      attempts: candidate.attempts + 1,
      updatedAt: now,
    })
    .where("id", "=", candidate.id)
    .where("status", "=", candidate.status)
    .where("attempts", "=", candidate.attempts)
    .executeTakeFirst();
  if (Number(res.numUpdatedRows) !== 1) return null;
  return {
    ...candidate,
    status: "running",
    lockedAt: now,
    lockedBy: worker,
    attempts: candidate.attempts + 1,
  };
}

export async function finishJob(db: DbOrTx, id: number, now: string): Promise<void> {
  await db
    .updateTable("jobs")
    .set({ status: "done", lockedAt: null, updatedAt: now, lastError: null })
    .where("id", "=", id)
    .execute();
}

/** Back to pending until `runAt`, and the run that deferred it does not count as a try. */
export async function deferJob(db: DbOrTx, job: JobRow, runAt: string, now: Date): Promise<void> {
  await db
    .updateTable("jobs")
    .set({
      status: "pending",
      attempts: Math.max(0, job.attempts - 1),
      lockedAt: null,
      lockedBy: null,
      runAt,
      updatedAt: now.toISOString(),
    })
    .where("id", "=", job.id)
    .execute();
}

/** The tries a job is allowed, for a handler that records a final failure itself. */
export async function jobMaxAttempts(db: DbOrTx, id: number): Promise<number> {
  const r = await db.selectFrom("jobs").select("maxAttempts").where("id", "=", id).executeTakeFirst();
  return r?.maxAttempts ?? 1;
}

export async function failJob(
  db: DbOrTx,
  job: JobRow,
  error: string,
  now: Date,
  backoffMs: number,
): Promise<void> {
  const dead = job.attempts >= job.maxAttempts;
  await db
    .updateTable("jobs")
    .set({
      status: dead ? "dead" : "pending",
      lockedAt: null,
      lockedBy: null,
      lastError: error.slice(0, 2000),
      runAt: new Date(now.getTime() + backoffMs).toISOString(),
      updatedAt: now.toISOString(),
    })
    .where("id", "=", job.id)
    .execute();
}

export async function countJobs(db: DbOrTx, status: string): Promise<number> {
  const r = await db
    .selectFrom("jobs")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("status", "=", status)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
