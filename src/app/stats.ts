/**
 * Supervisor figures for a date range: backlog by status, completions per day, time to completion
 * (median and p90), SLA compliance, and load per branch (online applications count as "online").
 */
import { sql } from "kysely";
import { type Actor, type AppDeps, authorize } from "./context.js";

export interface Stats {
  from: string;
  to: string;
  backlog: Record<string, number>;
  completionsPerDay: Array<{ day: string; count: number }>;
  hoursToCompletion: { median: number | null; p90: number | null; count: number };
  sla: {
    completed: number;
    onTime: number;
    compliance: number | null;
    openBreached: number;
    openAtRisk: number;
  };
  loadPerBranch: Array<{ branch: string; count: number }>;
}

function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1));
  return Math.round(sorted[i]! * 10) / 10;
}

export async function getStats(
  deps: AppDeps,
  actor: Actor,
  range: { from: string; to: string },
): Promise<Stats> {
  authorize(actor, "stats.read");
  const providerId = actor.type === "staff" ? actor.providerId : null;
  const now = deps.clock.now();
  const nowIso = now.toISOString();

  let backlogQ = deps.db
    .selectFrom("applications")
    .select(["status", (eb) => eb.fn.countAll<number>().as("n")])
    .groupBy("status");
  if (providerId) backlogQ = backlogQ.where("providerId", "=", providerId);
  const backlogRows = await backlogQ.execute();

  let doneQ = deps.db
    .selectFrom("applications")
    .select(["submittedAt", "completedAt", "dueAt"])
    .where("completedAt", ">=", range.from)
    .where("completedAt", "<", range.to);
  if (providerId) doneQ = doneQ.where("providerId", "=", providerId);
  const done = await doneQ.execute();

  let openQ = deps.db
    .selectFrom("applications")
    .select(["dueAt", "submittedAt"])
    .where("status", "in", ["submitted", "under_review", "needs_info", "approved", "processing", "failed"]);
  if (providerId) openQ = openQ.where("providerId", "=", providerId);
  const open = await openQ.execute();

  let loadQ = deps.db
    .selectFrom("applications as a")
    .leftJoin("staff as s", (j) => j.onRef("s.id", "=", "a.createdById").on("a.createdByType", "=", "staff"))
    .select([
      sql<string>`coalesce(a.branch, s.branch, case when a.created_by_type = 'staff' then 'counter' else a.channel end)`.as(
        "branch",
      ),
      (eb) => eb.fn.countAll<number>().as("n"),
    ])
    .where("a.submittedAt", ">=", range.from)
    .where("a.submittedAt", "<", range.to)
    .groupBy(
      sql`coalesce(a.branch, s.branch, case when a.created_by_type = 'staff' then 'counter' else a.channel end)`,
    );
  if (providerId) loadQ = loadQ.where("a.providerId", "=", providerId);
  const load = await loadQ.execute();

  const perDay = new Map<string, number>();
  const hours: number[] = [];
  let onTime = 0;
  for (const a of done) {
    const day = a.completedAt!.slice(0, 10);
    perDay.set(day, (perDay.get(day) ?? 0) + 1);
    if (a.submittedAt) hours.push((Date.parse(a.completedAt!) - Date.parse(a.submittedAt)) / 3_600_000);
    if (a.dueAt && a.completedAt! <= a.dueAt) onTime++;
  }
  hours.sort((x, y) => x - y);
  // At risk: less than a fifth of the SLA left; breached: past due and still open.
  let openBreached = 0;
  let openAtRisk = 0;
  for (const a of open) {
    if (!a.dueAt || !a.submittedAt) continue;
    if (a.dueAt < nowIso) openBreached++;
    else if (Date.parse(a.dueAt) - now.getTime() < 0.2 * (Date.parse(a.dueAt) - Date.parse(a.submittedAt)))
      openAtRisk++;
  }
  return {
    from: range.from,
    to: range.to,
    backlog: Object.fromEntries(backlogRows.map((r) => [r.status, Number(r.n)])),
    completionsPerDay: [...perDay.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([day, count]) => ({ day, count })),
    hoursToCompletion: { median: percentile(hours, 0.5), p90: percentile(hours, 0.9), count: hours.length },
    sla: {
      completed: done.length,
      onTime,
      compliance: done.length ? Math.round((onTime / done.length) * 1000) / 1000 : null,
      openBreached,
      openAtRisk,
    },
    loadPerBranch: load
      .map((r) => ({ branch: r.branch, count: Number(r.n) }))
      .sort((a, b) => b.count - a.count),
  };
}
