/**
 * The reference for submissions on PostgreSQL: the statements an HTTP create-and-submit sends
 * (traced from the server with log_statement = all: the rate-limit counter and the session read,
 * then in one READ COMMITTED transaction the advisory locks, 19 reads and writes, the idempotency
 * record, the audit head locked and the chain's writes as one statement, COMMIT: 28 in all), sent
 * from node-pg as named statements, one after another on one connection, with values shaped like
 * the server's (rows copied from a real submission). The server sends the same work in 27
 * statements (the job's insert and dispatch are one) and fewer round trips (it pipelines
 * independent statements); this sends each on its own, as a plain client would. No HTTP, no validation, no eligibility
 * rules, no hashing or signing: what the database and the round trips alone cost, and so the bound.
 */
import { randomBytes } from "node:crypto";
import type pg from "pg";
import { scopeLockId, WRITER_LOCK } from "../../src/db/postgres.js";
import { OPEN_STATUSES } from "../../src/domain/states.js";

type Row = Record<string, unknown>;

/** Tables a submission writes rows into; counted before and after to compare the two paths. */
export const WRITTEN_TABLES_PG = [
  "applications",
  "audit_events",
  "receipts",
  "jobs",
  "idempotency_records",
  "graphile_worker._private_jobs",
];

export async function countRowsPg(pool: pg.Pool): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of WRITTEN_TABLES_PG) {
    out[t] = (await pool.query<{ n: number }>(`select count(*)::int as n from ${t}`)).rows[0]!.n;
  }
  return out;
}

export interface PgTemplate {
  /** The application a real HTTP submission created (its rows are copied). */
  applicationId: string;
  /** The session token's hash and subject of the staff member who submitted it. */
  sessionTokenHash: string;
}

const APP_COLUMNS = [
  "backup_note",
  "backup_status",
  "balance_option",
  "batch_id",
  "batch_position",
  "billing_end_date",
  "branch",
  "card_disposition",
  "card_id",
  "channel",
  "closed_at",
  "closed_how",
  "completed_at",
  "created_at",
  "created_by_id",
  "created_by_type",
  "decided_at",
  "due_at",
  "eligibility_json",
  "failure_cause",
  "holder_id",
  "id",
  "info_request",
  "info_response",
  "number",
  "provider_id",
  "proxy",
  "reason",
  "reject_comment",
  "reject_reason",
  "requested_date",
  "service_end_date",
  "status",
  "submitted_at",
  "timing",
  "transfer_to",
  "unbinding_json",
  "updated_at",
  "version",
];
const EVENT_COLUMNS = [
  "seq",
  "id",
  "entity_type",
  "entity_id",
  "application_id",
  "action",
  "actor_type",
  "actor_id",
  "reason",
  "comment",
  "before_json",
  "after_json",
  "at",
  "prev_hash",
  "hash",
];
const RECEIPT_COLUMNS = ["id", "application_id", "kind", "jws", "kid", "created_at"];
const placeholders = (from: number, n: number) =>
  `(${Array.from({ length: n }, (_, i) => `$${from + i}`).join(", ")})`;
const quoted = (cols: string[]) => cols.map((c) => `"${c}"`).join(", ");

