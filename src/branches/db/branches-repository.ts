/**
 * The branches capability's SQL: branches, slots, appointments, visits and the hourly load. Runs
 * on SQLite and PostgreSQL alike; every state change is a guarded UPDATE whose WHERE carries the
 * expected state, and the caller learns from the affected-row count whether it won.
 */
import type { DbOrTx } from "../../db/connect.js";
import type {
  AppointmentRow,
  AppointmentsTable,
  BranchHourlyLoadTable,
  BranchRow,
  BranchVisitRow,
} from "../../db/schema.js";
import type { LoadCell } from "../domain/demand.js";

export async function listBranchRows(db: DbOrTx, providerId?: string): Promise<BranchRow[]> {
  let q = db.selectFrom("branches").selectAll();
  if (providerId) q = q.where("providerId", "=", providerId);
  return q.orderBy("providerId").orderBy("code").execute();
}

export async function findBranchRow(db: DbOrTx, id: string): Promise<BranchRow | undefined> {
  return db.selectFrom("branches").selectAll().where("id", "=", id).executeTakeFirst();
}

/**
 * The hourly load of some branches since `fromDate`, summed per (weekday profile, hour, month-end)
 * — holidays left out — and each branch's first observed date: all the model needs, in one query
 * whose answer is a few hundred rows however long the history.
 */
export async function loadSummary(
  db: DbOrTx,
  branchIds: readonly string[],
  fromDate: string,
  toDate: string,
): Promise<Map<string, { cells: LoadCell[]; firstDate: string | null }>> {
  const out = new Map<string, { cells: LoadCell[]; firstDate: string | null }>();
  for (const id of branchIds) out.set(id, { cells: [], firstDate: null });
  if (branchIds.length === 0) return out;
  const rows = await db
    .selectFrom("branchHourlyLoad")
    .select((eb) => [
      "branchId",
      "profileWeekday",
      "hour",
      "monthEnd",
      eb.fn.sum<number>("arrivals").as("arrivals"),
      eb.fn.sum<number>("serviceSeconds").as("serviceSeconds"),
      eb.fn.sum<number>("serviceCount").as("serviceCount"),
      eb.fn.sum<number>("waitSeconds").as("waitSeconds"),
      eb.fn.sum<number>("waitCount").as("waitCount"),
      eb.fn.min<string>("localDate").as("firstDate"),
    ])
    .where("branchId", "in", branchIds)
    .where("localDate", ">=", fromDate)
    .where("localDate", "<", toDate)
    .where("holiday", "=", 0)
    .groupBy(["branchId", "profileWeekday", "hour", "monthEnd"])
    .execute();
  for (const r of rows) {
    const entry = out.get(r.branchId)!;
    entry.cells.push({
      profileWeekday: Number(r.profileWeekday),
      hour: Number(r.hour),
      monthEnd: Number(r.monthEnd) === 1,
      arrivals: Number(r.arrivals),
      serviceSeconds: Number(r.serviceSeconds),
      serviceCount: Number(r.serviceCount),
      waitSeconds: Number(r.waitSeconds),
      waitCount: Number(r.waitCount),
    });
    if (entry.firstDate === null || r.firstDate < entry.firstDate) entry.firstDate = r.firstDate;
  }
  return out;
}

/** Slots holding bookings in [fromIso, toIso) for some branches. */
export async function bookedSlots(
  db: DbOrTx,
  branchIds: readonly string[],
  fromIso: string,
  toIso: string,
): Promise<Array<{ branchId: string; startAt: string; capacity: number; booked: number }>> {
  if (branchIds.length === 0) return [];
  return db
    .selectFrom("branchSlots")
    .select(["branchId", "startAt", "capacity", "booked"])
    .where("branchId", "in", branchIds)
    .where("startAt", ">=", fromIso)
    .where("startAt", "<", toIso)
    .execute();
}

/** Creates the slot row if it is not there yet (a no-op when another booking made it first). */
export async function ensureSlot(
  db: DbOrTx,
  slot: { branchId: string; startAt: string; endAt: string; capacity: number },
): Promise<void> {
  await db
    .insertInto("branchSlots")
    .values({ ...slot, booked: 0 })
    .onConflict((oc) => oc.columns(["branchId", "startAt"]).doNothing())
    .execute();
}

