/**
 * The worker on PostgreSQL: graphile-worker dispatches (LISTEN/NOTIFY, run_at, SKIP LOCKED), and
 * the `jobs` table stays the record of every job, as on SQLite: dedupe keys, tries, last error,
 * dead jobs, and handlers that finish their job in their own transaction. Each graphile job names
 * one `jobs` row; its runner holds an advisory lock on it (jobs-repository), so a worker killed
 * mid-job hands the job back the moment its connection drops. A sweep dispatches rows that should
 * run but nobody runs (after such a kill, or a dispatch lost with a crashed process), so every job
 * runs however many workers come and go.
 */
import { Logger, type Runner, run } from "graphile-worker";
import type { Db } from "../db/connect.js";
import {
  candidateJobIds,
  claimLockedJob,
  deferJob,
  dispatchJob,
  failJob,
  finishJob,
  GRAPHILE_TASK,
  tryLockJob,
  unlockJob,
} from "../db/jobs-repository.js";
import type { JobRow } from "../db/schema.js";
import { backoffMs, runHandler, type Worker, type WorkerOptions } from "./worker.js";

export interface PgWorkerOptions extends WorkerOptions {
  connectionString: string;
  /** Jobs run at once per process. */
  concurrency?: number;
  /** How often due rows that nobody holds are dispatched again, and recurring work enqueued. */
  sweepMs?: number;
}

export function startPgWorker(opts: PgWorkerOptions, autostart = true): Worker {
  const name = opts.name ?? `worker-${process.pid}`;
  const db: Db = opts.db;
  let stopped = false;
  let runner: Runner | undefined;
  let starting: Promise<void> | undefined;
  let sweepTimer: NodeJS.Timeout | undefined;
  let sweeping: Promise<void> | undefined;

  /** Runs job `id` if it is due (or orphaned) and nobody runs it; false when it did not run. */
  async function runJob(id: number): Promise<boolean> {
    return db.connection().execute(async (conn) => {
      if (!(await tryLockJob(conn, id))) return false;
      try {
        const job = await claimLockedJob(db, id, name, opts.clock.now().toISOString());
        if (!job) return false;
        await runClaimed(job);
        return true;
      } finally {
        await unlockJob(conn, id).catch(() => {});
      }
    });
  }

  async function runClaimed(job: JobRow): Promise<void> {
    const outcome = await runHandler(opts, job);
    if (!outcome.ok) {
      const delay = (opts.backoff ?? backoffMs)(job.attempts);
      await failJob(db, job, outcome.error, opts.clock.now(), delay);
      if (job.attempts < job.maxAttempts) await dispatchJob(db, job.id, delay);
    } else if (outcome.deferUntil) {
      const at = opts.clock.now();
      await deferJob(db, job, outcome.deferUntil.toISOString(), at);
      await dispatchJob(db, job.id, outcome.deferUntil.getTime() - at.getTime());
    } else await finishJob(db, job.id, opts.clock.now().toISOString());
  }

  /** Runs the oldest job that is due (or orphaned) and free; false when there is none. */
  async function runOne(): Promise<boolean> {
    for (const id of await candidateJobIds(db, opts.clock.now().toISOString(), 20)) {
      if (await runJob(id)) return true;
    }
    return false;
  }

  /**
   * Dispatches again every job that should be running but is not: due a while and still pending
   * (its dispatch was lost), or running without a live runner (its worker died mid-job).
   */
  async function sweep(): Promise<void> {
    const dueBefore = new Date(opts.clock.now().getTime() - 1000).toISOString();
    const ids = await candidateJobIds(db, dueBefore, 100);
    if (ids.length > 0) {
      await db.connection().execute(async (conn) => {
        for (const id of ids) {
          if (!(await tryLockJob(conn, id))) continue;
          await unlockJob(conn, id);
          await dispatchJob(conn, id, 0);
        }
      });
    }
    if (opts.onIdle) await opts.onIdle();
  }

  function scheduleSweep(): void {
    if (stopped) return;
    sweepTimer = setTimeout(() => {
      sweeping = sweep()
        .catch((err) => opts.onError?.("worker", err))
        .finally(() => {
          sweeping = undefined;
          scheduleSweep();
        });
    }, opts.sweepMs ?? 2000);
    sweepTimer.unref();
  }

  async function start(): Promise<void> {
    if (stopped) return;
    runner = await run({
      connectionString: opts.connectionString,
      concurrency: opts.concurrency ?? 4,
      noHandleSignals: true,
      pollInterval: opts.pollMs ?? 2000,
      logger: quietLogger(opts.onError),
      taskList: {
        [GRAPHILE_TASK]: async (payload) => {
          const id = Number((payload as { id?: unknown }).id);
          if (!Number.isSafeInteger(id)) return;
          // The row says whether there is anything to do: done, dead, not yet due or run by
          // another worker all end this dispatch quietly (the row's own dispatch comes later).
          await runJob(id);
        },
      },
    });
    // The runner gives up when its connections break for good (a database restart): start again.
    runner.promise.catch((err) => {
      opts.onError?.("worker", err);
      restartLater();
    });
  }

  function restartLater(): void {
    if (stopped) return;
    setTimeout(() => {
      starting = start().catch((err) => {
        opts.onError?.("worker", err);
        restartLater();
      });
    }, 1000).unref();
  }

  if (autostart) {
    scheduleSweep();
    starting = start().catch((err) => {
      opts.onError?.("worker", err);
      restartLater();
    });
  }

  return {
    kick: () => {},
    async drain() {
      let n = 0;
      while (!stopped && (await runOne())) n++;
      if (!stopped && opts.onIdle) {
        await opts.onIdle();
        while (!stopped && (await runOne())) n++;
      }
      return n;
    },
    async stop() {
      stopped = true;
      clearTimeout(sweepTimer);
      await starting;
      if (sweeping) await sweeping;
      await runner?.stop();
    },
  };
}

function quietLogger(onError: PgWorkerOptions["onError"]) {
  // graphile-worker logs through this; only errors are worth passing on (as the worker's own).
  return new Logger(() => (level: string, message: string) => {
    if (level === "error") onError?.("graphile-worker", new Error(message));
  });
}
