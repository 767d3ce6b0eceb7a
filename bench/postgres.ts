/**
 * Submissions on PostgreSQL: through HTTP (`zhuxiao serve --no-worker`, 1 and 2 processes, the
 * same node:http load generator as the SQLite benchmark) against the bare database doing the same
 * transaction: every statement a create-and-submit sends, with the same locks and values copied
 * from a real submission, from node-pg as named statements one after another
 * (bench/lib/bare-submit-pg.ts). A throwaway cluster with durable settings (fsync and
 * synchronous_commit on). Rows written per submission are counted on both paths.
 *
 * Measured over TCP on 127.0.0.1 and over the cluster's Unix socket (a PostgreSQL on the same
 * machine): every round trip costs both sides CPU, and over TCP on loopback far more.
 *
 *   npx tsx bench/postgres.ts [--seconds 8] [--rounds 3] [--concurrency 16] [--cards 240000] [--transport both|tcp|unix]
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

const o = options({ seconds: 8, concurrency: 16, cards: 240000, transport: "both", rounds: 3 });

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
const TRANSPORTS = (o.transport === "both" ? ["tcp", "unix"] : [o.transport]) as Array<"tcp" | "unix">;
const DESCRIBE = { tcp: "TCP on 127.0.0.1", unix: "the Unix socket" };

type Run = { perSecond: number; cost: Cost };
/** One round: the reference, then HTTP with one process, then with two. */
interface Round {
  bare: Run;
  one: Run;
  two: Run;
}
/** Every run measured over one transport. */
interface TransportResult {
  rounds: Round[];
  bareWhole: Run;
  written: Record<string, Record<string, number>>;
  failures: number;
  answers: Record<string, number>;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** The round whose one-process ratio is the median (its costs stand for the transport's). */
function medianRound(r: TransportResult): Round {
  const ratio = (x: Round) => x.one.perSecond / x.bare.perSecond;
  const m = median(r.rounds.map(ratio));
  return r.rounds.find((x) => ratio(x) === m)!;
}

try {
  const tcpUrl = await cluster.createDatabase("zx_bench");
  const urls = {
    tcp: tcpUrl,
    unix: `postgres://postgres@/zx_bench?host=${encodeURIComponent(cluster.dir)}&port=${cluster.port}`,
  };
  const baseEnv = {
    ZHUXIAO_DATA_DIR: dataDir,
    ZHUXIAO_SECRET: randomBytes(32).toString("base64"),
    ZHUXIAO_FAKE_NOW: "2026-11-24T10:00:00+08:00",
    LOG_LEVEL: "error",
    ZHUXIAO_TRUST_PROXY: "true",
  };
  const demo = zhuxiao(["demo"], { ...baseEnv, DATABASE_URL: tcpUrl });
  if (demo.code !== 0) throw new Error(demo.stderr);
  const setup = new pg.Pool({ connectionString: tcpUrl, max: 2 });
  const cards = Array.from({ length: o.cards }, (_, i) => `card_bench_${i}`);
  await setup.query(
    `insert into cards select n.id, provider_id, holder_id, family, kind, network_generation, label, card_number_enc,
       card_number_hash, card_number_masked, iccid, msisdn, eid, status, number_status, quarantine_until,
       real_name_verified, parent_card_id, relation, bundle, group_name, family_plan, destroyed_at, destroyed_how,
       cancelled_at, created_at, updated_at
     from cards, unnest($1::text[]) as n(id) where cards.id = $2`,
    [cards, D.cleanDebit.card],
  );
  await setup.query(
    `insert into accounts (card_id, updated_at) select n.id, now()::text from unnest($1::text[]) as n(id)`,
    [cards],
  );
  // The bulk insert's dirty pages and statistics are dealt with before anything is measured.
  await setup.query("vacuum analyze");
  await setup.query("checkpoint");
  await setup.end();

  /**
   * Many clients, as behind nginx (ZHUXIAO_TRUST_PROXY): the per-address limit (600 a minute,
   * counted in the database on PostgreSQL) is not what is measured, and no single counter row
   * takes every request.
   */
  const clientAddress = (i: number) => `10.0.${(i >> 8) & 3}.${i & 255}`;
  // Every operation creates and submits an application for a card of its own (a card used twice
  // would have an open application): each transport gets an equal share of the cards, half of
  // it for the reference and a quarter for each HTTP run.
  const share = Math.floor(o.cards / TRANSPORTS.length);

  async function measureTransport(transport: "tcp" | "unix", first: number): Promise<TransportResult> {
    const url = urls[transport];
    databaseUrl = url;
    const env = { ...baseEnv, DATABASE_URL: url };
    const ports: number[] = [];
    const servers: ZhuxiaoProcess[] = [];
    for (let i = 0; i < 2; i++) {
      const port = await freePort();
      ports.push(port);
      servers.push(
        spawnZhuxiao(`api-${transport}-${i}`, ["serve", "--no-worker"], { ...env, PORT: String(port) }),
      );
    }
    children.push(...servers);
    for (const port of ports) {
      await waitFor(
        async () => (await fetch(`http://127.0.0.1:${port}/healthz`)).ok,
        60_000,
        () => servers.map((c) => c.output()).join("\n"),
      );
    }
    const pool = new pg.Pool({ connectionString: url, max: o.concurrency });
    try {
      const token = await staffToken(`http://127.0.0.1:${ports[0]}`, dataDir, "agent");
      // The reference replays a real submission's statements with its rows as values: one first.
      const template = submitRequest(
        token,
        cards[first + share - 1]!,
        `bench-${randomBytes(8).toString("hex")}`,
      );
      const answer = await fetch(`http://127.0.0.1:${ports[0]}${template.path}`, {
        method: template.method,
        headers: { ...template.headers, "content-type": "application/json" },
        body: template.body,
      });
      const created = (await answer.json()) as { application?: { id: string } };
      if (answer.status !== 201 || !created.application) {
        throw new Error(`the template submission answered ${answer.status}`);
      }
      const reference = await openBarePgSubmitter(pool, {
        applicationId: created.application.id,
        sessionTokenHash: createHash("sha256").update(token).digest("hex"),
      });

      const ranges = {
        bare: { next: first, end: first + Math.floor(share / 2) },
        one: { next: first + Math.floor(share / 2), end: first + Math.floor((share * 3) / 4) },
        two: { next: first + Math.floor((share * 3) / 4), end: first + share - 1 },
      };
      const take = (range: { next: number; end: number }) => {
        if (range.next >= range.end)
          throw new Error(`not enough cards: run with more than --cards ${o.cards}`);
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
      const bareWholeRun = await measured(() => rate(bareRun(true)), []);

      let failures = 0;
      const answers: Record<string, number> = {};
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
      const pids = servers.map((c) => c.child.pid!);
      // Fresh processes are slower at first (JIT, each connection preparing its statements): as
      // for the reference, a first run unmeasured, on both processes.
      await submit(2, ranges.two);
      failures = 0;
      for (const k of Object.keys(answers)) delete answers[k];
      // Rounds of the three, one after another, so that a slow spell of the machine (or a
      // checkpoint) falls on all of them alike; the medians are reported.
      const rounds: Round[] = [];
      for (let round = 0; round < o.rounds; round++) {
        const bare = await counted("bare", () => measured(() => rate(bareRun(false)), []));
        const one = await counted("http", () => measured(() => submit(1, ranges.one), pids.slice(0, 1)));
        const two = await measured(() => submit(2, ranges.two), pids);
        rounds.push({ bare, one, two });
        log(
          `${transport} round ${round + 1}: bare ${fmt(bare.perSecond)}/s, HTTP 1 process ${fmt(one.perSecond)}/s (${fmt((one.perSecond / bare.perSecond) * 100, 1)} %), 2 processes ${fmt(two.perSecond)}/s (${fmt((two.perSecond / bare.perSecond) * 100, 1)} %)`,
        );
      }
      log(`${transport}: failures ${failures}, answers ${JSON.stringify(answers)}`);
      // What went wrong, from the servers' own error log.
      if (failures > 0) for (const c of servers) log(`${c.name}:\n${c.output().slice(-4000)}`);
      log(`${transport}: rows written per submission ${JSON.stringify(written)}`);
      return { rounds, bareWhole: bareWholeRun, written, failures, answers };
    } finally {
      await pool.end();
      await Promise.all(servers.map((c) => c.kill("SIGTERM")));
    }
  }

  const results: Partial<Record<"tcp" | "unix", TransportResult>> = {};
  for (const [i, transport] of TRANSPORTS.entries())
    results[transport] = await measureTransport(transport, i * share);

  const costColumns = (c: Cost) => ({
    "machine busy": `${fmt(c.machineBusy * 100, 0)} %`,
    "server CPU ms/op": c.serverCpuMs === null ? "–" : fmt(c.serverCpuMs, 2),
    "client CPU ms/op": fmt(c.clientCpuMs, 2),
    "PostgreSQL CPU ms/op": fmt(c.postgresCpuMs, 2),
    "open tx (waiting for a lock)": `${fmt(c.openTransactions, 1)} (${fmt(c.waitingForLock, 1)})`,
  });
  /** Median rates over the rounds; costs from the median round. */
  const summary = (t: "tcp" | "unix") => {
    const r = results[t]!;
    const bare = median(r.rounds.map((x) => x.bare.perSecond));
    const one = median(r.rounds.map((x) => x.one.perSecond));
    const two = median(r.rounds.map((x) => x.two.perSecond));
    const perRound = (k: "one" | "two") => r.rounds.map((x) => x[k].perSecond / x.bare.perSecond);
    return {
      bare,
      one,
      two,
      oneRatio: median(perRound("one")),
      twoRatio: median(perRound("two")),
      oneRatios: perRound("one"),
      twoRatios: perRound("two"),
      costs: medianRound(r),
    };
  };
  const rows = TRANSPORTS.flatMap((t) => {
    const r = results[t]!;
    const x = summary(t);
    return [
      {
        path: `bare PostgreSQL transaction, ${DESCRIBE[t]}`,
        "per second": fmt(x.bare),
        ratio: "1.00",
        ...costColumns(x.costs.bare.cost),
      },
      {
        path: `bare, under the exclusive writer lock instead (as before), ${DESCRIBE[t]}`,
        "per second": fmt(r.bareWhole.perSecond),
        ratio: fmt(r.bareWhole.perSecond / x.bare, 2),
        ...costColumns(r.bareWhole.cost),
      },
      {
        path: `POST /applications submit, 1 API process, ${DESCRIBE[t]}`,
        "per second": fmt(x.one),
        ratio: fmt(x.oneRatio, 2),
        ...costColumns(x.costs.one.cost),
      },
      {
        path: `POST /applications submit, 2 API processes, ${DESCRIBE[t]}`,
        "per second": fmt(x.two),
        ratio: fmt(x.twoRatio, 2),
        ...costColumns(x.costs.two.cost),
      },
    ];
  });
  const failures = TRANSPORTS.reduce((n, t) => n + results[t]!.failures, 0);
  const pct = (xs: number[]) => xs.map((v) => fmt(v * 100, 1)).join(", ");
  const ratioLine = TRANSPORTS.map((t) => {
    const x = summary(t);
    return `over ${DESCRIBE[t]} ${fmt(x.oneRatio * 100, 1)} % with one process (rounds: ${pct(x.oneRatios)} %), ${fmt(x.twoRatio * 100, 1)} % with two (${pct(x.twoRatios)} %; two to one ${fmt(x.two / x.one, 2)}×)`;
  }).join("; ");
  const m = machine();
  publish(
    "postgres",
    {
      machine: m,
      settings: {
        postgres: "15, throwaway cluster: fsync on, synchronous_commit on, C locale",
        concurrency: o.concurrency,
        seconds: o.seconds,
        rounds: o.rounds,
        cards: o.cards,
        transports: TRANSPORTS,
        reference:
          "every statement of a create-and-submit (bench/lib/bare-submit-pg.ts), one after another, named, on a pool of `concurrency` connections",
        writes:
          "scoped: writer lock shared + advisory locks on the idempotency key and the card's family; audit head row locked from the chaining right before COMMIT; READ COMMITTED",
      },
      byTransport: Object.fromEntries(
        TRANSPORTS.map((t) => {
          const r = results[t]!;
          const x = summary(t);
          return [
            t,
            {
              medians: {
                bareTxPerSecond: x.bare,
                httpSubmitPerSecond: { oneProcess: x.one, twoProcesses: x.two },
                ratios: {
                  oneProcessToBare: x.oneRatio,
                  twoProcessesToBare: x.twoRatio,
                  twoToOne: x.two / x.one,
                },
              },
              bareWholeDatabaseLockTxPerSecond: r.bareWhole.perSecond,
              rounds: r.rounds,
              rowsWrittenPerSubmission: r.written,
              httpFailures: r.failures,
              httpAnswers: r.answers,
            },
          ];
        }),
      ),
    },
    `### Submit on PostgreSQL, 1 vs 2 API processes (\`bench/postgres.ts\`)

${m.cores} cores, ${m.cpu}; PostgreSQL 15 (fsync and synchronous_commit on), ${o.concurrency} concurrent clients (requests spread over 1,024 client addresses, as behind a proxy), medians of ${o.rounds} rounds (the reference, then one process, then two) of ${o.seconds} s per transport, measured ${new Date().toISOString().slice(0, 10)}.

${markdownTable(rows)}

Ratio: against the bare transaction measured in the same run over the same transport — every statement a create-and-submit sends (the rate-limit counter, the session, two lock statements, 16 reads, 8 writes with the job's dispatch to graphile-worker and the audit chain, COMMIT: 28 statements), with the same locks and values copied from a real submission, one after another from node-pg on ${o.concurrency} connections (bench/lib/bare-submit-pg.ts); rows written per submission are the same on both paths. The second row of each group is that transaction under the exclusive writer lock every transaction took before (measured once). The CPU and lock columns are those of the median round. Submit to bare: ${ratioLine}. Non-201 answers: ${failures}. "Machine busy" counts every process on the machine; the CPU columns are per operation (client: this benchmark, which is the reference's node-pg or the HTTP load generator); open transactions and those waiting for a lock (advisory or row: the card, the idempotency key, the audit head) are sampled every 50 ms.`,
  );
} finally {
  await Promise.all(children.map((c) => c.kill("SIGTERM")));
  cluster.destroy();
  rmSync(dataDir, { recursive: true, force: true });
}