/**
 * Takes one place in a slot if one is left: `booked = booked + 1 WHERE booked < capacity`. On
 * SQLite the write lock serialises it; on PostgreSQL the row lock does, and READ COMMITTED
 * re-checks the WHERE against the row the winner committed. False: the slot is full.
 */
export async function takeSeat(db: DbOrTx, branchId: string, startAt: string): Promise<boolean> {
  const r = await db
    .updateTable("branchSlots")
    .set((eb) => ({ booked: eb("booked", "+", 1) }))
    .where("branchId", "=", branchId)
    .where("startAt", "=", startAt)
    .whereRef("booked", "<", "capacity")
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function releaseSeat(db: DbOrTx, branchId: string, startAt: string): Promise<void> {
  await db
    .updateTable("branchSlots")
    .set((eb) => ({ booked: eb("booked", "-", 1) }))
    .where("branchId", "=", branchId)
    .where("startAt", "=", startAt)
    .where("booked", ">", 0)
    .execute();
}

export async function insertAppointment(db: DbOrTx, row: AppointmentRow): Promise<void> {
  await db.insertInto("appointments").values(row).execute();
}

export async function findAppointment(db: DbOrTx, id: string): Promise<AppointmentRow | undefined> {
  return db.selectFrom("appointments").selectAll().where("id", "=", id).executeTakeFirst();
}

/**
 * Moves an appointment on only if it is still in `from` (and, when given, still at `slotStart`);
 * returns the new row, or undefined when someone else changed it first.
 */
export async function updateAppointment(
  db: DbOrTx,
  id: string,
  expected: { status: string; slotStart?: string },
  patch: Partial<Omit<AppointmentsTable, "id" | "version">>,
): Promise<AppointmentRow | undefined> {
  let q = db
    .updateTable("appointments")
    .set((eb) => ({ ...patch, version: eb("version", "+", 1) }))
    .where("id", "=", id)
    .where("status", "=", expected.status);
  if (expected.slotStart !== undefined) q = q.where("slotStart", "=", expected.slotStart);
  const r = await q.executeTakeFirst();
  if (Number(r.numUpdatedRows) !== 1) return undefined;
  return findAppointment(db, id);
}

/** Bookings of a holder still to come. */
export async function countUpcoming(db: DbOrTx, holderId: string, nowIso: string): Promise<number> {
  const r = await db
    .selectFrom("appointments")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("holderId", "=", holderId)
    .where("status", "=", "booked")
    .where("slotEnd", ">", nowIso)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export interface AppointmentWithBranch extends AppointmentRow {
  branchCode: string;
  branchNameZh: string;
  branchNameEn: string;
  branchTimeZone: string;
}

export async function listHolderAppointments(db: DbOrTx, holderId: string): Promise<AppointmentWithBranch[]> {
  return db
    .selectFrom("appointments as a")
    .innerJoin("branches as b", "b.id", "a.branchId")
    .selectAll("a")
    .select([
      "b.code as branchCode",
      "b.nameZh as branchNameZh",
      "b.nameEn as branchNameEn",
      "b.timeZone as branchTimeZone",
    ])
    .where("a.holderId", "=", holderId)
    .orderBy("a.slotStart", "desc")
    .limit(100)
    .execute();
}

export interface CounterAppointment extends AppointmentRow {
  holderNameMasked: string;
  holderPhone: string;
}

/** A branch's appointments with a slot starting in [fromIso, toIso), with the holder's masked name. */
export async function listBranchAppointments(
  db: DbOrTx,
  branchId: string,
  fromIso: string,
  toIso: string,
): Promise<CounterAppointment[]> {
  return db
    .selectFrom("appointments as a")
    .innerJoin("holders as h", "h.id", "a.holderId")
    .selectAll("a")
    .select(["h.nameMasked as holderNameMasked", "h.phone as holderPhone"])
    .where("a.branchId", "=", branchId)
    .where("a.slotStart", ">=", fromIso)
    .where("a.slotStart", "<", toIso)
    .orderBy("a.slotStart")
    .orderBy("a.createdAt")
    .execute();
}

export async function insertVisit(db: DbOrTx, row: BranchVisitRow): Promise<void> {
  await db.insertInto("branchVisits").values(row).execute();
}

export async function findVisit(db: DbOrTx, id: string): Promise<BranchVisitRow | undefined> {
  return db.selectFrom("branchVisits").selectAll().where("id", "=", id).executeTakeFirst();
}

export async function findVisitOfAppointment(
  db: DbOrTx,
  appointmentId: string,
): Promise<BranchVisitRow | undefined> {
  return db
    .selectFrom("branchVisits")
    .selectAll()
    .where("appointmentId", "=", appointmentId)
    .executeTakeFirst();
}

export async function updateVisit(
  db: DbOrTx,
  id: string,
  expectedStatuses: readonly string[],
  patch: Partial<Omit<BranchVisitRow, "id">>,
): Promise<BranchVisitRow | undefined> {
  const r = await db
    .updateTable("branchVisits")
    .set(patch)
    .where("id", "=", id)
    .where("status", "in", expectedStatuses)
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) !== 1) return undefined;
  return findVisit(db, id);
}

