/**
 * Status read through HTTP vs bare Fastify returning the same JSON.
 *
 * An agent reads applications (GET /api/v1/applications/{id}: the application, its card, holder
 * and full timeline) from the real server, on --applications applications created through the
 * API (each with its audit timeline) among a seeded population. The reference is Fastify with
 * nothing else answering the same route with the same bytes; a second one
 * (bench/lib/bare-reads-child.ts) does the same reads through better-sqlite3 and answers their
 * rows: the floor with the database in it. Rounds alternate; the real server runs at
 * LOG_LEVEL=info (the default, one log line per answered request) and at warn, and once more
 * with the read cache off (ZHUXIAO_READ_CACHE_MB=0), every read from the database.
 * Target: real server ≥ 60 % of bare Fastify's rate.
 *
 *   npx tsx bench/status-read.ts [--cards 200000] [--applications 100000] [--rounds 3] [--seconds 8]
 */
import { rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readRequest, staffToken, submitRequest } from "./lib/api.js";
import { type Child, startChild } from "./lib/children.js";
import { benchEnv, cardId, createDataset } from "./lib/dataset.js";
import { type LoadResult, runLoad } from "./lib/load.js";
import { measureProcess, type ProcessCost } from "./lib/proc.js";
import { fmt, log, machine, markdownTable, options, publish, SQLITE_SETTINGS } from "./lib/report.js";

const o = options({
  cards: 200_000,
  applications: 100_000,
  created: 500,
  rounds: 3,
  seconds: 8,
  connections: 32,
  dir: join(tmpdir(), "zhuxiao-bench-status-read"),
});

log(`seeding ${o.cards} cards, ${o.applications} applications in ${o.dir}`);
const seed = await createDataset({
  dir: o.dir,
  cards: o.cards,
  applications: o.applications,
  freshCards: o.created,
  log,
});
const real = await startChild("server-child.ts", benchEnv(o.dir, "info"));
const quiet = await startChild("server-child.ts", benchEnv(o.dir, "warn"));
// Every read from the database: what a read costs when it cannot be remembered (or on PostgreSQL).
const uncached = await startChild("server-child.ts", {
  ...benchEnv(o.dir, "info"),
  ZHUXIAO_READ_CACHE_MB: "0",
});
const token = await staffToken(real.port, "agent");

// Applications with a real timeline (created and submitted through the API), to read back.
const ids: string[] = [];
let n = o.cards;
await runLoad({
  port: real.port,
  connections: 8,
  next: () => (n < o.cards + o.created ? submitRequest(token, cardId(n++), `bench-read-${n}`) : null),
  ok: (a) => a.status === 201,
  onAnswer: (a) => {
    if (a.status === 201) ids.push((JSON.parse(a.body) as { application: { id: string } }).application.id);
  },
});
if (ids.length === 0) throw new Error("no application was created");
const sample = await fetch(`http://127.0.0.1:${real.port}/api/v1/applications/${ids[0]}`, {
  headers: { authorization: `Bearer ${token}` },
});
const body = await sample.text();
const bodyFile = join(o.dir, "status-body.json");
writeFileSync(bodyFile, body);
const bare = await startChild("bare-fastify-child.ts", { BENCH_BODY_FILE: bodyFile });
const reads = await startChild("bare-reads-child.ts", { BENCH_DB_FILE: join(o.dir, "zhuxiao.db") });

interface Phase {
  load: LoadResult;
  server: ProcessCost;
  clientCpuSeconds: number;
}
async function phase(child: Child, seconds: number): Promise<Phase> {
  let i = 0;
  const cpu0 = process.cpuUsage();
  const { result, cost } = await measureProcess(child.pid, () =>
    runLoad({
      port: child.port,
      connections: o.connections,
      durationMs: seconds * 1000,
      next: () => readRequest(token, ids[i++ % ids.length]!),
    }),
  );
  const c = process.cpuUsage(cpu0);
  return { load: result, server: cost, clientCpuSeconds: (c.user + c.system) / 1e6 };
}

