/**
 * Request counters per key and window, shared by every API process (rate limits on PostgreSQL).
 * Times are epoch milliseconds; a window restarts when its reset time has passed.
 */
import { sql } from "kysely";
import type { DbOrTx } from "./connect.js";
import { executeNamed } from "./prepared.js";

export async function incrementRateLimit(
  db: DbOrTx,
  key: string,
  nowMs: number,
  windowMs: number,
): Promise<{ count: number; resetAt: number }> {
  const upsert = db
    .insertInto("rateLimitCounters")
    .values({ key, count: 1, resetAt: nowMs + windowMs })
    .onConflict((oc) =>
      oc.column("key").doUpdateSet({
        count: sql<number>`case when rate_limit_counters.reset_at <= ${nowMs} then 1 else rate_limit_counters.count + 1 end`,
        resetAt: sql<number>`case when rate_limit_counters.reset_at <= ${nowMs} then excluded.reset_at else rate_limit_counters.reset_at end`,
      }),
    )
    .returning(["count", "resetAt"]);
  const r = (await executeNamed(db, upsert.compile())).rows[0];
  if (!r) throw new Error("the rate limit counter was not written");
  return { count: Number(r.count), resetAt: Number(r.resetAt) };
}

export async function readRateLimit(
  db: DbOrTx,
  key: string,
  nowMs: number,
): Promise<{ count: number; resetAt: number } | undefined> {
  const r = await db
    .selectFrom("rateLimitCounters")
    .select(["count", "resetAt"])
    .where("key", "=", key)
    .where("resetAt", ">", nowMs)
    .executeTakeFirst();
  return r && { count: Number(r.count), resetAt: Number(r.resetAt) };
}

export async function deleteExpiredRateLimits(db: DbOrTx, nowMs: number): Promise<void> {
  await db.deleteFrom("rateLimitCounters").where("resetAt", "<=", nowMs).execute();
}
