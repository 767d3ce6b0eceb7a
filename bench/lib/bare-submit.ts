/**
 * The reference for submissions: the same statements an HTTP create-and-submit executes (traced
 * from the server: 1 read to authenticate, then in one BEGIN IMMEDIATE transaction 27 reads and
 * 10 writes), run straight through better-sqlite3 on a connection with the server's settings, with
 * values shaped like the server's (rows copied from a real submission). No HTTP, no validation,
 * no eligibility rules, no signing: what the database alone costs, and so the bound.
 */
import { randomBytes } from "node:crypto";
import BetterSqlite3 from "better-sqlite3";
import { OPEN_STATUSES } from "../../src/domain/states.js";
import { cardId } from "./dataset.js";

type Row = Record<string, unknown>;

export interface Template {
  token: string;
  applicationId: string;
  idempotencyScope: string;
  idempotencyKey: string;
}

/** Tables a submission writes rows into; counted before and after to compare the two paths. */
export const WRITTEN_TABLES = ["applications", "audit_events", "receipts", "jobs", "idempotency_records"];

export function countRows(file: string): Record<string, number> {
  const db = new BetterSqlite3(file, { readonly: true });
  try {
    return Object.fromEntries(
      WRITTEN_TABLES.map((t) => [t, (db.prepare(`select count(*) as n from ${t}`).get() as { n: number }).n]),
    );
  } finally {
    db.close();
  }
}

/** A prepared insert of rows shaped like `template`; each call overrides some of its values. */
function inserter(db: BetterSqlite3.Database, table: string, template: Row, conflict = "") {
  const cols = Object.keys(template);
  const stmt = db.prepare(
    `insert into "${table}" (${cols.map((c) => `"${c}"`).join(", ")}) values (${cols.map(() => "?").join(", ")})${conflict}`,
  );
  return (overrides: Row) => stmt.run(cols.map((c) => (c in overrides ? overrides[c] : template[c])));
}

