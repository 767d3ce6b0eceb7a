/**
 * Seed rate, and the latencies of submit, status read and the staff queue at a small dataset vs
 * a large one (cards; one application per five cards, as in 10 M cards / 2 M applications).
 * Latencies are one request at a time (what a person waits), p50 and p99. Target: at the large
 * size within 1.5× of the small one. Both sizes are seeded and served at once, and measured in
 * turn, round after round (the order alternating), each figure the median of its rounds: a shared
 * machine's slow minutes then fall on both sizes instead of on whichever ran during them. The
 * large default is small enough to finish in minutes; run `--large 10000000` for the issue's size
 * (about ten minutes and 9 GB of disk here).
 *
 * The provider simulators read a card's state from the database when they first touch it
 * (`LazyPrimer`, src/adapters/simulators), so start-up no longer grows with the number of cards.
 * `--simulators stub` (simulators that hold nothing at all) remains for comparison with runs made
 * before that; the results say which was used.
 *
 *   npx tsx bench/scale.ts [--small 100000] [--large 1000000] [--rounds 3] [--seconds 5]
 *     [--simulators real|stub] [--name scale]
 */
import { rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readRequest, staffToken, submitRequest } from "./lib/api.js";
import { type Child, startChild } from "./lib/children.js";
import { applicationId, benchEnv, cardId, createDataset, type SeedReport } from "./lib/dataset.js";
import { type Latency, runLoad } from "./lib/load.js";
import { measureProcess, rssBytes } from "./lib/proc.js";
import { measurePages } from "./lib/queue-measure.js";
import { queueScenarios } from "./lib/queue-scenarios.js";
import { fmt, log, machine, markdownTable, options, publish, SQLITE_SETTINGS } from "./lib/report.js";

const o = options({
  small: 100_000,
  large: 1_000_000,
  seconds: 5,
  /** Rounds: each measures both sizes, one after the other (the order alternating), medians kept. */
  rounds: 3,
  simulators: "real",
  /** With stubbed simulators: first try starting the server as in production, and record how that went. */
  tryReal: "yes",
  /** V8 heap limit of the server, MB (0: node's default); priming millions of cards needs more. */
  serverHeapMB: 0,
  dir: join(tmpdir(), "zhuxiao-bench-scale"),
  /** Results file and docs section: bench/results/<name>.json. */
  name: "scale",
});
/** Submissions per round and size at most; each needs a card of its own. */
const SUBMITS_PER_ROUND = 2_000;
const FRESH = SUBMITS_PER_ROUND * o.rounds + 10;
const QUEUE_PAGES = ["submitted, by due date", "open work (3 statuses), by due date", "look up by number"];
const PHASES = ["submit", "status read", "queue pages"] as const;
type PhaseName = (typeof PHASES)[number];

interface StartAttempt {
  started: boolean;
  seconds: number;
  rssMB?: number;
  error?: string;
}

interface Measured {
  latencyMs: Latency;
  requests: number;
  errors: number;
}

interface SizeResult {
  cards: number;
  applications: number;
  seed: SeedReport;
  /** The server as in production (simulators primed, node's default heap), when the run stubs them. */
  productionStart?: StartAttempt;
  serverStartSeconds: number;
  /** Medians over the rounds of each measure's p50, p99 (and the rest of its latencies). */
  latencyMs: Record<string, Latency>;
  requests: Record<string, number>;
  errors: number;
  /** Every round's figures, for the spread. */
  rounds: Array<Record<string, Measured>>;
  server: { rssStartMB: number; rssPeakMB: number; privatePeakMB: number; cpuSeconds: number };
  /** RSS peak of each phase over the rounds: submissions, status reads, queue pages. */
  rssPeakMB: Record<PhaseName, number>;
}

/** A seeded dataset with its server running, measured round after round. */
interface Size {
  result: SizeResult;
  dir: string;
  server: Child;
  token: string;
  nextFresh: number;
  /** The status read's position in its pseudo-random walk over the applications. */
  walk: number;
  scenarios: ReturnType<typeof queueScenarios>;
}