/** The server's statements, as it sends them (src/db/*-repository.ts, compiled by Kysely). */
const SQL = {
  rateLimit: `insert into "rate_limit_counters" ("key", "count", "reset_at") values ($1, $2, $3) on conflict ("key") do update set "count" = case when rate_limit_counters.reset_at <= $4 then 1 else rate_limit_counters.count + 1 end, "reset_at" = case when rate_limit_counters.reset_at <= $5 then excluded.reset_at else rate_limit_counters.reset_at end returning "count", "reset_at"`,
  session: `select "s"."subject_type", "s"."subject_id", "s"."csrf_token", "s"."expires_at", "st"."id" as "staff_id", "st"."role" as "staff_role", "st"."provider_id" as "staff_provider_id" from "sessions" as "s" left join "staff" as "st" on "st"."id" = "s"."subject_id" and "s"."subject_type" = $1 where "s"."token_hash" = $2`,
  lockScoped: "select pg_advisory_xact_lock_shared($1::bigint), pg_advisory_xact_lock($2::bigint)",
  lockWhole: "select pg_advisory_xact_lock($1::bigint)",
  idem: `select * from "idempotency_records" where "scope" = $1 and "key" = $2`,
  parent: `select "parent_card_id" from "cards" where "id" = $1`,
  lockFamily: "select pg_advisory_xact_lock($1::bigint)",
  card: `select * from "cards" where "id" = $1`,
  open: `select * from "applications" where "card_id" = $1 and "status" not in ($2, $3, $4)`,
  bindings: `select * from "bindings" where "card_id" = $1 order by "category", "service"`,
  branch: `select "branch" from "staff" where "id" = $1`,
  insertApp: `insert into "applications" (${quoted(APP_COLUMNS)}) values ${placeholders(1, APP_COLUMNS.length)} on conflict ("card_id") where "status" not in ('closed', 'withdrawn', 'rejected') do nothing`,
  app: `select * from "applications" where "id" = $1`,
  holder: `select * from "holders" where "id" = $1`,
  provider: `select * from "providers" where "id" = $1`,
  account: `select * from "accounts" where "card_id" = $1`,
  lockIns: `select * from "lock_ins" where "card_id" = $1`,
  dependants: `select "id", "relation", "label", "status" from "cards" where "parent_card_id" = $1`,
  cardApps: `select "number", "status", "completed_at" from "applications" where "card_id" = $1 and "status" in ($2, $3, $4, $5, $6, $7, $8, $9, $10)`,
  submit: `update "applications" set "billing_end_date" = $1, "channel" = $2, "due_at" = $3, "eligibility_json" = $4, "requested_date" = $5, "service_end_date" = $6, "status" = $7, "submitted_at" = $8, "updated_at" = $9, "version" = "version" + $10 where "id" = $11 and "status" = $12 returning *`,
  cardStatus: `update "cards" set "status" = $1, "updated_at" = $2 where "id" = $3 and "status" in ($4) returning *`,
  ledger: `select "kind", "amount_fen" from "ledger_entries" where "application_id" = $1`,
  insertJob: `insert into "jobs" ("task", "payload_json", "dedupe_key", "status", "attempts", "max_attempts", "run_at", "created_at", "updated_at") values ($1, $2, $3, $4, $5, $6, $7, $8, $9) on conflict ("dedupe_key") do nothing returning "id"`,
  dispatch: `select graphile_worker.add_job(
      $1::text,
      json_build_object('id', $2::bigint),
      run_at => now() + make_interval(secs => $3::float8),
      max_attempts => 25,
      job_key => $4::text
    )`,
  insertIdem: `insert into "idempotency_records" ("created_at", "key", "request_hash", "response_body", "response_status", "scope") values ($1, $2, $3, $4, $5, $6)`,
  head: `select "seq", "hash" from "audit_head" where "id" = $1 for update`,
  chain: `with w0 as (insert into "audit_events" (${quoted(EVENT_COLUMNS)}) values ${placeholders(1, 15)}, ${placeholders(16, 15)}), w1 as (insert into "receipts" (${quoted(RECEIPT_COLUMNS)}) values ${placeholders(31, 6)} on conflict ("application_id", "kind") do nothing) update "audit_head" set "seq" = $37, "hash" = $38 where "id" = $39 and "seq" = $40`,
};

