/**
 * Cards and what hangs off them: account money, lock-ins, bindings, dependants.
 */
import type { CardSnapshot, CardStatus } from "../domain/model.js";
import { OPEN_STATUSES } from "../domain/states.js";
import type { DbOrTx } from "./connect.js";
import { executeNamed, prepared, together } from "./prepared.js";
import type { AccountRow, ApplicationRow, CardRow, HolderRow, LockInRow } from "./schema.js";

// The reads every submission and status page make are prepared (src/db/prepared.ts).
const cardById = prepared<{ id: string }>()((db, a) =>
  db.selectFrom("cards").selectAll().where("id", "=", a.id),
);
const accountOf = prepared<{ cardId: string }>()((db, a) =>
  db.selectFrom("accounts").selectAll().where("cardId", "=", a.cardId),
);
const bindingsOf = prepared<{ cardId: string }>()((db, a) =>
  db.selectFrom("bindings").selectAll().where("cardId", "=", a.cardId).orderBy("category").orderBy("service"),
);
const lockInsOf = prepared<{ cardId: string }>()((db, a) =>
  db.selectFrom("lockIns").selectAll().where("cardId", "=", a.cardId),
);
const dependantsOf = prepared<{ cardId: string }>()((db, a) =>
  db.selectFrom("cards").select(["id", "relation", "label", "status"]).where("parentCardId", "=", a.cardId),
);
const applicationsOf = prepared<{ cardId: string }>()((db, a) =>
  db
    .selectFrom("applications")
    .select(["number", "status", "completedAt"])
    .where("cardId", "=", a.cardId)
    .where("status", "in", [...OPEN_STATUSES, "closed"]),
);

export async function findCard(db: DbOrTx, id: string): Promise<CardRow | undefined> {
  return cardById.first(db, { id });
}

export async function listCardsOfHolder(db: DbOrTx, holderId: string): Promise<CardRow[]> {
  return db
    .selectFrom("cards")
    .selectAll()
    .where("holderId", "=", holderId)
    .orderBy("providerId")
    .orderBy("createdAt")
    .execute();
}

export async function findAccount(db: DbOrTx, cardId: string): Promise<AccountRow | undefined> {
  return accountOf.first(db, { cardId });
}

export async function listBindings(db: DbOrTx, cardId: string) {
  return bindingsOf.all(db, { cardId });
}

export async function listLockIns(db: DbOrTx, cardId: string) {
  return lockInsOf.all(db, { cardId });
}

/** Guarded card status change: only from the status the caller saw. The card after it, or undefined when it was not in one of `from`. */
export async function setCardStatus(
  db: DbOrTx,
  id: string,
  from: CardStatus[],
  patch: { status: CardStatus } & Partial<
    Pick<CardRow, "numberStatus" | "quarantineUntil" | "cancelledAt" | "destroyedAt" | "destroyedHow">
  >,
  now: string,
): Promise<CardRow | undefined> {
  const update = db
    .updateTable("cards")
    .set({ ...patch, updatedAt: now })
    .where("id", "=", id)
    .where("status", "in", from)
    .returningAll();
  // Named on PostgreSQL: the text depends only on which fields change and how many statuses.
  return (await executeNamed(db, update.compile())).rows[0];
}

/** A card whose cancellation stopped (withdrawn, rejected) goes back into use. */
export async function returnCardToUse(db: DbOrTx, cardId: string, now: string): Promise<void> {
  await setCardStatus(db, cardId, ["pending_cancellation"], { status: "active" }, now);
}

/** The reads of a card's row and its bindings, to run with others (`together`). */
export const cardRead = (id: string) => cardById.with({ id });
export const bindingsRead = (cardId: string) => bindingsOf.with({ cardId });

/** The rows of a card that eligibility reads besides the card, its holder and its provider. */
export interface SnapshotRows {
  account: AccountRow | undefined;
  lockIns: LockInRow[];
  dependants: Array<Pick<CardRow, "id" | "relation" | "label" | "status">>;
  apps: Array<Pick<ApplicationRow, "number" | "status" | "completedAt">>;
}

/** Their four reads, to run together (`together`) and hand to `snapshotRows`. */
export function snapshotReads(cardId: string) {
  return [
    accountOf.with({ cardId }),
    lockInsOf.with({ cardId }),
    dependantsOf.with({ cardId }),
    applicationsOf.with({ cardId }),
  ] as const;
}

export function snapshotRows([accounts, lockIns, dependants, apps]: readonly [
  AccountRow[],
  LockInRow[],
  SnapshotRows["dependants"],
  SnapshotRows["apps"],
]): SnapshotRows {
  return { account: accounts[0], lockIns, dependants, apps };
}

/** Everything eligibility needs, read in one place so that every caller sees the same picture. */
export async function loadCardSnapshot(db: DbOrTx, card: CardRow, holder: HolderRow): Promise<CardSnapshot> {
  return cardSnapshot(card, holder, snapshotRows(await together(db, snapshotReads(card.id))));
}

export function cardSnapshot(card: CardRow, holder: HolderRow, rows: SnapshotRows): CardSnapshot {
  const { account, lockIns, dependants, apps } = rows;
  const open = apps.find(
    (a) => (OPEN_STATUSES as readonly string[]).includes(a.status) && a.status !== "completed",
  );
  const cancelling = apps.find((a) => a.status === "completed" || a.status === "closed");
  return {
    id: card.id,
    providerId: card.providerId,
    family: card.family as CardSnapshot["family"],
    kind: card.kind as CardSnapshot["kind"],
    status: card.status as CardStatus,
    realNameVerified: card.realNameVerified === 1,
    holder: { idType: holder.idType as CardSnapshot["holder"]["idType"], isMinor: holder.isMinor === 1 },
    money: {
      balanceFen: Number(account?.balanceFen ?? 0),
      giftedBalanceFen: Number(account?.giftedBalanceFen ?? 0),
      depositFen: Number(account?.depositFen ?? 0),
      arrearsFen: Number(account?.arrearsFen ?? 0),
      unbilledFen: Number(account?.unbilledFen ?? 0),
      debtFen: Number(account?.debtFen ?? 0),
      instalmentsFen: Number(account?.instalmentsFen ?? 0),
      overpaymentFen: Number(account?.overpaymentFen ?? 0),
      annualFeeDueFen: Number(account?.annualFeeDueFen ?? 0),
    },
    lockIns: lockIns.map((l) => ({
      kind: l.kind as CardSnapshot["lockIns"][number]["kind"],
      termEnd: l.termEnd,
      terminationFeeFen: Number(l.terminationFeeFen),
    })),
    dependants: dependants.map((d) => ({
      cardId: d.id,
      relation: (d.relation ?? "secondary") as "secondary" | "supplementary",
      label: d.label,
      status: d.status as CardStatus,
    })),
    parentCardId: card.parentCardId,
    bundle: card.bundle,
    groupName: card.groupName,
    familyPlan: card.familyPlan === 1,
    openApplicationNumber: open?.number ?? null,
    cancelledByApplicationNumber: card.status === "cancelled" ? (cancelling?.number ?? null) : null,
  };
}