async function prepare(cards: number): Promise<Size> {
  const applications = Math.round(cards / 5);
  const dir = join(o.dir, String(cards));
  log(`\n== ${fmt(cards)} cards, ${fmt(applications)} applications`);
  const seed = await createDataset({ dir, cards, applications, freshCards: FRESH, log });
  log(
    `seeded in ${seed.seconds.toFixed(1)} s: ${fmt(seed.rowsPerSecond)} rows/s, ${fmt(seed.cardsPerSecond)} cards/s, ${fmt(seed.databaseMB)} MB`,
  );
  let productionStart: StartAttempt | undefined;
  if (o.simulators === "stub" && o.tryReal === "yes") {
    const t0 = process.hrtime.bigint();
    try {
      const real = await startChild("server-child.ts", benchEnv(dir, "info"), {
        startTimeoutMs: 30 * 60_000,
      });
      productionStart = { started: true, seconds: real.startSeconds, rssMB: rssBytes(real.pid) / 1e6 };
      await real.stop();
    } catch (err) {
      const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
      productionStart = { started: false, seconds, error: err instanceof Error ? err.message : String(err) };
    }
    log(`as in production: ${JSON.stringify(productionStart)}`);
  }
  const server = await startChild(
    "server-child.ts",
    { ...benchEnv(dir, "info"), BENCH_SIMULATORS: o.simulators },
    {
      nodeArgs: o.serverHeapMB ? [`--max-old-space-size=${o.serverHeapMB}`] : [],
      startTimeoutMs: 30 * 60_000,
    },
  );
  log(`server listening after ${server.startSeconds.toFixed(1)} s`);
  const token = await staffToken(server.port, "agent");
  const some = await fetch(
    `http://127.0.0.1:${server.port}/api/v1/applications/${applicationId(12_345 % applications)}`,
    { headers: { authorization: `Bearer ${token}` } },
  );
  const number = ((await some.json()) as { application: { number: string } }).application.number;
  const rss = rssBytes(server.pid) / 1e6;
  return {
    dir,
    server,
    token,
    nextFresh: cards,
    walk: 12_345,
    scenarios: queueScenarios(new Date(), number).filter((s) => QUEUE_PAGES.includes(s.name)),
    result: {
      cards,
      applications,
      seed,
      ...(productionStart ? { productionStart } : {}),
      serverStartSeconds: server.startSeconds,
      latencyMs: {},
      requests: {},
      errors: 0,
      rounds: [],
      server: { rssStartMB: rss, rssPeakMB: rss, privatePeakMB: 0, cpuSeconds: 0 },
      rssPeakMB: { submit: 0, "status read": 0, "queue pages": 0 },
    },
  };
}

