/**
 * The worker for the table-backed queue: claims due jobs one at a time, runs the task's handler,
 * and records success or a retry with exponential backoff. Handlers must be idempotent: a job
 * can run again when a worker dies after the side effect but before recording success.
 */
import type { Db } from "../db/connect.js";
import { claimJob, deferJob, failJob, finishJob } from "../db/jobs-repository.js";
import type { JobRow } from "../db/schema.js";
import type { Clock } from "../ports/index.js";

export interface JobContext {
  jobId: number;
  attempt: number;
  /** Not now: run the job again at `until`, without counting this run as a failed try (quiet hours). */
  defer(until: Date): void;
}

export type JobHandler = (payload: unknown, ctx: JobContext) => Promise<void>;

export interface WorkerOptions {
  db: Db;
  clock: Clock;
  handlers: Record<string, JobHandler>;
  name?: string;
  pollMs?: number;
  /** A running job whose lock is older than this is considered abandoned and taken over. */
  lockTimeoutMs?: number;
  onError?: (task: string, err: unknown) => void;
  /** Delay before retrying a failed job, per attempt; exponential with jitter by default. */
  backoff?: (attempt: number) => number;
  /** Called when the queue is empty: a place to enqueue recurring work (deduplicated by key). */
  onIdle?: () => Promise<void>;
}

export interface Worker {
  /** Wake the loop now (after a commit that enqueued something). */
  kick(): void;
  /** Run every due job until none is left; for the CLI and tests. */
  drain(): Promise<number>;
  stop(): Promise<void>;
}

export function backoffMs(attempt: number): number {
  const base = Math.min(1000 * 2 ** (attempt - 1), 10 * 60_000);
  return base + Math.floor(Math.random() * (base / 4));
}

/** What running a claimed job's handler came to; the caller records it in its own queue. */
export type JobOutcome = { ok: true; deferUntil?: Date } | { ok: false; error: string };

/** Runs the handler of a claimed job once; reports its error instead of throwing it. */
export async function runHandler(opts: WorkerOptions, job: JobRow): Promise<JobOutcome> {
  const handler = opts.handlers[job.task];
  try {
    if (!handler) throw new Error(`no handler for task ${job.task}`);
    let deferUntil: Date | undefined;
    await handler(JSON.parse(job.payloadJson), {
      jobId: job.id,
      attempt: job.attempts,
      defer: (until) => {
        deferUntil = until;
      },
    });
    return deferUntil ? { ok: true, deferUntil } : { ok: true };
  } catch (err) {
    opts.onError?.(job.task, err);
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
}

export function startWorker(opts: WorkerOptions, autostart = true): Worker {
  const name = opts.name ?? `worker-${process.pid}`;
  const pollMs = opts.pollMs ?? 500;
  const lockTimeoutMs = opts.lockTimeoutMs ?? 5 * 60_000;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> | undefined;

  async function runOne(): Promise<boolean> {
    const now = opts.clock.now();
    const job = await claimJob(
      opts.db,
      name,
      now.toISOString(),
      new Date(now.getTime() - lockTimeoutMs).toISOString(),
    );
    if (!job) return false;
    const outcome = await runHandler(opts, job);
    if (!outcome.ok)
      await failJob(opts.db, job, outcome.error, opts.clock.now(), (opts.backoff ?? backoffMs)(job.attempts));
    else if (outcome.deferUntil)
      await deferJob(opts.db, job, outcome.deferUntil.toISOString(), opts.clock.now());
    else await finishJob(opts.db, job.id, opts.clock.now().toISOString());
    return true;
  }

  async function loop(): Promise<number> {
    let n = 0;
    while (!stopped && (await runOne())) n++;
    if (!stopped && opts.onIdle) {
      await opts.onIdle();
      while (!stopped && (await runOne())) n++;
    }
    return n;
  }

  function tick(): void {
    if (stopped) return;
    if (!running) {
      running = loop()
        .catch((err) => {
          opts.onError?.("worker", err);
          return 0;
        })
        .finally(() => {
          running = undefined;
        });
    }
    clearTimeout(timer);
    timer = setTimeout(tick, pollMs);
    timer.unref();
  }

  if (autostart) tick();

  return {
    kick: () => {
      if (autostart) setImmediate(tick);
    },
    async drain() {
      if (running) await running;
      return loop();
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      if (running) await running;
    },
  };
}
