/**
 * Submit through HTTP vs the bare database doing the same transaction (SQLite).
 *
 * An agent at a counter creates and submits an application in one request (POST
 * /api/v1/applications with submit: true), on cards nobody has applied for, against a dataset of
 * --cards cards and --applications applications. The reference runs the statements that request
 * executes straight through better-sqlite3 (bench/lib/bare-submit.ts), one transaction after
 * another, on the same file with the same durability. Rounds alternate so both see the same
 * machine. Target: HTTP ≥ 50 % of the reference's rate.
 *
 *   npx tsx bench/submit.ts [--cards 200000] [--applications 100000] [--rounds 3] [--seconds 8]
 */
import { closeSync, fdatasyncSync, openSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { staffToken, submitRequest } from "./lib/api.js";
import { countRows, openBareSubmitter } from "./lib/bare-submit.js";
import { startChild } from "./lib/children.js";
import { benchEnv, cardId, createDataset } from "./lib/dataset.js";
import { type Latency, percentiles, runLoad } from "./lib/load.js";
import { measureProcess, type ProcessCost } from "./lib/proc.js";
import { fmt, log, machine, markdownTable, options, publish, SQLITE_SETTINGS } from "./lib/report.js";

const o = options({
  cards: 200_000,
  applications: 100_000,
  rounds: 3,
  seconds: 8,
  connections: 16,
  dir: join(tmpdir(), "zhuxiao-bench-submit"),
  logLevel: "info",
});
// Enough fresh cards for both paths at well above the rates seen here.
const fresh = Math.max(20_000, o.rounds * o.seconds * 6_000);

/** One fdatasync of a 4 KiB write on the data directory's disk: the floor under every commit. */
function fdatasyncMicros(dir: string): number {
  const file = join(dir, "fsync-probe");
  const fd = openSync(file, "w");
  const block = Buffer.alloc(4096, 1);
  const n = 300;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) {
    writeSync(fd, block, 0, block.length, 0);
    fdatasyncSync(fd);
  }
  const us = Number(process.hrtime.bigint() - t0) / 1e3 / n;
  closeSync(fd);
  rmSync(file);
  return us;
}

log(`seeding ${o.cards} cards, ${o.applications} applications, ${fresh} fresh cards in ${o.dir}`);
const seed = await createDataset({
  dir: o.dir,
  cards: o.cards,
  applications: o.applications,
  freshCards: fresh,
  log,
});
log(`seeded in ${seed.seconds.toFixed(1)} s (${fmt(seed.rowsPerSecond)} rows/s), ${fmt(seed.databaseMB)} MB`);
const file = join(o.dir, "zhuxiao.db");
const fsyncUs = fdatasyncMicros(o.dir);

const server = await startChild("server-child.ts", benchEnv(o.dir, o.logLevel));
const token = await staffToken(server.port, "agent");
// HTTP takes fresh cards from the front, the reference from the back.
let front = o.cards;
let back = o.cards + fresh - 1;
let keyN = 0;
const nextHttp = () =>
  front <= back ? submitRequest(token, cardId(front++), `bench-submit-${keyN++}`) : null;

