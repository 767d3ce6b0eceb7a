/**
 * Submissions on PostgreSQL: through HTTP (`zhuxiao serve --no-worker`, 1 and 2 processes) against
 * the bare database doing the same transaction from node-pg with the same locks (the writer lock
 * shared, the idempotency key's and the card's advisory locks; read the card and its open
 * application, store the idempotency record; at the end lock the audit head row, then insert the
 * audit event and move the head in one statement). A throwaway cluster with durable settings
 * (fsync and synchronous_commit on).
 *
 *   npx tsx bench/postgres.ts [--seconds 8] [--concurrency 16] [--cards 40000]
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import pg from "pg";
import { scopeLockId, WRITER_LOCK } from "../src/db/postgres.js";
import { zhuxiao } from "../test/support/cli.js";
import { D } from "../test/support/demo.js";
import { startPostgres } from "../test/support/postgres.js";
import { spawnZhuxiao, waitFor, type ZhuxiaoProcess } from "../test/support/processes.js";
import { freePort, staffToken } from "../test/support/server-process.js";
import { cpuSeconds } from "./lib/proc.js";
import { fmt, log, machine, markdownTable, options, publish } from "./lib/report.js";

const o = options({ seconds: 8, concurrency: 16, cards: 40000 });

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

/** CPU seconds of each process whose parent is `ppid` (PostgreSQL's backends under the postmaster). */
function childrenCpuSeconds(ppid: number): Map<number, number> {
  const out = new Map<number, number>();
  for (const d of readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, "utf8");
      if (Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]) === ppid)
        out.set(Number(d), cpuSeconds(Number(d)));
    } catch {
      // Gone meanwhile.
    }
  }
  return out;
}

/** CPU used between two snapshots by the processes alive at the second (a pool's idle backends come and go). */
function cpuBetween(before: Map<number, number>, after: Map<number, number>): number {
  let total = 0;
  for (const [pid, cpu] of after) total += cpu - (before.get(pid) ?? 0);
  return total;
}

/** Busy and total CPU time of the machine, all cores (/proc/stat). */
function machineTicks(): { busy: number; total: number } {
  const t = readFileSync("/proc/stat", "utf8").split("\n")[0]!.split(/\s+/).slice(1).map(Number);
  const total = t.reduce((a, b) => a + b, 0);
  return { busy: total - t[3]! - t[4]!, total };
}

interface Cost {
  /** Share of all cores busy (everything on the machine, not only this benchmark). */
  machineBusy: number;
  /** CPU per operation, milliseconds: the API processes, PostgreSQL's backends. */
  serverCpuMs: number | null;
  postgresCpuMs: number;
  /** Sampled every 50 ms: transactions open, and those of them waiting for a lock (any kind). */
  openTransactions: number;
  waitingForLock: number;
}

/** Runs `run` (which returns operations per second) and what it cost, PostgreSQL's lock waits included. */
async function measured(
  run: () => Promise<number>,
  servers: number[],
): Promise<{ perSecond: number; cost: Cost }> {
  const sampler = new pg.Client({ connectionString: databaseUrl });
  await sampler.connect();
  let samples = 0;
  let open = 0;
  let waiting = 0;
  let sampling = true;
  const sampled = (async () => {
    while (sampling) {
      const r = await sampler.query<{ open: number; waiting: number }>(
        `select count(*)::int as open, count(*) filter (where wait_event_type = 'Lock')::int as waiting
         from pg_stat_activity where xact_start is not null and pid <> pg_backend_pid()`,
      );
      samples++;
      open += r.rows[0]!.open;
      waiting += r.rows[0]!.waiting;
      await sleep(50);
    }
  })();
  const ticks0 = machineTicks();
  const pg0 = childrenCpuSeconds(postmaster);
  const server0 = servers.map(cpuSeconds);
  const t0 = performance.now();
  const perSecond = await run();
  const ops = (perSecond * (performance.now() - t0)) / 1000;
  const serverCpu = servers.reduce((sum, pid, i) => sum + cpuSeconds(pid) - server0[i]!, 0);
  const pgCpu = cpuBetween(pg0, childrenCpuSeconds(postmaster));
  const ticks1 = machineTicks();
  sampling = false;
  await sampled;
  await sampler.end();
  return {
    perSecond,
    cost: {
      machineBusy: (ticks1.busy - ticks0.busy) / (ticks1.total - ticks0.total),
      serverCpuMs: servers.length ? (serverCpu / ops) * 1000 : null,
      postgresCpuMs: (pgCpu / ops) * 1000,
      openTransactions: open / Math.max(1, samples),
      waitingForLock: waiting / Math.max(1, samples),
    },
  };
}

