/**
 * Prometheus metrics at `GET /metrics`, in the text exposition format 0.0.4, written by hand (no
 * client library): requests and latencies per route counted in this process, and gauges read
 * from the database on scrape (applications by status, the job queue, failing jobs), which are
 * the same whichever process answers. Process memory and CPU complete the picture.
 *
 * Metrics tell an outsider how busy the service is and how much it holds, so they are not for
 * the public: with `ZHUXIAO_METRICS_TOKEN` set the scraper must send it as a bearer token;
 * without it the path must be kept off the public interface by the reverse proxy (docs/deploy.md).
 */
import { createHash, timingSafeEqual } from "node:crypto";
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import type { AppDeps } from "../app/context.js";
import { AppError } from "../app/errors.js";
import { type ReadCache, readCache } from "../app/read-cache.js";
import { APPLICATION_STATUSES, OPEN_STATUSES, TERMINAL_STATUSES } from "../domain/states.js";

/** Seconds; from 1 ms (a cached read) to 10 s (a request stuck behind the write lock). */
export const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * Database gauges are cached this long: better-sqlite3 counts on the event loop, so several
 * scrapers must not each pay for it. Cases still open are few and counted at this pace.
 */
export const DB_GAUGE_TTL_MS = 10_000;

/**
 * Closed, withdrawn and rejected applications pile up for ever (≈ 90 ms to count a million here,
 * bench/queue.ts) and change slowly in the dashboards that use them: counted this seldom.
 */
export const TERMINAL_COUNT_TTL_MS = 5 * 60_000;

/** Job states worth counting; `done` jobs only accumulate and would make the count ever dearer. */
const JOB_STATES = ["pending", "running", "dead"] as const;

const tokenSchema = z
  .string()
  .min(16, "ZHUXIAO_METRICS_TOKEN must be at least 16 characters")
  .regex(/^[\x21-\x7e]+$/, "ZHUXIAO_METRICS_TOKEN must be printable ASCII without spaces")
  .optional();

/** The scrape token from the environment, validated at start-up like the rest of the configuration. */
export function metricsToken(env: NodeJS.ProcessEnv): string | undefined {
  const parsed = tokenSchema.safeParse(env.ZHUXIAO_METRICS_TOKEN || undefined);
  if (!parsed.success) {
    throw new Error(`invalid configuration:\n  ${parsed.error.issues.map((i) => i.message).join("\n  ")}`);
  }
  return parsed.data;
}

interface Histogram {
  buckets: number[];
  sum: number;
  count: number;
}

/** Counters and histograms of this process's HTTP traffic. */
export class HttpMetrics {
  readonly #requests = new Map<string, number>();
  readonly #durations = new Map<string, Histogram>();

  observe(method: string, route: string, status: number, seconds: number): void {
    const key = `${method}\u0000${route}\u0000${status}`;
    this.#requests.set(key, (this.#requests.get(key) ?? 0) + 1);
    const hkey = `${method}\u0000${route}`;
    let h = this.#durations.get(hkey);
    if (!h) {
      h = { buckets: LATENCY_BUCKETS.map(() => 0), sum: 0, count: 0 };
      this.#durations.set(hkey, h);
    }
    // Per-bucket counts here; render() makes them cumulative as the format wants.
    const i = LATENCY_BUCKETS.findIndex((b) => seconds <= b);
    if (i >= 0) h.buckets[i]! += 1;
    h.sum += seconds;
    h.count += 1;
  }

  render(out: string[]): void {
    header(out, "http_requests_total", "counter", "HTTP requests answered by this process.");
    for (const [key, n] of this.#requests) {
      const [method, route, status] = key.split("\u0000") as [string, string, string];
      out.push(`http_requests_total${labels({ method, route, status })} ${n}`);
    }
    header(out, "http_request_duration_seconds", "histogram", "Time to answer, per route.");
    for (const [key, h] of this.#durations) {
      const [method, route] = key.split("\u0000") as [string, string];
      let cumulative = 0;
      for (const [i, le] of LATENCY_BUCKETS.entries()) {
        cumulative += h.buckets[i]!;
        out.push(
          `http_request_duration_seconds_bucket${labels({ method, route, le: String(le) })} ${cumulative}`,
        );
      }
      out.push(`http_request_duration_seconds_bucket${labels({ method, route, le: "+Inf" })} ${h.count}`);
      out.push(`http_request_duration_seconds_sum${labels({ method, route })} ${h.sum}`);
      out.push(`http_request_duration_seconds_count${labels({ method, route })} ${h.count}`);
    }
  }
}

