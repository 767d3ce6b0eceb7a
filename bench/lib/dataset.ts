/**
 * Benchmark datasets: the demo data (providers, rules, staff) loaded by the app itself, then
 * holders, cards, accounts and applications written straight into SQLite with prepared
 * statements in large transactions. Seeding runs with synchronous=OFF and foreign_keys=OFF on its
 * own connection only (the rows are generated consistent); the server opens the database with
 * its own settings (WAL, synchronous=FULL, foreign keys on) afterwards, as always.
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { loadConfig } from "../../src/config.js";
import { seedDemo } from "../../src/demo/seed.js";
import { openRuntime } from "../../src/runtime.js";

export const BENCH_STAFF_PASSWORDS = {
  admin: "bench-admin-password-1",
  supervisor: "bench-supervisor-password-1",
  agent: "bench-agent-password-1",
} as const;

export const PROVIDERS = {
  mobile: "prv_demo_mobile",
  bank: "prv_demo_bank",
  transit: "prv_demo_transit",
} as const;

/** Environment of a server on a benchmark dataset: no worker (API process), no simulator delay. */
export function benchEnv(dir: string, logLevel = "info"): Record<string, string> {
  return {
    ZHUXIAO_DATA_DIR: dir,
    LOG_LEVEL: logLevel,
    ZHUXIAO_WORKER: "false",
    ZHUXIAO_SIM_LATENCY_MS: "0",
  };
}

export interface DatasetSpec {
  dir: string;
  /** Cards in the population; the first `applications` of them have one application each. */
  cards: number;
  applications: number;
  /** Extra active bank debit cards with no application, for benchmarks that submit. */
  freshCards: number;
  log?: (line: string) => void;
}

export interface SeedReport {
  seconds: number;
  rows: { holders: number; cards: number; accounts: number; applications: number };
  rowsPerSecond: number;
  cardsPerSecond: number;
  databaseMB: number;
}

/** Id of the n-th card; fresh cards follow the population. */
export function cardId(n: number): string {
  return `card_b_${String(n).padStart(9, "0")}`;
}

export function applicationId(n: number): string {
  return `app_b_${String(n).padStart(9, "0")}`;
}

/** Application statuses per thousand, roughly a service a few years in: most cases closed. */
const STATUS_MIX: Array<[string, number]> = [
  ["closed", 700],
  ["withdrawn", 50],
  ["rejected", 30],
  ["completed", 30],
  ["draft", 30],
  ["submitted", 60],
  ["under_review", 40],
  ["needs_info", 10],
  ["approved", 10],
  ["processing", 30],
  ["failed", 10],
];
const STATUS_BY_MILLE: string[] = STATUS_MIX.flatMap(([s, n]) => Array.from({ length: n }, () => s));

export const BRANCHES = Array.from({ length: 20 }, (_, i) => `营业厅${String(i + 1).padStart(2, "0")}`);

