/**
 * Submissions on PostgreSQL: through HTTP (`zhuxiao serve --no-worker`, 1 and 2 processes, the
 * same node:http load generator as the SQLite benchmark) against the bare database doing the same
 * transaction: every statement a create-and-submit sends, with the same locks and values copied
 * from a real submission, from node-pg as named statements one after another
 * (bench/lib/bare-submit-pg.ts). A throwaway cluster with durable settings (fsync and
 * synchronous_commit on). Rows written per submission are counted on both paths.
 *
 *   npx tsx bench/postgres.ts [--seconds 8] [--concurrency 16] [--cards 60000]
 */
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import pg from "pg";
import { zhuxiao } from "../test/support/cli.js";
import { D } from "../test/support/demo.js";
import { startPostgres } from "../test/support/postgres.js";
import { spawnZhuxiao, waitFor, type ZhuxiaoProcess } from "../test/support/processes.js";
import { freePort, staffToken } from "../test/support/server-process.js";
import { submitRequest } from "./lib/api.js";
import { countRowsPg, openBarePgSubmitter } from "./lib/bare-submit-pg.js";
import { runLoad } from "./lib/load.js";
import { cpuSeconds } from "./lib/proc.js";
import { fmt, log, machine, markdownTable, options, publish } from "./lib/report.js";

const o = options({ seconds: 8, concurrency: 16, cards: 60000 });

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
  /** CPU per operation, milliseconds: the API processes, PostgreSQL's backends, this benchmark (the client). */
  serverCpuMs: number | null;
  clientCpuMs: number;
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
  const client0 = process.cpuUsage();
  const t0 = performance.now();
  const perSecond = await run();
  const client = process.cpuUsage(client0);
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
      clientCpuMs: (client.user + client.system) / 1000 / ops,
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

  // The reference replays a real submission's statements with its rows as values: one first.
  const first = submitRequest(token, cards.at(-1)!, `bench-${randomBytes(8).toString("hex")}`);
  const answer = await fetch(`http://127.0.0.1:${ports[0]}${first.path}`, {
    method: first.method,
    headers: { ...first.headers, "content-type": "application/json" },
    body: first.body,
  });
  const template = (await answer.json()) as { application?: { id: string } };
  if (answer.status !== 201 || !template.application) {
    throw new Error(`the template submission answered ${answer.status}`);
  }
  const reference = await openBarePgSubmitter(pool, {
    applicationId: template.application.id,
    sessionTokenHash: createHash("sha256").update(token).digest("hex"),
  });

  // Every operation creates and submits an application for a card of its own (a card used twice
  // would have an open application): the first half of the cards for the reference, a quarter
  // for each HTTP run.
  const ranges = {
    bare: { next: 0, end: Math.floor(o.cards / 2) },
    one: { next: Math.floor(o.cards / 2), end: Math.floor((o.cards * 3) / 4) },
    two: { next: Math.floor((o.cards * 3) / 4), end: o.cards - 1 },
  };
  const take = (range: { next: number; end: number }) => {
    if (range.next >= range.end) throw new Error(`not enough cards: run with more than --cards ${o.cards}`);
    return cards[range.next++]!;
  };
  const written: Record<string, Record<string, number>> = {};
  const counted = async (label: string, run: () => Promise<{ perSecond: number; cost: Cost }>) => {
    const before = await countRowsPg(pool);
    const t0 = performance.now();
    const result = await run();
    const ops = (result.perSecond * (performance.now() - t0)) / 1000;
    const after = await countRowsPg(pool);
    written[label] = Object.fromEntries(
      Object.keys(before).map((k) => [k, Number(((after[k]! - before[k]!) / ops).toFixed(2))]),
    );
    return result;
  };

  const bareRun = (whole: boolean) => (i: number) => reference.submitCard(take(ranges.bare), i, whole);
  // A first run on a new database is slower (caches, plans): two seconds unmeasured.
  await rate(bareRun(false), 2);
  const scopedRun = await counted("bare", () => measured(() => rate(bareRun(false)), []));
  const bareWholeRun = await measured(() => rate(bareRun(true)), []);
  const bare = scopedRun.perSecond;
  log(
    `bare transaction: ${fmt(bare)} tx/s; under the whole-database lock ${fmt(bareWholeRun.perSecond)} tx/s`,
  );

  /**
   * Submissions through HTTP from the same load generator as the SQLite benchmark (node:http,
   * keep-alive), the connections spread over the processes.
   */
  const submit = async (processes: number, range: { next: number; end: number }) => {
    let client = 0;
    const results = await Promise.all(
      ports.slice(0, processes).map((port) =>
        runLoad({
          port,
          connections: o.concurrency / processes,
          durationMs: o.seconds * 1000,
          next: () => {
            const spec = submitRequest(token, take(range), `bench-${randomBytes(8).toString("hex")}`);
            spec.headers!["x-forwarded-for"] = clientAddress(client++);
            return spec;
          },
          ok: (a) => a.status === 201,
        }),
      ),
    );
    for (const r of results) {
      for (const [status, n] of Object.entries(r.statuses)) answers[status] = (answers[status] ?? 0) + n;
      failures += r.errors;
    }
    return results.reduce((sum, r) => sum + r.rps, 0);
  };
  const pids = children.map((c) => c.child.pid!);
  const oneRun = await counted("http", () => measured(() => submit(1, ranges.one), pids.slice(0, 1)));
  const twoRun = await measured(() => submit(2, ranges.two), pids);
  const one = oneRun.perSecond;
  const two = twoRun.perSecond;
  log(
    `HTTP submit: 1 process ${fmt(one)}/s, 2 processes ${fmt(two)}/s, failures ${failures}, answers ${JSON.stringify(answers)}`,
  );
  log(`rows written per submission: ${JSON.stringify(written)}`);
  await pool.end();

  const costColumns = (c: Cost) => ({
    "machine busy": `${fmt(c.machineBusy * 100, 0)} %`,
    "server CPU ms/op": c.serverCpuMs === null ? "–" : fmt(c.serverCpuMs, 2),
    "client CPU ms/op": fmt(c.clientCpuMs, 2),
    "PostgreSQL CPU ms/op": fmt(c.postgresCpuMs, 2),
    "open tx (waiting for a lock)": `${fmt(c.openTransactions, 1)} (${fmt(c.waitingForLock, 1)})`,
  });
  const rows = [
    {
      path: "bare PostgreSQL transaction (node-pg, named statements)",
      "per second": fmt(bare),
      ratio: "1.00",
      ...costColumns(scopedRun.cost),
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
        bare: scopedRun.cost,
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