export async function openBarePgSubmitter(pool: pg.Pool, t: PgTemplate) {
  const one = async (text: string, values: unknown[]) => (await pool.query(text, values)).rows[0] as Row;
  const app = await one(`select * from applications where id = $1`, [t.applicationId]);
  const events = (
    await pool.query(`select * from audit_events where application_id = $1 order by seq`, [t.applicationId])
  ).rows as Row[];
  const receipt = await one(`select * from receipts where application_id = $1`, [t.applicationId]);
  const job = await one(`select * from jobs where payload_json like $1 order by id limit 1`, [
    `%${t.applicationId}%`,
  ]);
  const session = await one(`select * from sessions where token_hash = $1`, [t.sessionTokenHash]);
  const idem = await one(`select * from idempotency_records where response_body like $1`, [
    `%${t.applicationId}%`,
  ]);
  if (!app || events.length !== 2 || !receipt || !job || !session || !idem) {
    throw new Error("the template submission is incomplete: run one HTTP submission first");
  }
  const staffId = session.subject_id as string;

  /**
   * One submission for `cardId` from client number `client` (its address's rate-limit counter),
   * as the server sends it; `whole`: under the exclusive writer lock instead of the scoped locks.
   */
  async function submitCard(cardId: string, client: number, whole = false): Promise<void> {
    const c = await pool.connect();
    const q = async (name: keyof typeof SQL, values: unknown[]) =>
      (await c.query({ name, text: SQL[name], values })).rows as Row[];
    const now = new Date().toISOString();
    const key = `bare-${randomBytes(8).toString("hex")}`;
    const id = `app_${randomBytes(16).toString("hex")}`;
    try {
      const ms = Date.now();
      await q("rateLimit", [`global|10.9.${(client >> 8) & 3}.${client & 255}`, 1, ms + 60_000, ms, ms]);
      await q("session", ["staff", session.token_hash]);
      await c.query("start transaction isolation level read committed");
      if (whole) await q("lockWhole", [String(WRITER_LOCK)]);
      else
        await q("lockScoped", [
          String(WRITER_LOCK),
          scopeLockId(`idempotency:${idem.scope}:${key}`).toString(),
        ]);
      await q("idem", [idem.scope, key]);
      if (!whole) {
        const parent = (await q("parent", [cardId]))[0]?.parent_card_id;
        if (parent) throw new Error(`card ${cardId} has a parent: the reference takes cards without one`);
        await q("lockFamily", [scopeLockId(`card:${cardId}`).toString()]);
      }
      const card = (await q("card", [cardId]))[0]!;
      await q("open", [cardId, "closed", "withdrawn", "rejected"]);
      await q("bindings", [cardId]);
      await q("branch", [staffId]);
      const draft: Row = {
        ...app,
        id,
        number: `ZB${randomBytes(6).toString("hex").toUpperCase()}`,
        card_id: cardId,
        holder_id: card.holder_id,
        provider_id: card.provider_id,
        status: "draft",
        version: 1,
        eligibility_json: null,
        requested_date: null,
        service_end_date: null,
        billing_end_date: null,
        submitted_at: null,
        due_at: null,
        created_at: now,
        updated_at: now,
      };
      const inserted = await c.query({
        name: "insertApp",
        text: SQL.insertApp,
        values: APP_COLUMNS.map((col) => draft[col]),
      });
      if (inserted.rowCount !== 1) throw new Error(`card ${cardId} already has an open application`);
      await q("app", [id]);
      await q("holder", [card.holder_id]);
      await q("provider", [card.provider_id]);
      await q("account", [cardId]);
      await q("lockIns", [cardId]);
      await q("dependants", [cardId]);
      await q("cardApps", [cardId, ...OPEN_STATUSES, "closed"]);
      const submitted = await q("submit", [
        app.billing_end_date,
        app.channel,
        app.due_at,
        app.eligibility_json,
        app.requested_date,
        app.service_end_date,
        "submitted",
        now,
        now,
        1,
        id,
        "draft",
      ]);
      if (submitted.length !== 1) throw new Error("guarded submit did not apply");
      if ((await q("cardStatus", ["pending_cancellation", now, cardId, "active"])).length !== 1)
        throw new Error(`card ${cardId} was not active`);
      await q("ledger", [id]);
      const jobId = (
        await q("insertJob", [
          job.task,
          job.payload_json,
          `bare:${id}:submitted`,
          "pending",
          0,
          job.max_attempts,
          now,
          now,
          now,
        ])
      )[0]!.id;
      await q("dispatch", ["zhuxiao_job", jobId, 0, `zhuxiao:${jobId}`]);
      await q("insertIdem", [
        now,
        key,
        idem.request_hash,
        idem.response_body,
        idem.response_status,
        idem.scope,
      ]);
      const head = (await q("head", [1]))[0] as { seq: number | string; hash: string };
      const seq = Number(head.seq);
      const hash1 = randomBytes(32).toString("hex");
      const hash2 = randomBytes(32).toString("hex");
      const event = (e: Row, s: number, prev: string, hash: string) =>
        EVENT_COLUMNS.map((col) =>
          col === "seq"
            ? s
            : col === "id"
              ? `evt_${randomBytes(16).toString("hex")}`
              : col === "entity_id" || col === "application_id"
                ? id
                : col === "at"
                  ? now
                  : col === "prev_hash"
                    ? prev
                    : col === "hash"
                      ? hash
                      : e[col],
        );
      const receiptValues = RECEIPT_COLUMNS.map((col) =>
        col === "id"
          ? `rcp_${randomBytes(16).toString("hex")}`
          : col === "application_id"
            ? id
            : col === "created_at"
              ? now
              : receipt[col],
      );
      const chained = await c.query({
        name: "chain",
        text: SQL.chain,
        values: [
          ...event(events[0]!, seq + 1, head.hash, hash1),
          ...event(events[1]!, seq + 2, hash1, hash2),
          ...receiptValues,
          seq + 2,
          hash2,
          1,
          seq,
        ],
      });
      if (chained.rowCount !== 1) throw new Error("audit head moved");
      await c.query("commit");
    } catch (err) {
      await c.query("rollback").catch(() => {});
      throw err;
    } finally {
      c.release();
    }
  }

  return { submitCard };
}