const DAY = 86_400_000;
const BASE32 = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/** Deterministic pseudo-random numbers (mulberry32), so every run seeds the same data. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function applicationNumber(n: number, at: Date): string {
  let tail = "";
  for (let v = n, i = 0; i < 6; i++, v = Math.floor(v / 32)) tail = BASE32[v % 32] + tail;
  return `ZX${at.toISOString().slice(2, 10).replaceAll("-", "")}${tail}`;
}

function cardKind(n: number, fresh: boolean): { provider: string; family: string; kind: string } {
  if (fresh) return { provider: PROVIDERS.bank, family: "smartcard", kind: "bank_debit" };
  const r = n % 10;
  if (r <= 3) return { provider: PROVIDERS.mobile, family: "sim", kind: "physical" };
  if (r === 4) return { provider: PROVIDERS.mobile, family: "sim", kind: "esim" };
  if (r <= 6) return { provider: PROVIDERS.bank, family: "smartcard", kind: "bank_debit" };
  if (r === 7) return { provider: PROVIDERS.bank, family: "smartcard", kind: "bank_credit" };
  return { provider: PROVIDERS.transit, family: "smartcard", kind: "transit" };
}

export async function createDataset(spec: DatasetSpec): Promise<SeedReport> {
  const log = spec.log ?? (() => {});
  if (spec.applications > spec.cards) throw new Error("more applications than cards");
  rmSync(spec.dir, { recursive: true, force: true });
  mkdirSync(spec.dir, { recursive: true });
  const config = loadConfig({ ...benchEnv(spec.dir, "silent") });
  // The app creates the schema and the demo providers, rules and staff itself.
  const rt = await openRuntime(config, { startWorker: false });
  await seedDemo(rt.deps, { staffPasswords: { ...BENCH_STAFF_PASSWORDS } });
  const names = Array.from({ length: 64 }, (_, i) => rt.deps.vault.encrypt(`测试${i}`));
  const idNumbers = Array.from({ length: 64 }, (_, i) =>
    rt.deps.vault.encrypt(`11010519850312${String(i).padStart(4, "0")}`),
  );
  const cardNumbers = Array.from({ length: 64 }, (_, i) =>
    rt.deps.vault.encrypt(`62345610020834${String(i).padStart(5, "0")}`),
  );
  await rt.close();

  const file = join(spec.dir, "zhuxiao.db");
  const db = new BetterSqlite3(file);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = OFF");
  db.pragma("foreign_keys = OFF");
  db.pragma("cache_size = -1000000");
  const insertHolder = db.prepare(
    `insert into holders (id, name_enc, name_masked, id_type, id_number_enc, id_number_hash, id_number_masked,
       phone, real_name_verified, is_minor, preferred_language, created_at)
     values (?, ?, '测*', 'resident_id', ?, ?, '110105********0012', ?, 1, 0, 'zh-CN', ?)`,
  );
  const insertCard = db.prepare(
    `insert into cards (id, provider_id, holder_id, family, kind, network_generation, label, card_number_enc,
       card_number_hash, card_number_masked, iccid, msisdn, eid, status, number_status, real_name_verified,
       family_plan, cancelled_at, created_at, updated_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, null, ?, ?, 1, 0, ?, ?, ?)`,
  );
  const insertAccount = db.prepare(
    `insert into accounts (card_id, balance_fen, gifted_balance_fen, deposit_fen, arrears_fen, unbilled_fen,
       debt_fen, instalments_fen, overpayment_fen, annual_fee_due_fen, updated_at)
     values (?, 0, 0, 0, 0, 0, 0, 0, 0, 0, ?)`,
  );
  const insertApplication = db.prepare(
    `insert into applications (id, number, card_id, holder_id, provider_id, branch, status, channel, timing,
       requested_date, service_end_date, billing_end_date, backup_status, unbinding_json, proxy, closed_how,
       due_at, created_by_type, created_by_id, created_at, updated_at, submitted_at, decided_at, completed_at,
       closed_at, version)
     values (?, ?, ?, ?, ?, ?, ?, ?, 'immediate', ?, ?, ?, 'done', '[]', 0, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );

  const now = Date.now();
  const nowIso = new Date(now).toISOString();
  const random = rng(6);
  const total = spec.cards + spec.freshCards;
  const holders = Math.ceil(total / 5);
  const started = process.hrtime.bigint();
  const BATCH = 100_000;

  const holderBatch = db.transaction((from: number, to: number) => {
    const hashes = randomBytes(32 * (to - from));
    for (let h = from; h < to; h++) {
      const k = h - from;
      insertHolder.run(
        `hld_b_${String(h).padStart(8, "0")}`,
        names[h % 64],
        idNumbers[h % 64],
        hashes.subarray(32 * k, 32 * k + 32).toString("hex"),
        `139${String(h).padStart(8, "0")}`,
        nowIso,
      );
    }
  });
  for (let h = 0; h < holders; h += BATCH) holderBatch(h, Math.min(holders, h + BATCH));
  log(`  holders: ${holders}`);

  const cardBatch = db.transaction((from: number, to: number) => {
    const hashes = randomBytes(32 * (to - from));
    for (let n = from; n < to; n++) {
      const fresh = n >= spec.cards;
      const { provider, family, kind } = cardKind(n, fresh);
      const sim = family === "sim";
      const status = fresh || n >= spec.applications ? "active" : cardStatusFor(statusOf(n));
      const cancelled = status === "cancelled";
      insertCard.run(
        cardId(n),
        provider,
        `hld_b_${String(Math.floor(n / 5)).padStart(8, "0")}`,
        family,
        kind,
        sim ? "5G" : null,
        sim
          ? `号码 尾号${String(n % 10_000).padStart(4, "0")}`
          : `卡 尾号${String(n % 10_000).padStart(4, "0")}`,
        sim ? null : cardNumbers[n % 64],
        sim ? null : hashes.subarray(32 * (n - from), 32 * (n - from) + 32).toString("hex"),
        sim ? null : `6234 **** **** ${String(n % 10_000).padStart(4, "0")}`,
        sim ? `8986${String(n).padStart(16, "0")}` : null,
        sim ? `13${String(n).padStart(9, "0")}` : null,
        status,
        sim ? (cancelled ? "quarantined" : "in_service") : null,
        cancelled ? nowIso : null,
        nowIso,
        nowIso,
      );
      insertAccount.run(cardId(n), nowIso);
    }
  });
  for (let n = 0; n < total; n += BATCH) {
    cardBatch(n, Math.min(total, n + BATCH));
    if ((n / BATCH) % 10 === 9) log(`  cards: ${n + BATCH} (${rate(started, n + BATCH)} cards/s)`);
  }
  log(`  cards: ${total}`);

  const appBatch = db.transaction((from: number, to: number) => {
    for (let n = from; n < to; n++) {
      const status = statusOf(n);
      const created = new Date(now - Math.floor(random() * 730 * DAY));
      // Open cases are recent: what is still in the queue was mostly filed in the last weeks.
      if (!["closed", "withdrawn", "rejected", "completed"].includes(status)) {
        created.setTime(now - Math.floor(random() * 30 * DAY));
      }
      const submitted = status === "draft" ? null : new Date(created.getTime() + 60_000);
      const due = submitted ? new Date(submitted.getTime() + 7 * DAY).toISOString() : null;
      const decided = ["approved", "processing", "completed", "closed", "rejected", "failed"].includes(status)
        ? new Date(created.getTime() + 2 * DAY).toISOString()
        : null;
      const completed = ["completed", "closed"].includes(status)
        ? new Date(created.getTime() + 4 * DAY).toISOString()
        : null;
      const closed = status === "closed" ? new Date(created.getTime() + 6 * DAY).toISOString() : null;
      const channelDraw = random();
      const channel = channelDraw < 0.6 ? "online" : channelDraw < 0.9 ? "counter" : "api";
      const { provider } = cardKind(n, false);
      const day = (submitted ?? created).toISOString().slice(0, 10);
      insertApplication.run(
        applicationId(n),
        applicationNumber(n, created),
        cardId(n),
        `hld_b_${String(Math.floor(n / 5)).padStart(8, "0")}`,
        provider,
        channel === "counter" ? BRANCHES[n % BRANCHES.length] : null,
        status,
        channel,
        submitted ? day : null,
        submitted ? day : null,
        submitted ? day : null,
        closed ? "destroyed" : null,
        due,
        channel === "counter" ? "staff" : "holder",
        channel === "counter" ? "stf_bench" : `hld_b_${String(Math.floor(n / 5)).padStart(8, "0")}`,
        created.toISOString(),
        (closed ?? completed ?? decided ?? submitted?.toISOString() ?? created.toISOString()) as string,
        submitted?.toISOString() ?? null,
        decided,
        completed,
        closed,
        1,
      );
    }
  });
  for (let n = 0; n < spec.applications; n += BATCH) appBatch(n, Math.min(spec.applications, n + BATCH));
  log(`  applications: ${spec.applications}`);

  db.pragma("wal_checkpoint(TRUNCATE)");
  // Back to the settings every other connection uses; this one closes next anyway.
  db.pragma("synchronous = FULL");
  db.pragma("foreign_keys = ON");
  db.close();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const rows = { holders, cards: total, accounts: total, applications: spec.applications };
  const all = rows.holders + rows.cards + rows.accounts + rows.applications;
  const wal = `${file}-wal`;
  return {
    seconds,
    rows,
    rowsPerSecond: all / seconds,
    cardsPerSecond: total / seconds,
    databaseMB: (statSync(file).size + (existsSync(wal) ? statSync(wal).size : 0)) / 1e6,
  };
}

/** The status of the n-th application: spread evenly, the same on every run. */
export function statusOf(n: number): string {
  // A multiplicative hash scatters neighbouring cards over the mix.
  return STATUS_BY_MILLE[(Math.imul(n + 1, 2654435761) >>> 0) % 1000]!;
}

function cardStatusFor(appStatus: string): string {
  if (appStatus === "completed" || appStatus === "closed") return "cancelled";
  if (appStatus === "withdrawn" || appStatus === "rejected" || appStatus === "draft") return "active";
  return "pending_cancellation";
}

function rate(started: bigint, n: number): number {
  return Math.round(n / (Number(process.hrtime.bigint() - started) / 1e9));
}