/** One round on one size: submissions, status reads spread over the whole table, queue pages. */
async function measureRound(size: Size): Promise<void> {
  const { server, token, result } = size;
  const round: Record<string, Measured> = {};
  const phase = async <T>(name: PhaseName, fn: () => Promise<T>): Promise<T> => {
    const { result: r, cost } = await measureProcess(server.pid, fn);
    result.rssPeakMB[name] = Math.max(result.rssPeakMB[name], cost.rssPeakMB);
    result.server.rssPeakMB = Math.max(result.server.rssPeakMB, cost.rssPeakMB);
    result.server.privatePeakMB = Math.max(result.server.privatePeakMB, cost.privatePeakMB);
    result.server.cpuSeconds += cost.cpuSeconds;
    return r;
  };
  const keep = (name: string, r: Measured) => {
    round[name] = { latencyMs: r.latencyMs, requests: r.requests, errors: r.errors };
  };
  keep(
    "submit",
    await phase("submit", () =>
      runLoad({
        port: server.port,
        connections: 1,
        durationMs: o.seconds * 1000,
        maxRequests: SUBMITS_PER_ROUND,
        next: () => {
          const card = size.nextFresh++;
          return submitRequest(token, cardId(card), `bench-scale-${card}`);
        },
        ok: (a) => a.status === 201,
      }),
    ),
  );
  // Reads spread over the whole table, as a population of holders checking their progress does.
  keep(
    "status read",
    await phase("status read", () =>
      runLoad({
        port: server.port,
        connections: 1,
        durationMs: o.seconds * 1000,
        next: () => {
          size.walk = (Math.imul(size.walk, 1_103_515_245) + 12_345) >>> 0;
          return readRequest(token, applicationId(size.walk % result.applications));
        },
      }),
    ),
  );
  const pages = await phase("queue pages", () =>
    measurePages(server.port, token, size.scenarios, { seconds: o.seconds, maxRequests: 500 }),
  );
  for (const p of pages) keep(`queue: ${p.scenario}`, p);
  result.rounds.push(round);
  log(
    `${fmt(result.cards)} cards, round ${result.rounds.length}: ${Object.entries(round)
      .map(([k, m]) => `${k} p50 ${fmt(m.latencyMs.p50, 2)} / p99 ${fmt(m.latencyMs.p99, 2)} ms`)
      .join("; ")}`,
  );
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Medians over the rounds, and the totals. */
function conclude(size: Size): SizeResult {
  const r = size.result;
  for (const name of Object.keys(r.rounds[0] ?? {})) {
    const each = r.rounds.map((x) => x[name]!);
    const l = (k: keyof Latency) => median(each.map((m) => m.latencyMs[k]));
    r.latencyMs[name] = { p50: l("p50"), p90: l("p90"), p99: l("p99"), max: l("max"), mean: l("mean") };
    r.requests[name] = each.reduce((a, m) => a + m.requests, 0);
    r.errors += each.reduce((a, m) => a + m.errors, 0);
  }
  return r;
}

const sizes = [await prepare(o.small), await prepare(o.large)];
for (let round = 0; round < o.rounds; round++) {
  // Small first in one round, large first in the next: neither always runs on a warmer machine.
  for (const size of round % 2 === 0 ? sizes : [...sizes].reverse()) await measureRound(size);
}
for (const size of sizes) {
  await size.server.stop();
  rmSync(size.dir, { recursive: true, force: true });
}
const [small, large] = sizes.map(conclude) as [SizeResult, SizeResult];
rmSync(o.dir, { recursive: true, force: true });

const rows = Object.keys(small.latencyMs).map((k) => {
  const a = small.latencyMs[k]!;
  const b = large.latencyMs[k]!;
  return { measure: k, p50Ratio: b.p50 / a.p50, p99Ratio: b.p99 / a.p99, small: a, large: b };
});
const worstRatio = Math.max(...rows.map((r) => Math.max(r.p50Ratio, r.p99Ratio)));
const result = {
  benchmark: "scale",
  at: new Date().toISOString(),
  machine: machine(),
  settings: {
    sqlite: SQLITE_SETTINGS,
    sizes: { small: o.small, large: o.large, applicationsPerCard: 0.2 },
    http: { connections: 1, secondsPerMeasure: o.seconds, rounds: o.rounds, logLevel: "info" },
    simulators: o.simulators,
    serverHeapMB: o.serverHeapMB || "node default",
  },
  small,
  large,
  comparison: rows.map(({ measure, p50Ratio, p99Ratio }) => ({ measure, p50Ratio, p99Ratio })),
  summary: { worstRatio, target: 1.5, met: worstRatio <= 1.5 },
};
const n = (c: number) => (c >= 1e6 ? `${c / 1e6} M` : `${c / 1e3} k`);
const table = markdownTable(
  rows.map((r) => ({
    measure: r.measure,
    [`${n(o.small)}: p50 / p99 ms`]: `${fmt(r.small.p50, 1)} / ${fmt(r.small.p99, 1)}`,
    [`${n(o.large)}: p50 / p99 ms`]: `${fmt(r.large.p50, 1)} / ${fmt(r.large.p99, 1)}`,
    "ratio p50 / p99": `${fmt(r.p50Ratio, 2)} / ${fmt(r.p99Ratio, 2)}`,
    "≤ 1.5×": Math.max(r.p50Ratio, r.p99Ratio) <= 1.5 ? "yes" : "**no**",
  })),
);
const sizeTable = markdownTable(
  [small, large].map((s) => ({
    cards: fmt(s.cards),
    applications: fmt(s.applications),
    "seed s": fmt(s.seed.seconds, 1),
    "seed cards/s": fmt(s.seed.cardsPerSecond),
    "seed rows/s": fmt(s.seed.rowsPerSecond),
    "database MB": fmt(s.seed.databaseMB),
    "server start s": fmt(s.serverStartSeconds, 1),
    "RSS after start MB": fmt(s.server.rssStartMB),
    "RSS peak MB": fmt(s.server.rssPeakMB),
    ...(s.productionStart
      ? {
          "as in production": s.productionStart.started
            ? `started in ${fmt(s.productionStart.seconds, 1)} s, RSS ${fmt(s.productionStart.rssMB ?? 0)} MB`
            : `**failed** after ${fmt(s.productionStart.seconds, 1)} s (${s.productionStart.error})`,
        }
      : {}),
  })),
);
publish(
  o.name,
  result,
  `### Scale: ${n(o.small)} vs ${n(o.large)} cards\n\n${sizeTable}\n\n${table}\n\nOne application per five cards; one request at a time, ${o.seconds} s per measure (the slowest queue pages manage only a few requests in that time), medians of ${o.rounds} rounds, each measuring both sizes in turn (the order alternating); both servers run throughout; simulators ${o.simulators === "stub" ? "**stubbed** (not holding what they are primed with)" : "as in production"}. Worst ratio ${fmt(worstRatio, 2)}× (target ≤ 1.5×: ${worstRatio <= 1.5 ? "met" : "not met"}). Measured ${result.at.slice(0, 10)}.`,
);