interface DbGauges {
  applications: Map<string, number>;
  jobs: Map<string, number>;
  jobsDue: number;
  failing: Array<{ task: string; state: string; n: number }>;
}

async function countByStatus(deps: AppDeps, statuses: readonly string[]): Promise<Map<string, number>> {
  // `in (…)` keeps to the (status, due_at) index and reads only the statuses asked for.
  const rows = await deps.db
    .selectFrom("applications")
    .select((eb) => ["status", eb.fn.countAll<number>().as("n")])
    .where("status", "in", [...statuses])
    .groupBy("status")
    .execute();
  return new Map(statuses.map((st) => [st, Number(rows.find((r) => r.status === st)?.n ?? 0)]));
}

async function readDbGauges(deps: AppDeps): Promise<DbGauges> {
  const db = deps.db;
  const now = deps.clock.now().toISOString();
  const apps = await countByStatus(deps, OPEN_STATUSES);
  // `in (…)` keeps to the (status, run_at) index; `done` rows are never counted.
  const jobs = await db
    .selectFrom("jobs")
    .select((eb) => ["status", eb.fn.countAll<number>().as("n")])
    .where("status", "in", [...JOB_STATES])
    .groupBy("status")
    .execute();
  const due = await db
    .selectFrom("jobs")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("status", "=", "pending")
    .where("runAt", "<=", now)
    .executeTakeFirstOrThrow();
  // A pending job with an error is waiting for its next try; a dead one gave up and needs a person.
  const failing = await db
    .selectFrom("jobs")
    .select((eb) => ["task", "status", eb.fn.countAll<number>().as("n")])
    .where((eb) =>
      eb.or([
        eb("status", "=", "dead"),
        eb.and([eb("status", "=", "pending"), eb("lastError", "is not", null)]),
      ]),
    )
    .groupBy(["task", "status"])
    .execute();
  return {
    applications: apps,
    jobs: new Map(jobs.map((r) => [r.status, Number(r.n)])),
    jobsDue: Number(due.n),
    failing: failing.map((r) => ({
      task: r.task,
      state: r.status === "dead" ? "dead" : "retrying",
      n: Number(r.n),
    })),
  };
}

function renderDbGauges(out: string[], g: DbGauges, terminal: Map<string, number>, seconds: number): void {
  header(
    out,
    "zhuxiao_applications",
    "gauge",
    "Applications by status (whole database; closed, withdrawn and rejected refreshed every 5 minutes).",
  );
  for (const status of APPLICATION_STATUSES) {
    const n = g.applications.get(status) ?? terminal.get(status) ?? 0;
    out.push(`zhuxiao_applications${labels({ status })} ${n}`);
  }
  header(out, "zhuxiao_jobs", "gauge", "Jobs in the queue by status (done jobs are not counted).");
  for (const status of JOB_STATES) out.push(`zhuxiao_jobs${labels({ status })} ${g.jobs.get(status) ?? 0}`);
  header(out, "zhuxiao_jobs_due", "gauge", "Pending jobs whose time has come: the queue depth.");
  out.push(`zhuxiao_jobs_due ${g.jobsDue}`);
  header(
    out,
    "zhuxiao_job_failures",
    "gauge",
    "Jobs whose last run failed: retrying (will run again) or dead (gave up; needs a person).",
  );
  for (const f of g.failing)
    out.push(`zhuxiao_job_failures${labels({ task: f.task, state: f.state })} ${f.n}`);
  header(
    out,
    "zhuxiao_metrics_db_query_seconds",
    "gauge",
    "Time this scrape spent counting in the database (0 when every count came from the cache).",
  );
  out.push(`zhuxiao_metrics_db_query_seconds ${seconds}`);
}

