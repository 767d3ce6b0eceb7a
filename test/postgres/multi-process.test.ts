/**
 * Proofs on PostgreSQL with many processes: 4 API processes (`serve --no-worker`), 2 workers and
 * the provider simulators as one HTTP service, all child processes on 127.0.0.1 sharing one
 * throwaway cluster. Exactly once under concurrent submissions, money moved once even when a
 * worker is killed mid-step, and 503 DATABASE_UNAVAILABLE while PostgreSQL restarts.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { zhuxiao } from "../support/cli.js";
import { D } from "../support/demo.js";
import { type PostgresCluster, startPostgres } from "../support/postgres.js";
import { spawnZhuxiao, waitFor, type ZhuxiaoProcess } from "../support/processes.js";
import { freePort, staffToken } from "../support/server-process.js";

const CARDS = 20;
const SUBMISSIONS = 200;

interface SimulatorCall {
  op: string;
  key: string;
  outcome: string;
}

describe("PostgreSQL with 4 API processes and 2 workers", () => {
  let cluster: PostgresCluster;
  let sql: pg.Pool;
  let dataDir: string;
  let env: Record<string, string>;
  let simulatorsUrl: string;
  const secret = randomBytes(24).toString("hex");
  const apis: Array<ZhuxiaoProcess & { base: string }> = [];
  const workers: ZhuxiaoProcess[] = [];
  const all: ZhuxiaoProcess[] = [];
  let token: string;
  const cardIds: string[] = [];

  const outputs = () => all.map((p) => `--- ${p.name}\n${p.output()}`).join("\n");

  async function api(i: number, path: string, init: RequestInit = {}): Promise<Response> {
    return fetch(`${apis[i % apis.length]!.base}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json", ...init.headers },
      signal: AbortSignal.timeout(20_000),
    });
  }

  async function simulatorCalls(): Promise<Record<string, SimulatorCall[]>> {
    const r = await fetch(`${simulatorsUrl}/_calls`, { headers: { authorization: `Bearer ${secret}` } });
    return (await r.json()) as Record<string, SimulatorCall[]>;
  }

  beforeAll(async () => {
    cluster = await startPostgres({ fast: true });
    const url = await cluster.createDatabase("zx_multi");
    sql = new pg.Pool({ connectionString: url, max: 2 });
    sql.on("error", () => {});
    dataDir = mkdtempSync(join(tmpdir(), "zhuxiao-multi-"));
    const simPort = await freePort();
    simulatorsUrl = `http://127.0.0.1:${simPort}`;
    env = {
      DATABASE_URL: url,
      ZHUXIAO_DATA_DIR: dataDir,
      ZHUXIAO_SECRET: randomBytes(32).toString("base64"),
      ZHUXIAO_PROVIDER_URL: simulatorsUrl,
      ZHUXIAO_PROVIDER_SECRET: secret,
      // Inside the demo providers' service windows, whatever the real time.
      ZHUXIAO_FAKE_NOW: "2026-11-24T10:00:00+08:00",
      ZHUXIAO_SMS_QUIET_HOURS: "off",
    };
    // Migrate and load the demo once, then start the processes on the ready database.
    const demo = zhuxiao(["demo"], env);
    expect(demo.code, demo.stderr).toBe(0);

    const sim = spawnZhuxiao("simulators", ["simulators"], {
      ...env,
      PORT: String(simPort),
      // Slow enough that a worker can be killed in the middle of a provider call.
      ZHUXIAO_SIM_LATENCY_MS: "250",
    });
    all.push(sim);
    await waitFor(async () => (await simulatorCalls()).billing !== undefined, 30_000, outputs);

    for (let i = 0; i < 4; i++) {
      const port = await freePort();
      const p = spawnZhuxiao(`api-${i}`, ["serve", "--no-worker"], { ...env, PORT: String(port) });
      all.push(p);
      apis.push(Object.assign(p, { base: `http://127.0.0.1:${port}` }));
    }
    for (let i = 0; i < 2; i++) {
      const w = spawnZhuxiao(`worker-${i}`, ["worker"], env);
      all.push(w);
      workers.push(w);
    }
    for (const a of apis) {
      await waitFor(async () => (await fetch(`${a.base}/healthz`)).ok, 60_000, outputs);
    }
    token = await staffToken(apis[0]!.base, dataDir, "agent");

    // Twenty cards like 张伟's clean debit card, each with its account.
    for (let i = 0; i < CARDS; i++) cardIds.push(`card_race_${String(i).padStart(2, "0")}`);
    await sql.query(
      `insert into cards (id, provider_id, holder_id, family, kind, network_generation, label, card_number_enc,
         card_number_hash, card_number_masked, iccid, msisdn, eid, status, number_status, quarantine_until,
         real_name_verified, parent_card_id, relation, bundle, group_name, family_plan, destroyed_at,
         destroyed_how, cancelled_at, created_at, updated_at)
       select n.id, provider_id, holder_id, family, kind, network_generation, label, card_number_enc,
         card_number_hash, card_number_masked, iccid, msisdn, eid, status, number_status, quarantine_until,
         real_name_verified, parent_card_id, relation, bundle, group_name, family_plan, destroyed_at,
         destroyed_how, cancelled_at, created_at, updated_at
       from cards, unnest($1::text[]) as n(id) where cards.id = $2`,
      [cardIds, D.cleanDebit.card],
    );
    await sql.query(
      `insert into accounts select n.id, balance_fen, gifted_balance_fen, deposit_fen, arrears_fen,
         unbilled_fen, debt_fen, instalments_fen, overpayment_fen, annual_fee_due_fen, updated_at, arrears_since
       from accounts, unnest($1::text[]) as n(id) where card_id = $2`,
      [cardIds, D.cleanDebit.card],
    );
  }, 180_000);

  afterAll(async () => {
    await Promise.all(all.map((p) => p.kill("SIGTERM")));
    await sql?.end();
    cluster?.destroy();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  it("200 concurrent submissions for 20 cards over 4 processes make exactly 20 applications", async () => {
    const responses = await Promise.all(
      Array.from({ length: SUBMISSIONS }, async (_, i) => {
        const r = await api(i, "/api/v1/applications", {
          method: "POST",
          headers: { "idempotency-key": `race-${i}-${randomBytes(4).toString("hex")}` },
          body: JSON.stringify({
            cardId: cardIds[i % CARDS],
            submit: true,
            backup: { status: "waived", note: "no records needed" },
          }),
        });
        return {
          status: r.status,
          body: (await r.json()) as { application?: { id: string; cardId: string } },
        };
      }),
    );
    const statuses = responses.map((r) => r.status);
    expect(
      statuses.filter((s) => s !== 200 && s !== 201),
      JSON.stringify(responses.slice(0, 3)),
    ).toEqual([]);
    expect(statuses.filter((s) => s === 201)).toHaveLength(CARDS);
    // Every caller for a card got the one application of that card.
    const idsPerCard = new Map<string, Set<string>>();
    for (const r of responses) {
      const a = r.body.application!;
      idsPerCard.set(a.cardId, (idsPerCard.get(a.cardId) ?? new Set()).add(a.id));
    }
    expect([...idsPerCard.values()].map((s) => s.size)).toEqual(Array(CARDS).fill(1));
    const rows = await sql.query(
      "select card_id, count(*)::int as n, min(status) as status from applications where card_id = any($1) group by card_id",
      [cardIds],
    );
    expect(rows.rows).toHaveLength(CARDS);
    for (const r of rows.rows) expect(r).toMatchObject({ n: 1, status: "submitted" });
    const audit = await sql.query(
      "select count(*)::int as n from audit_events where action = 'application.create' and entity_id in (select id from applications where card_id = any($1))",
      [cardIds],
    );
    expect(audit.rows[0].n).toBe(CARDS);
    // Appended side by side by four processes, the audit trail is still one intact chain.
    const verify = zhuxiao(["audit", "verify"], env);
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
  }, 120_000);

  it("moves money exactly once, and a worker killed mid-step hands its job to the other", async () => {
    const apps = await sql.query<{ id: string }>(
      "select id from applications where card_id = any($1) order by card_id limit 8",
      [cardIds],
    );
    expect(apps.rows.length).toBe(8);
    // Money on each account, so that settlement writes ledger entries (gifted balance is forfeited).
    await sql.query(
      "update accounts set gifted_balance_fen = 500 where card_id in (select card_id from applications where id = any($1))",
      [apps.rows.map((a) => a.id)],
    );
    for (const [i, a] of apps.rows.entries()) {
      const r = await api(i, `/api/v1/applications/${a.id}/approve`, {
        method: "POST",
        headers: { "idempotency-key": `approve-${a.id}` },
        body: "{}",
      });
      expect(r.status, await r.text()).toBe(200);
    }
    // Catch a pipeline job in the hands of a worker, and kill that worker outright. The job can
    // finish between being seen running and the kill landing; then nothing was handed over, so a
    // fresh worker takes the dead one's place and the next running job is caught instead.
    let victim: { id: number; lockedBy: string } | undefined;
    for (let tries = 0; victim === undefined; tries++) {
      expect(tries, "every caught job finished before its worker died").toBeLessThan(5);
      let seen: { id: number; lockedBy: string } | undefined;
      await waitFor(
        async () => {
          const r = await sql.query(
            "select id, locked_by from jobs where status = 'running' and task like 'pipeline.%' and locked_by = any($1) limit 1",
            [workers.map((w) => `worker-${w.child.pid}`)],
          );
          if (r.rows[0]) seen = { id: Number(r.rows[0].id), lockedBy: r.rows[0].locked_by };
          return seen !== undefined;
        },
        30_000,
        outputs,
      );
      const holder = workers.find((w) => seen!.lockedBy === `worker-${w.child.pid}`);
      expect(holder, `no worker named ${seen!.lockedBy}`).toBeDefined();
      await holder!.kill("SIGKILL");
      workers.splice(workers.indexOf(holder!), 1);
      const after = await sql.query("select status from jobs where id = $1", [seen!.id]);
      if (after.rows[0].status !== "done") victim = seen;
      else {
        const fresh = spawnZhuxiao(`worker-${all.length}`, ["worker"], env);
        all.push(fresh);
        workers.push(fresh);
      }
    }

    const ids = apps.rows.map((a) => a.id);
    let state = "";
    await waitFor(
      async () => {
        const r = await sql.query(
          "select status, count(*)::int as n from applications where id = any($1) group by 1",
          [ids],
        );
        const j = await sql.query(
          "select task, status, attempts, last_error from jobs where status <> 'done'",
        );
        state = JSON.stringify({ apps: r.rows, jobs: j.rows });
        return r.rows.length === 1 && r.rows[0].status === "completed";
      },
      90_000,
      () => `applications not completed: ${state}\n${outputs()}`,
    );
    const job = await sql.query("select status, locked_by, attempts from jobs where id = $1", [victim!.id]);
    expect(job.rows[0].status).toBe("done");
    expect(job.rows[0].locked_by).not.toBe(victim!.lockedBy);
    expect(workers.map((w) => `worker-${w.child.pid}`)).toContain(job.rows[0].locked_by);

    // Ours: one ledger entry per application and kind, every step done once.
    const ledger = await sql.query(
      "select application_id, kind, count(*)::int as n from ledger_entries where application_id = any($1) group by 1, 2",
      [ids],
    );
    expect(ledger.rows.filter((r) => r.kind === "gifted_forfeit")).toHaveLength(ids.length);
    for (const r of ledger.rows) expect(r.n).toBe(1);
    // The provider's: every operation did its work once per idempotency key, however often retried.
    const calls = await simulatorCalls();
    const done = new Map<string, number>();
    for (const c of Object.values(calls).flat()) {
      if (!ids.some((id) => c.key.includes(id))) continue;
      if (c.outcome === "ok" || c.outcome === "lost_reply") done.set(c.key, (done.get(c.key) ?? 0) + 1);
    }
    expect(done.size).toBeGreaterThanOrEqual(ids.length);
    expect([...done.values()].filter((n) => n !== 1)).toEqual([]);
    // Our side recorded the steps done (each at most once: the primary key is application and step).
    const steps = await sql.query(
      "select count(*)::int as n from processing_steps where application_id = any($1) and status = 'done'",
      [ids],
    );
    expect(steps.rows[0].n).toBeGreaterThan(0);
  }, 180_000);

  it("answers 503 DATABASE_UNAVAILABLE at once while PostgreSQL restarts, and recovers by itself", async () => {
    let stop = false;
    const statuses: number[] = [];
    const load = Promise.all(
      Array.from({ length: 8 }, async (_, i) => {
        while (!stop) {
          try {
            statuses.push((await api(i, "/api/v1/applications?limit=1")).status);
          } catch {
            statuses.push(0);
          }
        }
      }),
    );
    await new Promise((r) => setTimeout(r, 500));
    cluster.stopServer();
    try {
      for (let i = 0; i < apis.length; i++) {
        const t0 = Date.now();
        const r = await api(i, "/api/v1/applications?limit=1");
        const took = Date.now() - t0;
        expect(r.status).toBe(503);
        expect(r.headers.get("content-type")).toContain("application/problem+json");
        expect(((await r.json()) as { code: string }).code).toBe("DATABASE_UNAVAILABLE");
        expect(took).toBeLessThan(5000);
      }
    } finally {
      cluster.startServer();
    }
    for (let i = 0; i < apis.length; i++) {
      await waitFor(
        async () => (await api(i, "/api/v1/applications?limit=1")).status === 200,
        30_000,
        outputs,
      );
    }
    stop = true;
    await load;
    expect(statuses).toContain(200);
    expect(statuses).toContain(503);
    expect(statuses.filter((s) => s !== 200 && s !== 503)).toEqual([]);
    // Writes work again too, through every process.
    for (let i = 0; i < apis.length; i++) {
      const r = await api(i, "/api/v1/applications", {
        method: "POST",
        headers: { "idempotency-key": `after-restart-${i}` },
        body: JSON.stringify({ cardId: cardIds[0] }),
      });
      expect(r.status).toBe(200);
    }
  }, 120_000);
});
