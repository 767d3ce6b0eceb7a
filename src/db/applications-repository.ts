/**
 * Applications: inserts, guarded transitions and the staff queue.
 */
import { sql } from "kysely";
import type { ApplicationStatus } from "../domain/states.js";
import type { DbOrTx } from "./connect.js";
import type { ApplicationPatch, ApplicationRow, NewApplication } from "./schema.js";

export async function findApplication(db: DbOrTx, id: string): Promise<ApplicationRow | undefined> {
  return db.selectFrom("applications").selectAll().where("id", "=", id).executeTakeFirst();
}

export async function findApplicationByNumber(
  db: DbOrTx,
  number: string,
): Promise<ApplicationRow | undefined> {
  return db.selectFrom("applications").selectAll().where("number", "=", number).executeTakeFirst();
}

export async function findOpenApplicationForCard(
  db: DbOrTx,
  cardId: string,
): Promise<ApplicationRow | undefined> {
  return db
    .selectFrom("applications")
    .selectAll()
    .where("cardId", "=", cardId)
    .where("status", "not in", ["closed", "withdrawn", "rejected"])
    .executeTakeFirst();
}

/** The application that cancelled the card (completed, or closed after completion). */
export async function findCancellingApplication(
  db: DbOrTx,
  cardId: string,
): Promise<ApplicationRow | undefined> {
  return db
    .selectFrom("applications")
    .selectAll()
    .where("cardId", "=", cardId)
    .where("status", "in", ["completed", "closed"])
    .orderBy("completedAt", "desc")
    .executeTakeFirst();
}

/**
 * Inserts unless the card already has an open application; the partial unique index decides, so
 * two concurrent inserts cannot both win. Returns false when the index refused it.
 */
export async function insertApplicationIfNoneOpen(db: DbOrTx, row: NewApplication): Promise<boolean> {
  const r = await db
    .insertInto("applications")
    .values(row)
    .onConflict((oc) =>
      oc
        .column("cardId")
        .where(sql.ref("status"), "not in", sql`('closed', 'withdrawn', 'rejected')`)
        .doNothing(),
    )
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0n) === 1;
}

/**
 * The guarded transition: `UPDATE … WHERE id = ? AND status = <expected>`. Returns the row after
 * the update, or undefined when the application was not in the expected state any more.
 */
export async function transitionApplication(
  db: DbOrTx,
  id: string,
  from: ApplicationStatus,
  patch: ApplicationPatch & { status: ApplicationStatus; updatedAt: string },
): Promise<ApplicationRow | undefined> {
  const r = await db
    .updateTable("applications")
    .set((eb) => ({ ...patch, version: eb("version", "+", 1) }))
    .where("id", "=", id)
    .where("status", "=", from)
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) !== 1) return undefined;
  return findApplication(db, id);
}

/** Patches a draft in place (still guarded on the draft status). */
export async function updateDraft(
  db: DbOrTx,
  id: string,
  patch: ApplicationPatch & { updatedAt: string },
): Promise<boolean> {
  const r = await db
    .updateTable("applications")
    .set((eb) => ({ ...patch, version: eb("version", "+", 1) }))
    .where("id", "=", id)
    .where("status", "=", "draft")
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function listApplicationsOfHolder(db: DbOrTx, holderId: string): Promise<ApplicationRow[]> {
  return db
    .selectFrom("applications")
    .selectAll()
    .where("holderId", "=", holderId)
    .orderBy("createdAt", "desc")
    .execute();
}

export interface QueueFilter {
  status?: ApplicationStatus[];
  family?: string;
  providerId?: string;
  channel?: string;
  branch?: string;
  dueBefore?: string;
  q?: string;
}

export const QUEUE_SORTS = ["due_at", "created_at", "submitted_at", "updated_at"] as const;
export type QueueSort = (typeof QUEUE_SORTS)[number];

export interface QueuePage {
  items: Array<ApplicationRow & { cardFamily: string; cardKind: string; cardLabel: string }>;
  total: number;
}

export async function listQueue(
  db: DbOrTx,
  filter: QueueFilter,
  page: { limit: number; offset: number; sort: QueueSort; order: "asc" | "desc" },
): Promise<QueuePage> {
  let q = db.selectFrom("applications as a").innerJoin("cards as c", "c.id", "a.cardId");
  if (filter.status?.length) q = q.where("a.status", "in", filter.status);
  if (filter.family) q = q.where("c.family", "=", filter.family);
  if (filter.providerId) q = q.where("a.providerId", "=", filter.providerId);
  if (filter.channel) q = q.where("a.channel", "=", filter.channel);
  if (filter.branch) q = q.where("a.branch", "=", filter.branch);
  if (filter.dueBefore) q = q.where("a.dueAt", "<=", filter.dueBefore);
  if (filter.q) q = q.where("a.number", "=", filter.q.toUpperCase());
  const sortColumn = (
    {
      due_at: "a.dueAt",
      created_at: "a.createdAt",
      submitted_at: "a.submittedAt",
      updated_at: "a.updatedAt",
    } as const
  )[page.sort];
  const [items, total] = await Promise.all([
    q
      .selectAll("a")
      .select(["c.family as cardFamily", "c.kind as cardKind", "c.label as cardLabel"])
      .orderBy(sortColumn, page.order)
      .orderBy("a.id", "asc")
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
    q.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(total.n) };
}