function renderReadCache(out: string[], cache: ReadCache): void {
  header(out, "zhuxiao_read_cache_hits_total", "counter", "Reads answered from memory (database unchanged).");
  out.push(`zhuxiao_read_cache_hits_total ${cache.hits}`);
  header(
    out,
    "zhuxiao_read_cache_misses_total",
    "counter",
    "Reads that could have been remembered but went to the database.",
  );
  out.push(`zhuxiao_read_cache_misses_total ${cache.misses}`);
}

function renderProcess(out: string[]): void {
  const mem = process.memoryUsage();
  const cpu = process.cpuUsage();
  header(out, "process_resident_memory_bytes", "gauge", "Resident memory size in bytes.");
  out.push(`process_resident_memory_bytes ${mem.rss}`);
  header(out, "nodejs_heap_used_bytes", "gauge", "V8 heap in use, bytes.");
  out.push(`nodejs_heap_used_bytes ${mem.heapUsed}`);
  header(out, "process_cpu_seconds_total", "counter", "User and system CPU time spent, seconds.");
  out.push(`process_cpu_seconds_total ${(cpu.user + cpu.system) / 1e6}`);
  header(out, "process_start_time_seconds", "gauge", "Start time of the process since the epoch, seconds.");
  out.push(`process_start_time_seconds ${Math.round(Date.now() / 1000 - process.uptime())}`);
}

function header(out: string[], name: string, type: string, help: string): void {
  out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
}

/** Label values escaped as the format requires: backslash, double quote and newline. */
function labels(values: Record<string, string>): string {
  const parts = Object.entries(values).map(
    ([k, v]) => `${k}="${v.replaceAll("\\", "\\\\").replaceAll('"', '\\"').replaceAll("\n", "\\n")}"`,
  );
  return `{${parts.join(",")}}`;
}

function digest(s: string): Buffer {
  return createHash("sha256").update(s).digest();
}

function checkToken(req: FastifyRequest, reply: FastifyReply, expected: Buffer): void {
  const auth = req.headers.authorization ?? "";
  const given = auth.startsWith("Bearer ") ? auth.slice(7) : "";
  // Compared as digests: equal length, and no timing hint about how much of the token matched.
  if (given && timingSafeEqual(digest(given), expected)) return;
  reply.header("www-authenticate", 'Bearer realm="metrics"');
  throw new AppError("UNAUTHENTICATED");
}

/**
 * The plugin: an `onResponse` hook on every route and the `/metrics` route. Register it on the
 * root instance before the routes, once per server.
 */
export function metricsPlugin(deps: AppDeps, env: NodeJS.ProcessEnv = process.env): FastifyPluginAsync {
  const token = metricsToken(env);
  const expected = token ? digest(token) : null;
  const http = new HttpMetrics();
  let cached: { at: number; gauges: DbGauges } | null = null;
  let terminal: { at: number; counts: Map<string, number> } | null = null;

  const plugin: FastifyPluginAsync = async (app) => {
    app.addHook("onResponse", (req: FastifyRequest, reply: FastifyReply, done: () => void) => {
      // The route pattern, not the URL: ids in paths would make a series per application.
      http.observe(
        req.method,
        req.routeOptions.url ?? "unmatched",
        reply.statusCode,
        reply.elapsedTime / 1000,
      );
      done();
    });

    app.get("/metrics", { schema: { hide: true } }, async (req, reply) => {
      if (expected) checkToken(req, reply, expected);
      const nowMs = Date.now();
      const started = process.hrtime.bigint();
      if (!cached || nowMs - cached.at >= DB_GAUGE_TTL_MS) {
        cached = { at: nowMs, gauges: await readDbGauges(deps) };
      }
      if (!terminal || nowMs - terminal.at >= TERMINAL_COUNT_TTL_MS) {
        terminal = { at: nowMs, counts: await countByStatus(deps, TERMINAL_STATUSES) };
      }
      const out: string[] = [];
      http.render(out);
      renderDbGauges(out, cached.gauges, terminal.counts, Number(process.hrtime.bigint() - started) / 1e9);
      renderReadCache(out, readCache(deps));
      renderProcess(out);
      return reply
        .header("cache-control", "no-store")
        .type("text/plain; version=0.0.4; charset=utf-8")
        .send(`${out.join("\n")}\n`);
    });
  };
  // The hook must see every route, not only this plugin's: skip encapsulation, as fastify-plugin does.
  return Object.assign(plugin, { [Symbol.for("skip-override")]: true });
}
