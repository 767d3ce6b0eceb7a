/**
 * Submissions on PostgreSQL: through HTTP (`zhuxiao serve --no-worker`, 1 and 2 processes) against
 * the bare database doing the same transaction from node-pg (writer lock, read the card and its
 * open application, insert the application, the audit event, move the audit head, store the
 * idempotency record). A throwaway cluster with durable settings (fsync and synchronous_commit on).
 *
 *   npx tsx bench/postgres.ts [--seconds 8] [--concurrency 16] [--cards 6000]
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { zhuxiao } from "../test/support/cli.js";
import { D } from "../test/support/demo.js";
import { startPostgres } from "../test/support/postgres.js";
import { spawnZhuxiao, waitFor, type ZhuxiaoProcess } from "../test/support/processes.js";
import { freePort, staffToken } from "../test/support/server-process.js";
import { fmt, log, machine, markdownTable, options, publish } from "./lib/report.js";

const o = options({ seconds: 8, concurrency: 16, cards: 6000 });

/** Runs `one` from `concurrency` loops for `seconds`; returns completed operations per second. */
async function rate(one: (i: number) => Promise<void>, seconds = o.seconds): Promise<number> {
  let n = 0;
  let next = 0;
  const until = Date.now() + seconds * 1000;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: o.concurrency }, async () => {
      while (Date.now() < until) {
        await one(next++);
        n++;
      }
    }),
  );
  return n / ((performance.now() - t0) / 1000);
}

