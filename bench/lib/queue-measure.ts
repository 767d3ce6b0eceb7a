/**
 * Staff queue pages through HTTP (latency, one request at a time as a person clicks), and the
 * two statements behind each page (the page and its total) timed and explained on the database.
 */
import BetterSqlite3 from "better-sqlite3";
import { CamelCasePlugin, type CompiledQuery, Kysely } from "kysely";
import { listQueue } from "../../src/db/applications-repository.js";
import type { Database } from "../../src/db/schema.js";
import { ImmediateSqliteDialect } from "../../src/db/sqlite-dialect.js";
import { type Latency, percentiles, runLoad } from "./load.js";
import { queueUrl, type Scenario } from "./queue-scenarios.js";

export interface PageLatency {
  scenario: string;
  url: string;
  requests: number;
  errors: number;
  latencyMs: Latency;
}

/** Each page for up to `seconds` (at most `maxRequests` times), one request at a time. */
export async function measurePages(
  port: number,
  token: string,
  scenarios: Scenario[],
  o: { seconds: number; maxRequests: number },
): Promise<PageLatency[]> {
  const out: PageLatency[] = [];
  for (const s of scenarios) {
    const url = queueUrl(s);
    const spec = { method: "GET" as const, path: url, headers: { authorization: `Bearer ${token}` } };
    await runLoad({ port, connections: 1, maxRequests: 5, next: () => spec });
    const r = await runLoad({
      port,
      connections: 1,
      durationMs: o.seconds * 1000,
      maxRequests: o.maxRequests,
      next: () => spec,
    });
    out.push({ scenario: s.name, url, requests: r.requests, errors: r.errors, latencyMs: r.latencyMs });
  }
  return out;
}

export interface StatementReport {
  sql: string;
  plan: string[];
  medianMs: number;
}

/** The page query and the count query of each scenario, as listQueue builds them. */
export async function explainScenarios(
  file: string,
  scenarios: Scenario[],
): Promise<Array<{ scenario: string; statements: StatementReport[] }>> {
  const raw = new BetterSqlite3(file, { readonly: true });
  const captured: CompiledQuery[] = [];
  const db = new Kysely<Database>({
    dialect: new ImmediateSqliteDialect(raw),
    plugins: [new CamelCasePlugin()],
    log: (e) => {
      if (e.level === "query") captured.push(e.query);
    },
  });
  const out: Array<{ scenario: string; statements: StatementReport[] }> = [];
  for (const s of scenarios) {
    captured.length = 0;
    await listQueue(db, s.filter, s.page);
    const statements = captured.map((q) => explain(raw, q.sql, q.parameters as unknown[]));
    out.push({ scenario: s.name, statements });
  }
  await db.destroy();
  return out;
}

export function explain(raw: BetterSqlite3.Database, sql: string, params: unknown[]): StatementReport {
  const plan = (raw.prepare(`explain query plan ${sql}`).all(params) as Array<{ detail: string }>).map(
    (p) => p.detail,
  );
  const stmt = raw.prepare(sql);
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = process.hrtime.bigint();
    stmt.all(params);
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return { sql, plan, medianMs: percentiles(times).p50 };
}
