/**
 * The records of writes made through the API — each write's key, its request's hash and the
 * answer given — are kept `ZHUXIAO_IDEMPOTENCY_RETENTION_DAYS` (30 by default), far longer than
 * any client retries, and then deleted, with whatever personal data the stored answers hold;
 * otherwise the table would only grow. A key used again after that runs as a new request, and the
 * rules of the domain still refuse what was done already (one open application per card,
 * transitions from a stated status and version, each money movement once per application).
 *
 * The ids of provider events already applied (scope `webhook:<provider>`) are kept: they hold no
 * answer and no personal data, and an event redelivered months later (a card's status, arrears)
 * must not take effect again over newer ones.
 *
 * Deleted a batch at a time, each in its own short transaction, so that a first purge of a large
 * table does not hold the writers up.
 */
import { inTransaction } from "../../db/connect.js";
import type { AppDeps } from "../context.js";

const BATCH = 500;
/** The scope prefix of provider events' ids (src/app/provider-events.ts). */
const WEBHOOK_SCOPE = "webhook:";

export async function purgeIdempotencyRecords(deps: AppDeps): Promise<number> {
  const cutoff = new Date(
    deps.clock.now().getTime() - deps.config.idempotencyRetentionDays * 86_400_000,
  ).toISOString();
  let deleted = 0;
  for (;;) {
    const batch = await deps.db
      .selectFrom("idempotencyRecords")
      .select(["scope", "key"])
      .where("createdAt", "<", cutoff)
      .where("scope", "not like", `${WEBHOOK_SCOPE}%`)
      .limit(BATCH)
      .execute();
    if (batch.length === 0) return deleted;
    const r = await inTransaction(deps.db, (tx) =>
      tx
        .deleteFrom("idempotencyRecords")
        .where((eb) =>
          eb(
            eb.refTuple("scope", "key"),
            "in",
            batch.map((b) => eb.tuple(b.scope, b.key)),
          ),
        )
        .where("createdAt", "<", cutoff)
        .executeTakeFirst(),
    );
    deleted += Number(r.numDeletedRows);
    if (batch.length < BATCH) return deleted;
  }
}