const targets = { bare, reads, real, quiet, uncached } as const;
for (const child of Object.values(targets)) await phase(child, 2);
const rounds: Array<Record<keyof typeof targets, Phase>> = [];
for (let r = 0; r < o.rounds; r++) {
  const round = {} as Record<keyof typeof targets, Phase>;
  for (const [name, child] of Object.entries(targets))
    round[name as keyof typeof targets] = await phase(child, o.seconds);
  rounds.push(round);
  log(
    `round ${r + 1}: bare ${fmt(round.bare.load.rps)}/s, bare + reads ${fmt(round.reads.load.rps)}/s, real ${fmt(round.real.load.rps)}/s, real (warn) ${fmt(round.quiet.load.rps)}/s, real (not remembered) ${fmt(round.uncached.load.rps)}/s`,
  );
}
for (const child of Object.values(targets)) await child.stop();
rmSync(o.dir, { recursive: true, force: true });

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
function summary(name: keyof typeof targets) {
  const ps = rounds.map((r) => r[name]);
  return {
    rps: median(ps.map((p) => p.load.rps)),
    p50: median(ps.map((p) => p.load.latencyMs.p50)),
    p99: median(ps.map((p) => p.load.latencyMs.p99)),
    errors: ps.reduce((a, p) => a + p.load.errors, 0),
    serverCpuMicrosPerRequest: median(ps.map((p) => (p.server.cpuSeconds / p.load.requests) * 1e6)),
    serverCpuUtilisation: median(ps.map((p) => p.server.cpuUtilisation)),
    clientCpuUtilisation: median(ps.map((p) => p.clientCpuSeconds / p.load.seconds)),
    rssPeakMB: Math.max(...ps.map((p) => p.server.rssPeakMB)),
    privatePeakMB: Math.max(...ps.map((p) => p.server.privatePeakMB)),
  };
}
const s = {
  bare: summary("bare"),
  reads: summary("reads"),
  real: summary("real"),
  quiet: summary("quiet"),
  uncached: summary("uncached"),
};
const ratio = s.real.rps / s.bare.rps;
const ratioToReads = s.real.rps / s.reads.rps;
const ratioQuiet = s.quiet.rps / s.bare.rps;
const ratioUncached = s.uncached.rps / s.bare.rps;
const result = {
  benchmark: "status-read",
  at: new Date().toISOString(),
  machine: machine(),
  settings: {
    sqlite: SQLITE_SETTINGS,
    dataset: { cards: o.cards, applications: o.applications, readFrom: ids.length, seed },
    http: {
      connections: o.connections,
      client: "node:http keep-alive agent, closed loop, same process for all",
    },
    responseBytes: Buffer.byteLength(body),
    rounds: o.rounds,
    secondsPerRound: o.seconds,
  },
  rounds: rounds.map((r) =>
    Object.fromEntries(
      Object.entries(r).map(([k, p]) => [
        k,
        { ...p.load, server: p.server, clientCpuSeconds: p.clientCpuSeconds },
      ]),
    ),
  ),
  summary: {
    ...s,
    ratio,
    ratioAtWarn: ratioQuiet,
    ratioToSameReads: ratioToReads,
    ratioNotRemembered: ratioUncached,
    target: 0.6,
    met: ratio >= 0.6,
  },
};
const row = (label: string, x: ReturnType<typeof summary>) => ({
  server: label,
  "req/s": fmt(x.rps),
  "p50 ms": fmt(x.p50, 2),
  "p99 ms": fmt(x.p99, 2),
  "server CPU µs/req": fmt(x.serverCpuMicrosPerRequest),
  "server CPU %": fmt(x.serverCpuUtilisation * 100),
  "client CPU %": fmt(x.clientCpuUtilisation * 100),
  "RSS peak MB (private)": `${fmt(x.rssPeakMB)} (${fmt(x.privatePeakMB)})`,
});
publish(
  "status-read",
  result,
  `### Status read: HTTP vs bare Fastify\n\n${markdownTable([
    row("bare Fastify, same bytes (reference)", s.bare),
    row("bare Fastify + the same five reads (better-sqlite3)", s.reads),
    row("zhuxiao, LOG_LEVEL=info", s.real),
    row("zhuxiao, LOG_LEVEL=warn", s.quiet),
    row("zhuxiao, LOG_LEVEL=info, ZHUXIAO_READ_CACHE_MB=0", s.uncached),
  ])}\n\n**Ratio ${fmt(ratio * 100)} %** of bare Fastify at LOG_LEVEL=info, ${fmt(ratioQuiet * 100)} % at warn (target ≥ 60 %: ${ratio >= 0.6 ? "met" : "not met"}); ${fmt(ratioToReads * 100)} % of bare Fastify doing the same reads (session, application, card, holder, timeline) with prepared statements and answering the rows as JSON. With nothing remembered (ZHUXIAO_READ_CACHE_MB=0: every read from the database, as on PostgreSQL) ${fmt(ratioUncached * 100)} % of bare Fastify. The same ${fmt(ids.length)} applications are read over and over with nothing written meanwhile, so after the first round each read is answered from memory (src/app/read-cache.ts). ${Buffer.byteLength(body)}-byte answers; ${o.connections} connections; medians of ${o.rounds} alternating rounds of ${o.seconds} s; ${fmt(o.cards)} cards, ${fmt(o.applications)} applications; measured ${result.at.slice(0, 10)}.`,
);
