/**
 * What would make the queue fast: candidate indexes and query shapes, timed on the benchmark's
 * own database against the statements listQueue runs today. Evidence for a proposed change to
 * src/db (not made here): the indexes are created on the benchmark copy and dropped again.
 */
import BetterSqlite3 from "better-sqlite3";
import { PROVIDERS } from "./dataset.js";
import { explain } from "./queue-measure.js";

const SELECT = `select "a".*, "c"."family" as "card_family", "c"."kind" as "card_kind", "c"."label" as "card_label" from "applications" as "a" inner join "cards" as "c" on "c"."id" = "a"."card_id"`;
const JOIN_COUNT = `select count(*) as "n" from "applications" as "a" inner join "cards" as "c" on "c"."id" = "a"."card_id"`;
const OPEN = ["submitted", "under_review", "needs_info"];

export const PROPOSED_INDEXES = {
  applications_due: `create index applications_due on applications (due_at, id)`,
  applications_created: `create index applications_created on applications (created_at desc, id)`,
  applications_status_due: `create index applications_status_due on applications (status, due_at, id)`,
  applications_provider_queue: `create index applications_provider_queue on applications (provider_id, status, due_at, id)`,
};

export interface Proposal {
  case: string;
  change: string;
  todayMs: number;
  proposedMs: number;
  plan: string[];
}

/** One page per status, each read in index order and stopped early, merged: no sort of every match. */
function unionPage(statuses: string[], offset: number): string {
  const parts = statuses.map(
    () =>
      `select * from (${SELECT} where "a"."status" = ? order by "a"."due_at", "a"."id" limit ${offset + 50})`,
  );
  return `select * from (${parts.join(" union all ")}) order by "due_at", "id" limit 50 offset ${offset}`;
}

export function evaluateProposals(file: string): {
  indexSeconds: Record<string, number>;
  proposals: Proposal[];
} {
  const db = new BetterSqlite3(file);
  const t = (sql: string, p: unknown[] = []) => explain(db, sql, p);
  const today = {
    openCount: t(`${JOIN_COUNT} where "a"."status" in (?, ?, ?)`, OPEN),
    allCount: t(JOIN_COUNT),
    providerCount: t(`${JOIN_COUNT} where "a"."status" in (?) and "a"."provider_id" = ?`, [
      "submitted",
      PROVIDERS.bank,
    ]),
    allPage: t(`${SELECT} order by "a"."due_at" asc, "a"."id" asc limit 50 offset 0`),
    newestPage: t(`${SELECT} order by "a"."created_at" desc, "a"."id" asc limit 50 offset 0`),
    openPage: t(
      `${SELECT} where "a"."status" in (?, ?, ?) order by "a"."due_at" asc, "a"."id" asc limit 50 offset 0`,
      OPEN,
    ),
    openPage21: t(
      `${SELECT} where "a"."status" in (?, ?, ?) order by "a"."due_at" asc, "a"."id" asc limit 50 offset 1000`,
      OPEN,
    ),
    simCount: t(`${JOIN_COUNT} where "a"."status" in (?) and "c"."family" = ?`, ["submitted", "sim"]),
  };
  const indexSeconds: Record<string, number> = {};
  for (const [name, sql] of Object.entries(PROPOSED_INDEXES)) {
    const t0 = process.hrtime.bigint();
    db.exec(sql);
    indexSeconds[name] = Number(process.hrtime.bigint() - t0) / 1e9;
  }
  const row = (
    c: string,
    change: string,
    before: { medianMs: number },
    after: ReturnType<typeof t>,
  ): Proposal => ({
    case: c,
    change,
    todayMs: before.medianMs,
    proposedMs: after.medianMs,
    plan: after.plan,
  });
  const proposals = [
    row(
      "total of open work (3 statuses)",
      "count without the cards join when no card column is filtered",
      today.openCount,
      t(`select count(*) as "n" from "applications" as "a" where "a"."status" in (?, ?, ?)`, OPEN),
    ),
    row(
      "total of everything",
      "count capped at 10 000 (shown as “10 000+”), no join",
      today.allCount,
      t(`select count(*) as "n" from (select 1 from "applications" as "a" limit 10000)`),
    ),
    row(
      "total of one provider's submitted",
      "index (provider_id, status, due_at, id); no join",
      today.providerCount,
      t(
        `select count(*) as "n" from "applications" as "a" where "a"."status" in (?) and "a"."provider_id" = ?`,
        ["submitted", PROVIDERS.bank],
      ),
    ),
    row(
      "total of submitted SIM cards",
      "count capped at 1 000 (the family is on the card: each match costs a card read; storing the family on the application, which never changes, would take the join away)",
      today.simCount,
      t(
        `select count(*) as "n" from (select 1 ${JOIN_COUNT.slice(JOIN_COUNT.indexOf("from"))} where "a"."status" in (?) and "c"."family" = ? limit 1000)`,
        ["submitted", "sim"],
      ),
    ),
    row(
      "page of everything by due date",
      "index (due_at, id)",
      today.allPage,
      t(`${SELECT} order by "a"."due_at" asc, "a"."id" asc limit 50 offset 0`),
    ),
    row(
      "page of everything, newest first",
      "index (created_at desc, id)",
      today.newestPage,
      t(`${SELECT} order by "a"."created_at" desc, "a"."id" asc limit 50 offset 0`),
    ),
    row(
      "page of open work (3 statuses) by due date",
      "index (status, due_at, id); one ordered, limited read per status, merged (UNION ALL)",
      today.openPage,
      t(unionPage(OPEN, 0), OPEN),
    ),
    row("same, page 21 (offset 1000)", "same", today.openPage21, t(unionPage(OPEN, 1000), OPEN)),
  ];
  for (const name of Object.keys(PROPOSED_INDEXES)) db.exec(`drop index ${name}`);
  db.close();
  return { indexSeconds, proposals };
}
