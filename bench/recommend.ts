/**
 * Off-peak recommendation over a year of history: target < 20 ms per answer (the "done
 * when"). The demo data set is loaded (10 branches, a year of hourly load each — ~31,000 rows),
 * a few hundred bookings are spread over the next weeks, then each path is timed many times:
 *
 *  - the use case across a provider's 4 branches with distance, weekday and time constraints;
 *  - the same through HTTP on 127.0.0.1 (auth, validation, serialisation included);
 *  - the booking page's advice for one branch (heat map + recommendations + days);
 *  - across all 10 branches;
 *  - reference, measured in the same run: the bare SQL the model reads (the grouped hourly-load
 *    query on better-sqlite3, no Kysely, no model), which bounds what the database costs.
 *
 * Prints p50/p99 and each one's ratio to the 20 ms target and to the reference; writes
 * bench/results/recommend.json.
 *
 *   npx tsx bench/recommend.ts [--runs 500]
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { cpus, loadavg, release, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import BetterSqlite3 from "better-sqlite3";
import { tokenHash } from "../src/app/auth/sessions.js";
import type { Actor } from "../src/app/context.js";
import { forgetDemandModels } from "../src/branches/app/branch-context.js";
import { getBranchAdvice } from "../src/branches/app/get-branch-advice.js";
import { recommendSlots } from "../src/branches/app/recommend-slots.js";
import { loadConfig } from "../src/config.js";
import { seedDemo } from "../src/demo/seed.js";
import { buildServer } from "../src/http/server.js";
import { openRuntime } from "../src/runtime.js";

const TARGET_MS = 20;
const argv = process.argv.slice(2);
const runs = argv[0] === "--runs" ? Number(argv[1]) : 500;

const dir = mkdtempSync(join(tmpdir(), "zhuxiao-bench-recommend-"));
const config = loadConfig({ ZHUXIAO_DATA_DIR: dir, LOG_LEVEL: "warn", ZHUXIAO_WORKER: "false" });
const rt = await openRuntime(config, { startWorker: false });
const seedStart = performance.now();
await seedDemo(rt.deps, {});
const seedMs = performance.now() - seedStart;
const db = rt.deps.db;
const loadRows = Number(
  (
    await db
      .selectFrom("branchHourlyLoad")
      .select((eb) => eb.fn.countAll().as("n"))
      .executeTakeFirstOrThrow()
  ).n,
);

// Bookings over the next three weeks: every third slot of the mobile stores is half full.
const now = new Date();
const branches = await db.selectFrom("branches").selectAll().execute();
let bookings = 0;
for (const b of branches.filter((x) => x.providerId === "prv_demo_mobile")) {
  for (let m = 60; m < 21 * 1440; m += 90) {
    const start = new Date(Math.floor(now.getTime() / 1_800_000) * 1_800_000 + m * 60_000);
    await db
      .insertInto("branchSlots")
      .values({
        branchId: b.id,
        startAt: start.toISOString(),
        endAt: new Date(start.getTime() + 1_800_000).toISOString(),
        capacity: b.slotCapacity,
        booked: Math.ceil(b.slotCapacity / 2),
      })
      .onConflict((oc) => oc.columns(["branchId", "startAt"]).doNothing())
      .execute();
    bookings++;
  }
}

const holder: Actor = { type: "holder", id: "hld_demo_zhang_wei", role: "holder" };
const constraints = {
  providerId: "prv_demo_mobile",
  weekdays: [1, 2, 3, 4, 5, 6],
  from: "09:00",
  to: "18:00",
  horizonDays: 14,
  lat: 31.2304,
  lng: 121.4737,
  maxDistanceKm: 30,
};

async function time(label: string, n: number, fn: () => Promise<unknown>) {
  for (let i = 0; i < Math.min(50, n); i++) await fn(); // warm-up: JIT, statement cache
  const ms: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn();
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  const q = (p: number) => ms[Math.min(ms.length - 1, Math.floor(p * ms.length))]!;
  return { label, runs: n, p50: q(0.5), p99: q(0.99), max: ms.at(-1)! };
}

// The reference: the grouped query alone, on the raw driver.
const raw = new BetterSqlite3(join(dir, "zhuxiao.db"), { readonly: true });
const stmt = raw.prepare(
  `select branch_id, profile_weekday, hour, month_end, sum(arrivals), sum(service_seconds), sum(service_count),
          sum(wait_seconds), sum(wait_count), min(local_date)
     from branch_hourly_load
    where branch_id in (?, ?, ?, ?) and local_date >= ? and local_date < ? and holiday = 0
    group by branch_id, profile_weekday, hour, month_end`,
);
const mobileIds = branches.filter((b) => b.providerId === "prv_demo_mobile").map((b) => b.id);
const today = now.toISOString().slice(0, 10);
const yearAgo = new Date(now.getTime() - 365 * 86_400_000).toISOString().slice(0, 10);

const app = await buildServer(rt.deps, { logLevel: "warn", rateLimit: { global: 1_000_000, auth: 1000 } });
await app.listen({ host: "127.0.0.1", port: 0 });
const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
// A holder session without SMS: the same row the sign-in use case writes.
const token = "bench-recommend-token-0000000000000000000000";
await db
  .insertInto("sessions")
  .values({
    tokenHash: tokenHash(token),
    subjectType: "holder",
    subjectId: holder.id,
    role: "holder",
    csrfToken: "bench",
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + 3_600_000).toISOString(),
  })
  .execute();
const query = new URLSearchParams({
  providerId: constraints.providerId,
  weekdays: constraints.weekdays.join(","),
  from: constraints.from,
  to: constraints.to,
  horizonDays: String(constraints.horizonDays),
  lat: String(constraints.lat),
  lng: String(constraints.lng),
  maxDistanceKm: String(constraints.maxDistanceKm),
}).toString();
const probe = await fetch(`${base}/api/v1/recommendations?${query}`, {
  headers: { authorization: `Bearer ${token}` },
});
if (probe.status !== 200) throw new Error(`HTTP probe failed: ${probe.status} ${await probe.text()}`);
const sample = (await probe.json()) as { recommendations: unknown[]; candidates: number };

const reference = await time("reference: bare grouped SQL, 4 branches", runs, async () =>
  stmt.all(...mobileIds, yearAgo, today),
);
const results = [
  await time("recommend, 4 branches, cold: model estimated from the year (use case)", runs, () => {
    forgetDemandModels(db);
    return recommendSlots(rt.deps, holder, constraints);
  }),
  await time("recommend, 4 branches, cold (HTTP)", runs, async () => {
    forgetDemandModels(db);
    const r = await fetch(`${base}/api/v1/recommendations?${query}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    await r.arrayBuffer();
  }),
  await time("recommend, 4 branches, day's model cached (use case)", runs, () =>
    recommendSlots(rt.deps, holder, constraints),
  ),
  await time("recommend, 4 branches, day's model cached (HTTP)", runs, async () => {
    const r = await fetch(`${base}/api/v1/recommendations?${query}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    await r.arrayBuffer();
  }),
  await time("advice page, 1 branch, cold (use case)", runs, () => {
    forgetDemandModels(db);
    return getBranchAdvice(rt.deps, holder, { branchId: "brn_mobile_xujiahui", horizonDays: 14 });
  }),
  await time("recommend, all 10 branches, cold (use case)", runs, () => {
    forgetDemandModels(db);
    return recommendSlots(rt.deps, holder, { horizonDays: 14, weekdays: undefined });
  }),
];

const rows = [reference, ...results].map((r) => ({
  path: r.label,
  runs: r.runs,
  p50ms: Number(r.p50.toFixed(3)),
  p99ms: Number(r.p99.toFixed(3)),
  maxMs: Number(r.max.toFixed(3)),
  p99OfTarget: Number((r.p99 / TARGET_MS).toFixed(3)),
  p50VsReference: Number((r.p50 / reference.p50).toFixed(1)),
}));
process.stdout.write(
  `\nRecommendation over a year of history (${loadRows} hourly-load rows, ${branches.length} branches, ${bookings} booked slots), target ${TARGET_MS} ms\n\n`,
);
process.stdout.write(
  "| path | p50 ms | p99 ms | p99 ÷ 20 ms | p50 ÷ bare SQL |\n| --- | --- | --- | --- | --- |\n",
);
for (const r of rows)
  process.stdout.write(`| ${r.path} | ${r.p50ms} | ${r.p99ms} | ${r.p99OfTarget} | ${r.p50VsReference} |\n`);
// The target is judged on what a holder gets: the HTTP answer with the day's model built (every
// request but the first of the day per branch), p99; the cold first request is reported beside it.
const steady = results[3]!;
const cold = results[1]!;
const met = steady.p99 < TARGET_MS;
process.stdout.write(
  `\nsteady state (HTTP, model cached): p50 ${steady.p50.toFixed(2)} ms, p99 ${steady.p99.toFixed(2)} ms = ${((steady.p99 / TARGET_MS) * 100).toFixed(0)} % of ${TARGET_MS} ms: ${met ? "met" : "NOT met"}\n` +
    `first request of the day (HTTP, model estimated from the year): p50 ${cold.p50.toFixed(2)} ms = ${((cold.p50 / TARGET_MS) * 100).toFixed(0)} % of ${TARGET_MS} ms\n` +
    `load average during the run: ${loadavg()
      .map((x) => x.toFixed(2))
      .join(" ")} on ${cpus().length} cores\n`,
);

const out = {
  benchmark: "recommend",
  at: now.toISOString(),
  machine: {
    cores: cpus().length,
    cpu: cpus()[0]?.model ?? "unknown",
    memoryGB: Math.round(totalmem() / 1e9),
    node: process.version,
    os: `${process.platform} ${release()}`,
    // Other work on the machine during the run (shared CI and developer machines are noisy).
    loadAverage: loadavg().map((x) => Number(x.toFixed(2))),
  },
  settings: {
    sqlite: { journalMode: "WAL", synchronous: "FULL", foreignKeys: "ON" },
    dataset: { branches: branches.length, hourlyLoadRows: loadRows, bookedSlots: bookings, historyDays: 365 },
    seedMs: Math.round(seedMs),
    constraints,
    sampleAnswer: { recommendations: sample.recommendations.length, candidates: sample.candidates },
  },
  targetMs: TARGET_MS,
  results: rows,
  met,
  judgedOn: steady.label,
};
const resultsDir = fileURLToPath(new URL("./results/", import.meta.url));
mkdirSync(resultsDir, { recursive: true });
writeFileSync(join(resultsDir, "recommend.json"), `${JSON.stringify(out, null, 2)}\n`);
process.stdout.write("wrote bench/results/recommend.json\n");

await app.close();
raw.close();
await rt.close();
rmSync(dir, { recursive: true, force: true });
