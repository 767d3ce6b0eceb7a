/**
 * What the branch use cases share: loading a branch (or appointment, or visit) the actor may see,
 * the branch as the domain model sees it, the provider's month-end cut-off, and the demand models
 * estimated from a year of history.
 */
import type { Actor } from "../../app/context.js";
import { AppError } from "../../app/errors.js";
import type { DbOrTx } from "../../db/connect.js";
import { rulesOf } from "../../db/providers-repository.js";
import type { AppointmentRow, BranchRow, BranchVisitRow } from "../../db/schema.js";
import { findAppointment, findBranchRow, findVisit, loadSummary } from "../db/branches-repository.js";
import { type BranchService, servicesSchema } from "../domain/branch.js";
import {
  addDays,
  type BranchSchedule,
  dayInfo,
  maxDate,
  minDate,
  openingHoursSchema,
  utcToLocal,
} from "../domain/calendar.js";
import { type DemandModel, estimateDemand } from "../domain/demand.js";
import { CN_HOLIDAYS } from "../domain/holidays.js";

/** How far back the model looks. */
export const HISTORY_DAYS = 365;

export interface LoadedBranch {
  row: BranchRow;
  schedule: BranchSchedule;
  services: BranchService[];
  /** The provider's month-end cut-off (`HH:MM`), or null. */
  monthEndCutoff: string | null;
}

export function scheduleOf(row: BranchRow): BranchSchedule {
  return {
    timeZone: row.timeZone,
    counters: row.counters,
    openingHours: openingHoursSchema.parse(JSON.parse(row.openingHoursJson)),
    slotMinutes: row.slotMinutes,
  };
}

/** Staff of one provider see that provider's branches only; holders and the public see all. */
export function branchVisible(actor: Actor | null, row: BranchRow): boolean {
  if (actor?.type === "staff") return actor.providerId === null || actor.providerId === row.providerId;
  if (actor?.type === "provider") return actor.providerId === row.providerId;
  return true;
}

/** The month-end cut-off of each provider among `providerIds`. */
export async function cutoffsOf(
  db: DbOrTx,
  providerIds: readonly string[],
): Promise<Map<string, string | null>> {
  const out = new Map<string, string | null>();
  const ids = [...new Set(providerIds)];
  if (ids.length === 0) return out;
  const rows = await db.selectFrom("providers").selectAll().where("id", "in", ids).execute();
  for (const p of rows) out.set(p.id, rulesOf(p).rules.monthEndCutoff.value?.after ?? null);
  return out;
}

export async function loadBranches(db: DbOrTx, rows: readonly BranchRow[]): Promise<LoadedBranch[]> {
  const cutoffs = await cutoffsOf(
    db,
    rows.map((r) => r.providerId),
  );
  return rows.map((row) => ({
    row,
    schedule: scheduleOf(row),
    services: servicesSchema.parse(JSON.parse(row.servicesJson)),
    monthEndCutoff: cutoffs.get(row.providerId) ?? null,
  }));
}

export async function loadVisibleBranch(db: DbOrTx, actor: Actor | null, id: string): Promise<LoadedBranch> {
  const row = await findBranchRow(db, id);
  if (!row || !branchVisible(actor, row)) throw new AppError("BRANCH_NOT_FOUND", { branchId: id });
  const [branch] = await loadBranches(db, [row]);
  return branch!;
}

/** A holder sees their own appointments; staff those at their provider's branches. */
export async function loadVisibleAppointment(
  db: DbOrTx,
  actor: Actor,
  id: string,
): Promise<{ appointment: AppointmentRow; branch: LoadedBranch }> {
  const appointment = await findAppointment(db, id);
  const row = appointment ? await findBranchRow(db, appointment.branchId) : undefined;
  const own = actor.type !== "holder" || appointment?.holderId === actor.id;
  if (!appointment || !row || !own || !branchVisible(actor, row))
    throw new AppError("APPOINTMENT_NOT_FOUND", { appointmentId: id });
  const [branch] = await loadBranches(db, [row]);
  return { appointment, branch: branch! };
}

