/**
 * Applications: inserts, guarded transitions and the staff queue.
 */
import type { ApplicationStatus } from "../domain/states.js";
import type { DbOrTx } from "./connect.js";
import { PreparedByShape, prepared } from "./prepared.js";
import type { ApplicationPatch, ApplicationRow, NewApplication } from "./schema.js";

const byId = prepared<{ id: string }>()((db, a) =>
  db.selectFrom("applications").selectAll().where("id", "=", a.id),
);

export async function findApplication(db: DbOrTx, id: string): Promise<ApplicationRow | undefined> {
  return byId.first(db, { id });
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
  return openForCard.first(db, { cardId });
}

/** The read of `findOpenApplicationForCard`, to run with others (`together`). */
export const openApplicationRead = (cardId: string) => openForCard.with({ cardId });

const openForCard = prepared<{ cardId: string }>()((db, a) =>
  db
    .selectFrom("applications")
    .selectAll()
    .where("cardId", "=", a.cardId)
    .where("status", "not in", ["closed", "withdrawn", "rejected"]),
);

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
 * two concurrent inserts cannot both win. Returns false when a unique index refused it: that one,
 * or the application number's (already taken: the caller draws another).
 */
const insertIfNoneOpen = new PreparedByShape<Record<string, never>, unknown>((db, _a, row) =>
  db
    .insertInto("applications")
    .values(row as NewApplication)
    // Any unique index: the card's one open application, or (rarely) the number already taken.
    .onConflict((oc) => oc.doNothing()),
);

export async function insertApplicationIfNoneOpen(db: DbOrTx, row: NewApplication): Promise<boolean> {
  const r = await insertIfNoneOpen.execute(db, row as unknown as Record<string, unknown>, {});
  return Number(r.numAffectedRows ?? 0n) === 1;
}

const guardedTransition = new PreparedByShape<{ _id: string; _from: string }, ApplicationRow>((db, a, row) =>
  db
    .updateTable("applications")
    .set((eb) => ({ ...(row as ApplicationPatch), version: eb("version", "+", 1) }))
    .where("id", "=", a._id)
    .where("status", "=", a._from)
    .returningAll(),
);

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
  const r = await guardedTransition.execute(db, patch, { _id: id, _from: from });
  return r.rows[0] as ApplicationRow | undefined;
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
  /** How many match, counted up to a cap: past it `total` is the cap and `totalCapped` is true. */
  total: number;
  totalCapped: boolean;
}

/**
 * Counting every match costs a read per match (a second or more at a million applications), so
 * the total is counted up to this many ("10 000+"); a filter on the card's family pays a card read
 * per match and stops earlier.
 */
export const QUEUE_COUNT_CAP = 10_000;
export const QUEUE_COUNT_CAP_CARD_FILTER = 1_000;

const QUEUE_SORT_COLUMNS = {
  due_at: "a.dueAt",
  created_at: "a.createdAt",
  submitted_at: "a.submittedAt",
  updated_at: "a.updatedAt",
} as const;

/**
 * The staff queue: one page and its (capped) total. Each page is an ordered, limited read of an
 * index (0009_hot_path_indexes); several statuses are read one status at a time, each limited to
 * the page's end, and merged, so no read sorts every match. The card's columns are read for the
 * page's rows only; a filter on the card's family is a per-row probe of the card.
 */
export async function listQueue(
  db: DbOrTx,
  filter: QueueFilter,
  page: { limit: number; offset: number; sort: QueueSort; order: "asc" | "desc" },
): Promise<QueuePage> {
  const where = (statuses: ApplicationStatus[] | undefined) => {
    let q = db.selectFrom("applications as a");
    if (statuses?.length === 1) q = q.where("a.status", "=", statuses[0]!);
    else if (statuses?.length) q = q.where("a.status", "in", statuses);
    if (filter.family) {
      const family = filter.family;
      q = q.where(({ exists, selectFrom }) =>
        exists(
          selectFrom("cards as fc")
            .select("fc.id")
            .whereRef("fc.id", "=", "a.cardId")
            .where("fc.family", "=", family),
        ),
      );
    }
    if (filter.providerId) q = q.where("a.providerId", "=", filter.providerId);
    if (filter.channel) q = q.where("a.channel", "=", filter.channel);
    if (filter.branch) q = q.where("a.branch", "=", filter.branch);
    if (filter.dueBefore) q = q.where("a.dueAt", "<=", filter.dueBefore);
    if (filter.q) q = q.where("a.number", "=", filter.q.toUpperCase());
    return q;
  };
  const sortColumn = QUEUE_SORT_COLUMNS[page.sort];
  const statuses = filter.status?.length ? [...new Set(filter.status)] : undefined;
  const end = page.offset + page.limit;

  let items: QueuePage["items"];
  if (!statuses || statuses.length === 1 || filter.q) {
    items = await where(statuses)
      .innerJoin("cards as c", "c.id", "a.cardId")
      .selectAll("a")
      .select(["c.family as cardFamily", "c.kind as cardKind", "c.label as cardLabel"])
      .orderBy(sortColumn, page.order)
      .orderBy("a.id", "asc")
      .limit(page.limit)
      .offset(page.offset)
      .execute();
  } else {
    // One ordered read per status, each up to the page's end (of the index alone when it covers
    // the sort), merged and cut to the page; then the page's rows are read by id.
    const parts = statuses.map((st) =>
      db
        .selectFrom(
          where([st])
            .select(["a.id", `${sortColumn} as sortKey`])
            .orderBy(sortColumn, page.order)
            .orderBy("a.id", "asc")
            .limit(end)
            .as("p"),
        )
        .select(["p.id", "p.sortKey"]),
    );
    const merged = parts.slice(1).reduce((u, p) => u.unionAll(p), parts[0]!);
    const ids = (
      await db
        .selectFrom(merged.as("m"))
        .select("m.id")
        .orderBy("m.sortKey", page.order)
        .orderBy("m.id", "asc")
        .limit(page.limit)
        .offset(page.offset)
        .execute()
    ).map((r) => r.id);
    const rows =
      ids.length === 0
        ? []
        : await db
            .selectFrom("applications as a")
            .innerJoin("cards as c", "c.id", "a.cardId")
            .selectAll("a")
            .select(["c.family as cardFamily", "c.kind as cardKind", "c.label as cardLabel"])
            .where("a.id", "in", ids)
            .execute();
    const byId = new Map(rows.map((r) => [r.id, r]));
    items = ids.flatMap((id) => byId.get(id) ?? []);
  }

  const cap = filter.family ? QUEUE_COUNT_CAP_CARD_FILTER : QUEUE_COUNT_CAP;
  const counted = await db
    .selectFrom(
      where(statuses)
        .select("a.id")
        .limit(cap + 1)
        .as("x"),
    )
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();
  const n = Number(counted.n);
  return { items, total: Math.min(n, cap), totalCapped: n > cap };
}
