/**
 * The table-backed job queue (transactional outbox). Jobs are inserted in the transaction that
 * caused them, with a dedupe key that makes a second enqueue of the same intent a no-op.
 */
import { sql } from "kysely";
import { type DbOrTx, isPostgresDb, type Tx } from "./connect.js";
import { executeNamed, prepared } from "./prepared.js";
import type { JobRow } from "./schema.js";

/** The one graphile-worker task: its payload names a row of `jobs`, which stays the record. */
export const GRAPHILE_TASK = "zhuxiao_job";

/**
 * On PostgreSQL, tells graphile-worker (in the same transaction) to run job `id` after `delayMs`.
 * The job key makes a second dispatch of the same row replace the first instead of adding one.
 * The delay is relative, so a shifted test or demo clock does not move the database's clock.
 */
export async function dispatchJob(tx: DbOrTx, id: number, delayMs: number): Promise<void> {
  const dispatch = sql`select graphile_worker.add_job(
      ${GRAPHILE_TASK}::text,
      json_build_object('id', ${id}::bigint),
      run_at => now() + make_interval(secs => ${Math.max(0, delayMs) / 1000}::float8),
      max_attempts => 25,
      job_key => ${`zhuxiao:${id}`}::text
    )`;
  await executeNamed(tx, dispatch.compile(tx));
}

export interface NewJob {
  task: string;
  payload: unknown;
  dedupeKey: string;
  runAt: string;
  maxAttempts?: number;
}

interface JobArgs extends Record<string, unknown> {
  task: string;
  payloadJson: string;
  dedupeKey: string;
  maxAttempts: number;
  runAt: string;
  now: string;
}

const jobRow = (a: JobArgs) => ({
  task: a.task,
  payloadJson: a.payloadJson,
  dedupeKey: a.dedupeKey,
  status: "pending" as const,
  attempts: 0,
  maxAttempts: a.maxAttempts,
  runAt: a.runAt,
  createdAt: a.now,
  updatedAt: a.now,
});

const insertJob = prepared<JobArgs>()((db, a) =>
  db
    .insertInto("jobs")
    .values(jobRow(a))
    .onConflict((oc) => oc.column("dedupeKey").doNothing())
    .returning("id"),
);

/**
 * On PostgreSQL the row and its dispatch to graphile-worker (as `dispatchJob`) in one statement,
 * one round trip: nothing is dispatched when the dedupe key already had its row.
 */
const insertAndDispatchJob = prepared<JobArgs & { delaySeconds: number }>()((db, a) =>
  db
    .with("j", (w) =>
      w
        .insertInto("jobs")
        .values(jobRow(a))
        .onConflict((oc) => oc.column("dedupeKey").doNothing())
        .returning("id"),
    )
    .selectFrom("j")
    .select([
      "j.id",
      sql<string>`graphile_worker.add_job(
        ${GRAPHILE_TASK}::text,
        json_build_object('id', j.id),
        run_at => now() + make_interval(secs => ${a.delaySeconds}::float8),
        max_attempts => 25,
        job_key => 'zhuxiao:' || j.id
      )`.as("dispatched"),
    ]),
);

export async function enqueueJob(tx: Tx, job: NewJob, now: string): Promise<void> {
  const args: JobArgs = {
    task: job.task,
    payloadJson: JSON.stringify(job.payload),
    dedupeKey: job.dedupeKey,
    maxAttempts: job.maxAttempts ?? 10,
    runAt: job.runAt,
    now,
  };
  if (!isPostgresDb(tx)) {
    await insertJob.first(tx, args);
    return;
  }
  const delayMs = Math.max(0, Date.parse(job.runAt) - Date.parse(now));
  await insertAndDispatchJob.first(tx, { ...args, delaySeconds: delayMs / 1000 });
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

/**
 * PostgreSQL: a job is run while its runner's connection holds a session advisory lock on it.
 * A worker that dies mid-job loses its connection and PostgreSQL releases the lock at once, so
 * "running, and nobody holds the lock" means its runner is gone: no lease to time out. Keys are
 * the negated job ids, out of the way of other advisory-lock users (migrations use positive ones).
 */
export async function tryLockJob(conn: DbOrTx, id: number): Promise<boolean> {
  const r = await sql<{ ok: boolean }>`select pg_try_advisory_lock(${-id}::bigint) as ok`.execute(conn);
  return r.rows[0]?.ok === true;
}

export async function unlockJob(conn: DbOrTx, id: number): Promise<void> {
  await sql`select pg_advisory_unlock(${-id}::bigint)`.execute(conn);
}

/**
 * PostgreSQL, with the job's advisory lock held: marks it running and counts the try. A due
 * pending job qualifies, and so does a running one, whose runner must have died (it would hold
 * the lock otherwise). Guarded on the row read, so a job finished meanwhile is left alone.
 */
export async function claimLockedJob(
  db: DbOrTx,
  id: number,
  worker: string,
  now: string,
): Promise<JobRow | undefined> {
  const job = await db.selectFrom("jobs").selectAll().where("id", "=", id).executeTakeFirst();
  if (!job) return undefined;
  if (!(job.status === "running" || (job.status === "pending" && job.runAt <= now))) return undefined;
  const attempts = job.attempts + 1;
  const r = await db
    .updateTable("jobs")
    .set({ status: "running", lockedAt: now, lockedBy: worker, attempts, updatedAt: now })
    .where("id", "=", id)
    .where("status", "=", job.status)
    .where("attempts", "=", job.attempts)
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) !== 1) return undefined;
  return { ...job, status: "running", lockedAt: now, lockedBy: worker, attempts };
}

/** PostgreSQL: jobs to run or to check for a dead runner: due pending ones, then running ones. */
export async function candidateJobIds(db: DbOrTx, now: string, limit: number): Promise<number[]> {
  const rows = await db
    .selectFrom("jobs")
    .select("id")
    .where((eb) =>
      eb.or([eb.and([eb("status", "=", "pending"), eb("runAt", "<=", now)]), eb("status", "=", "running")]),
    )
    .orderBy("runAt", "asc")
    .orderBy("id", "asc")
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}