const cluster = await startPostgres({ fast: false });
const dataDir = mkdtempSync(join(tmpdir(), "zhuxiao-bench-pg-"));
const children: ZhuxiaoProcess[] = [];
try {
  const url = await cluster.createDatabase("zx_bench");
  const env = {
    DATABASE_URL: url,
    ZHUXIAO_DATA_DIR: dataDir,
    ZHUXIAO_SECRET: randomBytes(32).toString("base64"),
    ZHUXIAO_FAKE_NOW: "2026-11-24T10:00:00+08:00",
    LOG_LEVEL: "error",
  };
  const demo = zhuxiao(["demo"], env);
  if (demo.code !== 0) throw new Error(demo.stderr);
  const pool = new pg.Pool({ connectionString: url, max: o.concurrency });
  const cards = Array.from({ length: o.cards }, (_, i) => `card_bench_${i}`);
  await pool.query(
    `insert into cards select n.id, provider_id, holder_id, family, kind, network_generation, label, card_number_enc,
       card_number_hash, card_number_masked, iccid, msisdn, eid, status, number_status, quarantine_until,
       real_name_verified, parent_card_id, relation, bundle, group_name, family_plan, destroyed_at, destroyed_how,
       cancelled_at, created_at, updated_at
     from cards, unnest($1::text[]) as n(id) where cards.id = $2`,
    [cards, D.cleanDebit.card],
  );
  await pool.query(
    `insert into accounts (card_id, updated_at) select n.id, now()::text from unnest($1::text[]) as n(id)`,
    [cards],
  );
  await pool.query("analyze");

  // The bare transaction: what a submission writes, without HTTP, auth, eligibility or receipts.
  let bareCard = 0;
  const bare = await rate(async () => {
    const c = await pool.connect();
    try {
      const card = `card_bench_${bareCard++ % o.cards}`;
      const id = `bare_${randomBytes(8).toString("hex")}`;
      const now = new Date().toISOString();
      await c.query("begin");
      await c.query({ name: "lock", text: "select pg_advisory_xact_lock(134600000000001)" });
      await c.query({ name: "card", text: "select * from cards where id = $1", values: [card] });
      await c.query({
        name: "open",
        text: "select id from applications where card_id = $1 and status not in ('closed','withdrawn','rejected')",
        values: [card],
      });
      await c.query({
        name: "head",
        text: "select seq, hash from audit_head where id = 1",
      });
      await c.query({
        name: "evt",
        text: `insert into audit_events (seq, id, entity_type, entity_id, application_id, action, actor_type, actor_id, at, prev_hash, hash)
               values ((select seq + 1 from audit_head where id = 1), $1, 'bench', $1, null, 'bench', 'system', 'bench', $2, 'x', 'y')`,
        values: [id, now],
      });
      await c.query({ name: "move", text: "update audit_head set seq = seq + 1 where id = 1" });
      await c.query({
        name: "idem",
        text: `insert into idempotency_records (scope, key, request_hash, response_status, response_body, created_at)
               values ('bench', $1, 'h', 201, '{}', $2)`,
        values: [id, now],
      });
      await c.query("commit");
    } finally {
      c.release();
    }
  });
  await pool.query("delete from audit_events where entity_type = 'bench'");
  log(`bare transaction: ${fmt(bare)} tx/s`);

  const ports: number[] = [];
  for (let i = 0; i < 2; i++) {
    const port = await freePort();
    ports.push(port);
    children.push(spawnZhuxiao(`api-${i}`, ["serve", "--no-worker"], { ...env, PORT: String(port) }));
  }
  for (const port of ports) {
    await waitFor(
      async () => (await fetch(`http://127.0.0.1:${port}/healthz`)).ok,
      60_000,
      () => children.map((c) => c.output()).join("\n"),
    );
  }
  const token = await staffToken(`http://127.0.0.1:${ports[0]}`, dataDir, "agent");
  let cardIndex = 0;
  let failures = 0;
  const submit = (processes: number) => async (i: number) => {
    const card = cards[cardIndex++ % o.cards]!;
    const r = await fetch(`http://127.0.0.1:${ports[i % processes]}/api/v1/applications`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${token}`,
        "content-type": "application/json",
        "idempotency-key": `bench-${randomBytes(8).toString("hex")}`,
      },
      body: JSON.stringify({ cardId: card, submit: true, backup: { status: "waived", note: "bench" } }),
    });
    await r.arrayBuffer();
    if (r.status !== 201) failures++;
  };
  // Half the cards for each run: every request creates and submits a new application.
  const one = await rate(submit(1));
  await pool.query("delete from applications where card_id like 'card_bench_%'").catch(() => {});
  const two = await rate(submit(2));
  log(`HTTP submit: 1 process ${fmt(one)}/s, 2 processes ${fmt(two)}/s, failures ${failures}`);
  await pool.end();

  const rows = [
    {
      path: "bare PostgreSQL transaction (node-pg, named statements)",
      "per second": fmt(bare),
      ratio: "1.00",
    },
    { path: "POST /applications submit, 1 API process", "per second": fmt(one), ratio: fmt(one / bare, 2) },
    { path: "POST /applications submit, 2 API processes", "per second": fmt(two), ratio: fmt(two / bare, 2) },
  ];
  const m = machine();
  publish(
    "postgres",
    {
      machine: m,
      settings: {
        postgres: "15, throwaway cluster: fsync on, synchronous_commit on, C locale",
        concurrency: o.concurrency,
        seconds: o.seconds,
        cards: o.cards,
        writes: "one cluster-wide writer lock per transaction (pg_advisory_xact_lock), READ COMMITTED",
      },
      bareTxPerSecond: bare,
      httpSubmitPerSecond: { oneProcess: one, twoProcesses: two },
      ratios: { oneProcessToBare: one / bare, twoProcessesToBare: two / bare, twoToOne: two / one },
      httpFailures: failures,
    },
    `### Submit on PostgreSQL, 1 vs 2 API processes (\`bench/postgres.ts\`)

${m.cores} cores, ${m.cpu}; PostgreSQL 15 (fsync and synchronous_commit on), ${o.concurrency} concurrent clients, ${o.seconds} s per run.

${markdownTable(rows)}

Ratio: against the bare transaction measured in the same run. Two processes to one: ${fmt(two / one, 2)}×. Non-201 answers: ${failures}.`,
  );
} finally {
  await Promise.all(children.map((c) => c.kill("SIGTERM")));
  cluster.destroy();
  rmSync(dataDir, { recursive: true, force: true });
}