const cluster = await startPostgres({ fast: false });
let databaseUrl = "";
const postmaster = Number(readFileSync(join(cluster.dir, "data", "postmaster.pid"), "utf8").split("\n")[0]);
const dataDir = mkdtempSync(join(tmpdir(), "zhuxiao-bench-pg-"));
const children: ZhuxiaoProcess[] = [];
try {
  const url = await cluster.createDatabase("zx_bench");
  databaseUrl = url;
  const env = {
    DATABASE_URL: url,
    ZHUXIAO_DATA_DIR: dataDir,
    ZHUXIAO_SECRET: randomBytes(32).toString("base64"),
    ZHUXIAO_FAKE_NOW: "2026-11-24T10:00:00+08:00",
    LOG_LEVEL: "error",
    ZHUXIAO_TRUST_PROXY: "true",
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
  // The bulk insert's dirty pages and statistics are dealt with before anything is measured.
  await pool.query("vacuum analyze");
  await pool.query("checkpoint");

  // The bare transaction: what a submission writes, without HTTP, auth, eligibility or receipts,
  // under the locks the HTTP path takes (src/db/postgres.ts), in one round trip here. With
  // `wholeDatabase`, under the exclusive writer lock instead, as every transaction took it before.
  let bareCard = 0;
  const bareTransaction = (wholeDatabase: boolean) => async () => {
    const c = await pool.connect();
    try {
      const card = `card_bench_${bareCard++ % o.cards}`;
      const id = `bare_${randomBytes(8).toString("hex")}`;
      const now = new Date().toISOString();
      await c.query("begin");
      if (wholeDatabase) {
        await c.query({
          name: "lock-all",
          text: "select pg_advisory_xact_lock($1)",
          values: [String(WRITER_LOCK)],
        });
      } else {
        await c.query({
          name: "lock",
          text: "select pg_advisory_xact_lock_shared($1), pg_advisory_xact_lock($2), pg_advisory_xact_lock($3)",
          values: [
            String(WRITER_LOCK),
            scopeLockId(`idempotency:bench:${id}`).toString(),
            scopeLockId(`card:${card}`).toString(),
          ],
        });
      }
      await c.query({ name: "card", text: "select * from cards where id = $1", values: [card] });
      await c.query({
        name: "open",
        text: "select id from applications where card_id = $1 and status not in ('closed','withdrawn','rejected')",
        values: [card],
      });
      await c.query({
        name: "idem",
        text: `insert into idempotency_records (scope, key, request_hash, response_status, response_body, created_at)
               values ('bench', $1, 'h', 201, '{}', $2)`,
        values: [id, now],
      });
      // The audit append, chained right before the commit: lock the head, then the event and the
      // head's move in one statement, as the HTTP path does.
      await c.query({
        name: "head",
        text: "select seq, hash from audit_head where id = 1 for update",
      });
      await c.query({
        name: "evt",
        text: `with e as (
                 insert into audit_events (seq, id, entity_type, entity_id, application_id, action, actor_type, actor_id, at, prev_hash, hash)
                 values ((select seq + 1 from audit_head where id = 1), $1, 'bench', $1, null, 'bench', 'system', 'bench', $2, 'x', 'y'))
               update audit_head set seq = seq + 1 where id = 1`,
        values: [id, now],
      });
      await c.query("commit");
    } finally {
      c.release();
    }
  };
  // A first run on a new database is slower (caches, plans): two seconds unmeasured.
  await rate(bareTransaction(false), 2);
  const bareRun = await measured(() => rate(bareTransaction(false)), []);
  const bareWholeRun = await measured(() => rate(bareTransaction(true)), []);
  const bare = bareRun.perSecond;
  await pool.query("delete from audit_events where entity_type = 'bench'");
  log(
    `bare transaction: ${fmt(bare)} tx/s; under the whole-database lock ${fmt(bareWholeRun.perSecond)} tx/s`,
  );

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
  let failures = 0;
  /**
   * Many clients, as behind nginx (ZHUXIAO_TRUST_PROXY): the per-address limit (600 a minute,
   * counted in the database on PostgreSQL) is not what is measured, and no single counter row
   * takes every request.
   */
  const clientAddress = (i: number) => `10.0.${(i >> 8) & 3}.${i & 255}`;
  const answers: Record<string, number> = {};
  // Half the cards for each run, each card once: every request creates and submits a new
  // application (a card used twice would answer 200 with its open application: a failure here).
  const half = Math.floor(o.cards / 2);
  const submit = (processes: number, firstCard: number) => {
    let next = 0;
    return async (i: number) => {
      const card = cards[firstCard + (next++ % half)]!;
      const r = await fetch(`http://127.0.0.1:${ports[i % processes]}/api/v1/applications`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${token}`,
          "content-type": "application/json",
          "idempotency-key": `bench-${randomBytes(8).toString("hex")}`,
          "x-forwarded-for": clientAddress(i),
        },
        body: JSON.stringify({ cardId: card, submit: true, backup: { status: "waived", note: "bench" } }),
      });
      await r.arrayBuffer();
      answers[r.status] = (answers[r.status] ?? 0) + 1;
      if (r.status !== 201) failures++;
    };
  };
  const pids = children.map((c) => c.child.pid!);
  const oneRun = await measured(() => rate(submit(1, 0)), pids.slice(0, 1));
  const twoRun = await measured(() => rate(submit(2, half)), pids);
  const one = oneRun.perSecond;
  const two = twoRun.perSecond;
  log(
    `HTTP submit: 1 process ${fmt(one)}/s, 2 processes ${fmt(two)}/s, failures ${failures}, answers ${JSON.stringify(answers)}`,
  );
  await pool.end();

  const costColumns = (c: Cost) => ({
    "machine busy": `${fmt(c.machineBusy * 100, 0)} %`,
    "server CPU ms/op": c.serverCpuMs === null ? "–" : fmt(c.serverCpuMs, 2),
    "PostgreSQL CPU ms/op": fmt(c.postgresCpuMs, 2),
    "open tx (waiting for a lock)": `${fmt(c.openTransactions, 1)} (${fmt(c.waitingForLock, 1)})`,
  });
  const rows = [
    {
      path: "bare PostgreSQL transaction (node-pg, named statements)",
      "per second": fmt(bare),
      ratio: "1.00",
      ...costColumns(bareRun.cost),
    },
    {
      path: "bare, under the exclusive writer lock instead (as before)",
      "per second": fmt(bareWholeRun.perSecond),
      ratio: fmt(bareWholeRun.perSecond / bare, 2),
      ...costColumns(bareWholeRun.cost),
    },
    {
      path: "POST /applications submit, 1 API process",
      "per second": fmt(one),
      ratio: fmt(one / bare, 2),
      ...costColumns(oneRun.cost),
    },
    {
      path: "POST /applications submit, 2 API processes",
      "per second": fmt(two),
      ratio: fmt(two / bare, 2),
      ...costColumns(twoRun.cost),
    },
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
        writes:
          "scoped: writer lock shared + advisory locks on the idempotency key and the card's family; audit head row locked from the chaining right before COMMIT; READ COMMITTED",
      },
      bareTxPerSecond: bare,
      bareWholeDatabaseLockTxPerSecond: bareWholeRun.perSecond,
      httpSubmitPerSecond: { oneProcess: one, twoProcesses: two },
      ratios: { oneProcessToBare: one / bare, twoProcessesToBare: two / bare, twoToOne: two / one },
      httpFailures: failures,
      httpAnswers: answers,
      costs: {
        bare: bareRun.cost,
        bareWholeDatabaseLock: bareWholeRun.cost,
        oneProcess: oneRun.cost,
        twoProcesses: twoRun.cost,
      },
    },
    `### Submit on PostgreSQL, 1 vs 2 API processes (\`bench/postgres.ts\`)

${m.cores} cores, ${m.cpu}; PostgreSQL 15 (fsync and synchronous_commit on), ${o.concurrency} concurrent clients (requests spread over 1,024 client addresses, as behind a proxy), ${o.seconds} s per run, measured ${new Date().toISOString().slice(0, 10)}.

${markdownTable(rows)}

Ratio: against the bare transaction measured in the same run, which takes the same locks as a submission (the writer lock shared, the idempotency key's and the card's advisory locks; the audit head row from the chaining right before COMMIT); the second row is the same transaction under the exclusive writer lock every transaction took before. Two processes to one: ${fmt(two / one, 2)}×. Non-201 answers: ${failures}. "Machine busy" counts every process on the machine; the CPU columns are per operation; open transactions and those waiting for a lock (advisory or row: the card, the idempotency key, the audit head) are sampled every 50 ms.`,
  );
} finally {
  await Promise.all(children.map((c) => c.kill("SIGTERM")));
  cluster.destroy();
  rmSync(dataDir, { recursive: true, force: true });
}