export async function loadVisibleVisit(
  db: DbOrTx,
  actor: Actor,
  id: string,
): Promise<{ visit: BranchVisitRow; branch: LoadedBranch }> {
  const visit = await findVisit(db, id);
  const row = visit ? await findBranchRow(db, visit.branchId) : undefined;
  if (!visit || !row || !branchVisible(actor, row)) throw new AppError("NOT_FOUND", { visitId: id });
  const [branch] = await loadBranches(db, [row]);
  return { visit, branch: branch! };
}

/**
 * Estimated models, per database and per branch and local day. A model is built from the days
 * before today only, so it cannot change during the day except when a visit that arrived before
 * midnight is finished after it (a few seconds of service time): the entries live ten minutes,
 * which bounds that staleness, and the cost of a year's history is paid once per branch and day
 * instead of on every request (docs/branches.md, Performance).
 */
const MODEL_TTL_MS = 10 * 60_000;
const modelCache = new WeakMap<object, Map<string, { model: DemandModel; from: number }>>();

/** Drops the cached models of a database: the benchmark's cold runs (and anyone backfilling history). */
export function forgetDemandModels(db: DbOrTx): void {
  modelCache.delete(db);
}

/**
 * Each branch's demand model over the last HISTORY_DAYS days before today (its local today):
 * one grouped query for the branches not in the cache, then the estimate in memory.
 */
export async function demandModels(
  db: DbOrTx,
  branches: readonly LoadedBranch[],
  now: Date,
): Promise<Map<string, DemandModel>> {
  let cache = modelCache.get(db);
  if (!cache) {
    cache = new Map();
    modelCache.set(db, cache);
  }
  const t = now.getTime();
  const out = new Map<string, DemandModel>();
  const missing: Array<{ branch: LoadedBranch; today: string; key: string }> = [];
  for (const b of branches) {
    const today = utcToLocal(now, b.schedule.timeZone).date;
    const key = `${b.row.id}|${today}|${b.row.updatedAt}`;
    const hit = cache.get(key);
    // A clock moved backwards (tests do) must not see an entry from its future.
    if (hit && t >= hit.from && t - hit.from < MODEL_TTL_MS) out.set(b.row.id, hit.model);
    else missing.push({ branch: b, today, key });
  }
  if (missing.length === 0) return out;

  const latest = missing.map((m) => m.today).reduce(maxDate, "0000-01-01");
  const earliest = addDays(missing.map((m) => m.today).reduce(minDate, latest), -HISTORY_DAYS);
  const summary = await loadSummary(
    db,
    missing.map((m) => m.branch.row.id),
    earliest,
    latest,
  );
  for (const { branch, today, key } of missing) {
    const s = summary.get(branch.row.id)!;
    // From the first observed day (or a year back): a new branch is not diluted by empty months.
    const from = s.firstDate === null ? today : maxDate(s.firstDate, addDays(today, -HISTORY_DAYS));
    const model = estimateDemand(branch.schedule, CN_HOLIDAYS, s.cells, { from, to: today });
    cache.set(key, { model, from: t });
    out.set(branch.row.id, model);
  }
  if (cache.size > 10_000) cache.clear();
  return out;
}

/** The key of an instant's hour in the hourly load: local date, hour and the day's flags. */
export function loadKeyOf(branch: LoadedBranch, at: Date) {
  const local = utcToLocal(at, branch.schedule.timeZone);
  const day = dayInfo(local.date, CN_HOLIDAYS);
  return {
    branchId: branch.row.id,
    localDate: local.date,
    hour: local.hour,
    profileWeekday: day.profileWeekday,
    monthEnd: day.monthEnd ? 1 : 0,
    holiday: day.kind === "holiday" ? 1 : 0,
  };
}