export function openBareSubmitter(file: string, t: Template) {
  const db = new BetterSqlite3(file);
  // The server's connection settings (src/db/connect.ts).
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = FULL");
  db.pragma("foreign_keys = ON");
  db.pragma("busy_timeout = 5000");
  db.pragma("cache_size = -4096"); // ZHUXIAO_SQLITE_CACHE_MB's default

  const one = (sql: string, ...p: unknown[]) => db.prepare(sql).get(...p) as Row;
  const session = one(`select * from "sessions" limit 1`);
  const app = one(`select * from "applications" where "id" = ?`, t.applicationId);
  const events = db
    .prepare(`select * from "audit_events" where "application_id" = ? order by "seq"`)
    .all(t.applicationId) as Row[];
  const receipt = one(`select * from "receipts" where "application_id" = ?`, t.applicationId);
  const job = one(
    `select * from "jobs" where "payload_json" like ? order by "id" limit 1`,
    `%${t.applicationId}%`,
  );
  const idem = one(
    `select * from "idempotency_records" where "scope" = ? and "key" = ?`,
    t.idempotencyScope,
    t.idempotencyKey,
  );
  if (!app || events.length !== 2 || !receipt || !job || !idem) {
    throw new Error("the template submission is incomplete: run one HTTP submission first");
  }
  const draft: Row = { ...app, status: "draft", version: 1 };
  for (const k of [
    "eligibility_json",
    "requested_date",
    "service_end_date",
    "billing_end_date",
    "submitted_at",
    "due_at",
  ])
    draft[k] = null;
  const { id: _jobId, ...jobCols } = job;

  const stmt = (sql: string) => db.prepare(sql);
  const s = {
    begin: stmt("begin immediate"),
    commit: stmt("commit"),
    session: stmt(
      `select "s"."subject_type", "s"."subject_id", "s"."csrf_token", "s"."expires_at", "st"."id" as "staff_id", "st"."role" as "staff_role", "st"."provider_id" as "staff_provider_id" from "sessions" as "s" left join "staff" as "st" on "st"."id" = "s"."subject_id" and "s"."subject_type" = ? where "s"."token_hash" = ?`,
    ),
    idem: stmt(`select * from "idempotency_records" where "scope" = ? and "key" = ?`),
    card: stmt(`select * from "cards" where "id" = ?`),
    open: stmt(`select * from "applications" where "card_id" = ? and "status" not in (?, ?, ?)`),
    bindings: stmt(`select * from "bindings" where "card_id" = ? order by "category", "service"`),
    branch: stmt(`select "branch" from "staff" where "id" = ?`),
    insertApp: inserter(
      db,
      "applications",
      draft,
      ` on conflict ("card_id") where "status" not in ('closed', 'withdrawn', 'rejected') do nothing`,
    ),
    head: stmt(`select "seq", "hash" from "audit_head" where "id" = ?`),
    moveHead: stmt(`update "audit_head" set "seq" = ?, "hash" = ? where "id" = ? and "seq" = ?`),
    insertEvent: inserter(db, "audit_events", events[0]!),
    app: stmt(`select * from "applications" where "id" = ?`),
    holder: stmt(`select * from "holders" where "id" = ?`),
    provider: stmt(`select * from "providers" where "id" = ?`),
    account: stmt(`select * from "accounts" where "card_id" = ?`),
    lockIns: stmt(`select * from "lock_ins" where "card_id" = ?`),
    dependants: stmt(`select "id", "relation", "label", "status" from "cards" where "parent_card_id" = ?`),
    cardApps: stmt(
      `select "number", "status", "completed_at" from "applications" where "card_id" = ? and "status" in (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    submit: stmt(
      `update "applications" set "channel" = ?, "eligibility_json" = ?, "requested_date" = ?, "service_end_date" = ?, "billing_end_date" = ?, "submitted_at" = ?, "due_at" = ?, "status" = ?, "updated_at" = ?, "version" = "version" + ? where "id" = ? and "status" = ?`,
    ),
    cardStatus: stmt(`update "cards" set "status" = ?, "updated_at" = ? where "id" = ? and "status" in (?)`),
    ledger: stmt(`select "kind", "amount_fen" from "ledger_entries" where "application_id" = ?`),
    insertReceipt: inserter(db, "receipts", receipt, ` on conflict ("application_id", "kind") do nothing`),
    receipt: stmt(`select * from "receipts" where "application_id" = ? and "kind" = ?`),
    insertJob: inserter(db, "jobs", jobCols, ` on conflict ("dedupe_key") do nothing`),
    insertIdem: inserter(db, "idempotency_records", idem),
  };
  const tokenHash = session.token_hash;
  const staffId = session.subject_id;

  function appendEvent(id: string, action: string, at: string): void {
    const head = s.head.get(1) as { seq: number; hash: string };
    const hash = randomBytes(32).toString("hex");
    const moved = s.moveHead.run(head.seq + 1, hash, 1, head.seq);
    if (moved.changes !== 1) throw new Error("audit head moved");
    s.insertEvent({
      seq: head.seq + 1,
      id: `evt_${randomBytes(16).toString("hex")}`,
      entity_id: id,
      application_id: id,
      action,
      at,
      prev_hash: head.hash,
      hash,
    });
  }

  /** One submission for the n-th card, as the server does it. */
  function submitCard(n: number): void {
    const now = new Date().toISOString();
    const key = `bare-${n}-${randomBytes(4).toString("hex")}`;
    s.session.get("staff", tokenHash);
    s.begin.run();
    try {
      s.idem.get(t.idempotencyScope, key);
      const card = s.card.get(cardId(n)) as Row;
      s.open.get(card.id, "closed", "withdrawn", "rejected");
      s.bindings.all(card.id);
      s.branch.get(staffId);
      const id = `app_${randomBytes(16).toString("hex")}`;
      const inserted = s.insertApp({
        id,
        number: `ZB${randomBytes(6).toString("hex").toUpperCase()}`,
        card_id: card.id,
        holder_id: card.holder_id,
        provider_id: card.provider_id,
        created_at: now,
        updated_at: now,
      });
      if (inserted.changes !== 1) throw new Error(`card ${card.id} already has an open application`);
      appendEvent(id, "application.create", now);
      s.app.get(id);
      s.card.get(card.id);
      s.holder.get(card.holder_id);
      s.provider.get(card.provider_id);
      s.account.get(card.id);
      s.lockIns.all(card.id);
      s.dependants.all(card.id);
      s.cardApps.all(card.id, ...OPEN_STATUSES, "closed");
      const submitted = s.submit.run(
        app.channel,
        app.eligibility_json,
        app.requested_date,
        app.service_end_date,
        app.billing_end_date,
        now,
        app.due_at,
        "submitted",
        now,
        1,
        id,
        "draft",
      );
      if (submitted.changes !== 1) throw new Error("guarded submit did not apply");
      s.app.get(id);
      if (s.cardStatus.run("pending_cancellation", now, card.id, "active").changes !== 1)
        throw new Error(`card ${card.id} was not active`);
      s.card.get(card.id);
      s.holder.get(card.holder_id);
      s.provider.get(card.provider_id);
      s.ledger.all(id);
      s.head.get(1);
      s.insertReceipt({ id: `rcp_${randomBytes(16).toString("hex")}`, application_id: id, created_at: now });
      s.receipt.get(id, "receipt");
      appendEvent(id, "application.submit", now);
      s.holder.get(card.holder_id);
      s.card.get(card.id);
      s.provider.get(card.provider_id);
      s.insertJob({ dedupe_key: `bare:${id}:submitted`, created_at: now, updated_at: now, run_at: now });
      s.insertIdem({ key, created_at: now });
      s.commit.run();
    } catch (err) {
      if (db.inTransaction) db.prepare("rollback").run();
      throw err;
    }
  }

  return { submitCard, close: () => db.close() };
}