/** Visits of a branch that arrived in [fromIso, toIso). */
export async function listVisits(
  db: DbOrTx,
  branchId: string,
  fromIso: string,
  toIso: string,
): Promise<BranchVisitRow[]> {
  return db
    .selectFrom("branchVisits")
    .selectAll()
    .where("branchId", "=", branchId)
    .where("arrivedAt", ">=", fromIso)
    .where("arrivedAt", "<", toIso)
    .orderBy("arrivedAt")
    .execute();
}

type LoadKey = Pick<
  BranchHourlyLoadTable,
  "branchId" | "localDate" | "hour" | "profileWeekday" | "monthEnd" | "holiday"
>;
type LoadDelta = Partial<
  Pick<
    BranchHourlyLoadTable,
    "arrivals" | "served" | "serviceSeconds" | "serviceCount" | "waitSeconds" | "waitCount"
  >
>;

/** Adds one event's counts to its hour (insert, or add to the row there: an upsert on both dialects). */
export async function addToHourlyLoad(db: DbOrTx, key: LoadKey, delta: LoadDelta): Promise<void> {
  const values = {
    ...key,
    arrivals: delta.arrivals ?? 0,
    served: delta.served ?? 0,
    serviceSeconds: delta.serviceSeconds ?? 0,
    serviceCount: delta.serviceCount ?? 0,
    waitSeconds: delta.waitSeconds ?? 0,
    waitCount: delta.waitCount ?? 0,
  };
  await db
    .insertInto("branchHourlyLoad")
    .values(values)
    .onConflict((oc) =>
      oc.columns(["branchId", "localDate", "hour"]).doUpdateSet((eb) => ({
        arrivals: eb("branchHourlyLoad.arrivals", "+", eb.ref("excluded.arrivals")),
        served: eb("branchHourlyLoad.served", "+", eb.ref("excluded.served")),
        serviceSeconds: eb("branchHourlyLoad.serviceSeconds", "+", eb.ref("excluded.serviceSeconds")),
        serviceCount: eb("branchHourlyLoad.serviceCount", "+", eb.ref("excluded.serviceCount")),
        waitSeconds: eb("branchHourlyLoad.waitSeconds", "+", eb.ref("excluded.waitSeconds")),
        waitCount: eb("branchHourlyLoad.waitCount", "+", eb.ref("excluded.waitCount")),
      })),
    )
    .execute();
}

/** Bulk insert for generated history (demo, benchmark); rows must be new. */
export async function insertHourlyLoad(db: DbOrTx, rows: readonly BranchHourlyLoadTable[]): Promise<void> {
  // 12 columns a row: 400 rows stay well under SQLite's 32,766 bound parameters per statement.
  for (let i = 0; i < rows.length; i += 400) {
    await db
      .insertInto("branchHourlyLoad")
      .values(rows.slice(i, i + 400))
      .execute();
  }
}

/** Applications waiting to be finished for a provider, and those finished in [sinceIso, now). */
export async function providerThroughput(
  db: DbOrTx,
  providerId: string,
  sinceIso: string,
): Promise<{ backlog: number; completed: number }> {
  const open = await db
    .selectFrom("applications")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("providerId", "=", providerId)
    .where("status", "in", ["submitted", "under_review", "needs_info", "approved", "processing"])
    .executeTakeFirstOrThrow();
  const done = await db
    .selectFrom("applications")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("providerId", "=", providerId)
    .where("completedAt", ">=", sinceIso)
    .executeTakeFirstOrThrow();
  return { backlog: Number(open.n), completed: Number(done.n) };
}