// Warm-up, which also leaves a real submission to copy the reference's values from.
let template: { id: string; key: string } | undefined;
await runLoad({
  port: server.port,
  connections: o.connections,
  maxRequests: 500,
  next: () => nextHttp(),
  ok: (a) => a.status === 201,
  onAnswer: (a, spec) => {
    if (!template && a.status === 201) {
      template = {
        id: (JSON.parse(a.body) as { application: { id: string } }).application.id,
        key: spec.headers!["idempotency-key"]!,
      };
    }
  },
});
if (!template) throw new Error("no submission succeeded in the warm-up");
const me = (await (
  await fetch(`http://127.0.0.1:${server.port}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } })
).json()) as { id?: string; staff?: { id: string } };
const staffId = me.id ?? me.staff?.id;
const bare = openBareSubmitter(file, {
  token,
  applicationId: template.id,
  idempotencyScope: `staff:${staffId}`,
  idempotencyKey: template.key,
});

interface Round {
  bare: { tps: number; n: number; seconds: number; latencyMs: Latency };
  http: {
    rps: number;
    n: number;
    errors: number;
    statuses: Record<string, number>;
    latencyMs: Latency;
    server: ProcessCost;
  };
}
const rounds: Round[] = [];
const written = { bare: {} as Record<string, number>, http: {} as Record<string, number> };

function diff(a: Record<string, number>, b: Record<string, number>, n: number) {
  return Object.fromEntries(Object.keys(a).map((k) => [k, Number(((b[k]! - a[k]!) / n).toFixed(2))]));
}

for (let r = 0; r < o.rounds; r++) {
  const beforeBare = countRows(file);
  const samples: number[] = [];
  const t0 = process.hrtime.bigint();
  const end = t0 + BigInt(o.seconds * 1e9);
  while (process.hrtime.bigint() < end && back >= front) {
    const s = process.hrtime.bigint();
    bare.submitCard(back--);
    samples.push(Number(process.hrtime.bigint() - s) / 1e6);
  }
  const bareSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const afterBare = countRows(file);
  written.bare = diff(beforeBare, afterBare, samples.length);

  const { result, cost } = await measureProcess(server.pid, () =>
    runLoad({
      port: server.port,
      connections: o.connections,
      durationMs: o.seconds * 1000,
      next: () => nextHttp(),
      ok: (a) => a.status === 201,
    }),
  );
  written.http = diff(afterBare, countRows(file), result.requests - result.errors);
  rounds.push({
    bare: {
      tps: samples.length / bareSeconds,
      n: samples.length,
      seconds: bareSeconds,
      latencyMs: percentiles(samples),
    },
    http: {
      rps: result.rps,
      n: result.requests,
      errors: result.errors,
      statuses: result.statuses,
      latencyMs: result.latencyMs,
      server: cost,
    },
  });
  log(
    `round ${r + 1}: bare ${fmt(rounds[r]!.bare.tps)} tx/s, HTTP ${fmt(result.rps)} req/s (${result.errors} errors), server CPU ${fmt(cost.cpuUtilisation * 100)} %, RSS peak ${fmt(cost.rssPeakMB)} MB`,
  );
}
bare.close();
await server.stop();
rmSync(o.dir, { recursive: true, force: true });

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const bareTps = median(rounds.map((r) => r.bare.tps));
const httpRps = median(rounds.map((r) => r.http.rps));
const ratio = httpRps / bareTps;
const rssPeak = Math.max(...rounds.map((r) => r.http.server.rssPeakMB));
const cpuPerReq = median(rounds.map((r) => (r.http.server.cpuSeconds / r.http.n) * 1e6));
const httpLat = rounds[rounds.length - 1]!.http.latencyMs;
const bareLat = rounds[rounds.length - 1]!.bare.latencyMs;
const result = {
  benchmark: "submit",
  at: new Date().toISOString(),
  machine: machine(),
  settings: {
    sqlite: SQLITE_SETTINGS,
    dataset: { cards: o.cards, applications: o.applications, freshCards: fresh, seed },
    http: {
      connections: o.connections,
      client: "node:http keep-alive agent, closed loop",
      logLevel: o.logLevel,
      worker: false,
    },
    rounds: o.rounds,
    secondsPerRound: o.seconds,
    fdatasyncMicros: fsyncUs,
  },
  writesPerSubmission: written,
  rounds,
  summary: {
    bareTps,
    httpRps,
    ratio,
    target: 0.5,
    met: ratio >= 0.5,
    serverCpuMicrosPerRequest: cpuPerReq,
    rssPeakMB: rssPeak,
  },
};
const table = markdownTable([
  {
    path: "bare SQLite transaction (reference)",
    "rate /s": fmt(bareTps),
    "p50 ms": fmt(bareLat.p50, 2),
    "p99 ms": fmt(bareLat.p99, 2),
    "server CPU µs/op": "–",
    "RSS peak MB": "–",
  },
  {
    path: `HTTP create+submit, ${o.connections} connections`,
    "rate /s": fmt(httpRps),
    "p50 ms": fmt(httpLat.p50, 2),
    "p99 ms": fmt(httpLat.p99, 2),
    "server CPU µs/op": fmt(cpuPerReq),
    "RSS peak MB": fmt(rssPeak),
  },
]);
publish(
  "submit",
  result,
  `### Submit: HTTP vs the bare database\n\n${table}\n\n**Ratio ${fmt(ratio * 100)} %** of the bare transaction rate (target ≥ 50 %: ${ratio >= 0.5 ? "met" : "not met"}). Medians of ${o.rounds} alternating rounds of ${o.seconds} s; ${fmt(o.cards)} cards, ${fmt(o.applications)} applications; one fdatasync ${fmt(fsyncUs)} µs; LOG_LEVEL=${o.logLevel}; measured ${result.at.slice(0, 10)}.`,
);
