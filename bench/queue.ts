/**
 * The staff queue page with 1 M applications: p50 and p99 through HTTP for the console's common
 * filters and sorts, one request at a time (a person clicking). Then the statements behind each
 * page (the page — for several statuses the merged ids, then their rows — and its capped total)
 * explained and timed on the database, to show where the time goes.
 * Target: p99 ≤ 50 ms at 1 M applications.
 *
 *   npx tsx bench/queue.ts [--applications 1000000] [--seconds 8] [--reuse yes] [--keep yes]
 */
import { existsSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { staffToken } from "./lib/api.js";
import { startChild } from "./lib/children.js";
import { applicationId, benchEnv, createDataset, type SeedReport } from "./lib/dataset.js";
import { measureProcess } from "./lib/proc.js";
import { explainScenarios, measurePages } from "./lib/queue-measure.js";
import { queueScenarios } from "./lib/queue-scenarios.js";
import { fmt, log, machine, markdownTable, options, publish, SQLITE_SETTINGS } from "./lib/report.js";

const o = options({
  applications: 1_000_000,
  cards: 0,
  seconds: 8,
  maxRequests: 1000,
  dir: join(tmpdir(), "zhuxiao-bench-queue"),
  reuse: "no",
  keep: "no",
});
const cards = o.cards || Math.round(o.applications * 1.05);
const file = join(o.dir, "zhuxiao.db");

let seed: SeedReport | "reused";
if (o.reuse === "yes" && existsSync(file)) {
  seed = "reused";
} else {
  log(`seeding ${cards} cards, ${o.applications} applications in ${o.dir}`);
  seed = await createDataset({ dir: o.dir, cards, applications: o.applications, freshCards: 0, log });
  log(
    `seeded in ${seed.seconds.toFixed(1)} s (${fmt(seed.rowsPerSecond)} rows/s), ${fmt(seed.databaseMB)} MB`,
  );
}
const probe = new BetterSqlite3(file, { readonly: true });
const number = (
  probe.prepare("select number from applications where id = ?").get(applicationId(12_345)) as {
    number: string;
  }
).number;
probe.close();
const scenarios = queueScenarios(new Date(), number);

const server = await startChild("server-child.ts", benchEnv(o.dir, "info"));
const token = await staffToken(server.port, "agent");
const { result: pages, cost } = await measureProcess(server.pid, () =>
  measurePages(server.port, token, scenarios, { seconds: o.seconds, maxRequests: o.maxRequests }),
);
for (const p of pages) {
  log(
    `${p.scenario}: p50 ${fmt(p.latencyMs.p50, 2)} ms, p99 ${fmt(p.latencyMs.p99, 2)} ms (${p.requests} requests)`,
  );
}
// A scrape counts applications by status over the whole table: what does that cost at this size?
const scrape = await (await fetch(`http://127.0.0.1:${server.port}/metrics`)).text();
const scrapeDbSeconds = Number(scrape.match(/^zhuxiao_metrics_db_query_seconds (\S+)$/m)?.[1]);
await server.stop();

const explained = await explainScenarios(file, scenarios);
if (o.keep !== "yes") rmSync(o.dir, { recursive: true, force: true });

const worst = Math.max(...pages.map((p) => p.latencyMs.p99));
const result = {
  benchmark: "queue",
  at: new Date().toISOString(),
  machine: machine(),
  settings: {
    sqlite: SQLITE_SETTINGS,
    dataset: { cards, applications: o.applications, seed },
    http: {
      connections: 1,
      pageSize: 50,
      secondsPerPage: o.seconds,
      maxRequestsPerPage: o.maxRequests,
      logLevel: "info",
    },
  },
  pages: pages.map((p, i) => ({ ...p, statements: explained[i]!.statements })),
  metricsScrapeDbSeconds: scrapeDbSeconds,
  server: cost,
  summary: { worstP99Ms: worst, target: 50, met: worst <= 50, rssPeakMB: cost.rssPeakMB },
};
const table = markdownTable(
  pages.map((p, i) => {
    // The total is the last statement; the page is one statement, or two (ids by index, then rows).
    const statements = explained[i]!.statements;
    const count = statements.at(-1);
    const pageMs = statements.slice(0, -1).reduce((t, x) => t + x.medianMs, 0);
    return {
      page: p.scenario,
      "p50 ms": fmt(p.latencyMs.p50, 1),
      "p99 ms": fmt(p.latencyMs.p99, 1),
      "≤ 50 ms": p.latencyMs.p99 <= 50 ? "yes" : "**no**",
      "page SQL ms": fmt(statements.length > 1 ? pageMs : Number.NaN, 1),
      "count SQL ms": fmt(count?.medianMs ?? Number.NaN, 1),
      requests: p.requests,
    };
  }),
);
publish(
  "queue",
  result,
  `### Staff queue page, ${fmt(o.applications)} applications\n\n${table}\n\nOne request at a time, 50 per page, LOG_LEVEL=info; "page SQL" (the page: one statement, or for several statuses the merged ids and then their rows) and "count SQL" (the total, counted up to 10 000, or 1 000 when filtered by the card's family) are the statements behind a page, timed alone on the database (median of 5). Worst p99 ${fmt(worst)} ms (target ≤ 50 ms: ${worst <= 50 ? "met" : "not met"}). A /metrics scrape spent ${fmt(scrapeDbSeconds * 1000)} ms in the database at this size. Server RSS ${fmt(cost.rssStartMB)} MB before the first page, peak ${fmt(cost.rssPeakMB)} MB. Measured ${result.at.slice(0, 10)}.`,
);
