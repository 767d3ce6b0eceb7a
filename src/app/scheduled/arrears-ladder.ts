/**
 * The involuntary path (product.md §3): long arrears lead to suspension and, after the provider's
 * period, a provider-initiated cancellation through the same pipeline — with a notice at each rung.
 * Providers without an `arrearsLadder` rule never cancel involuntarily.
 */
import { findOpenApplicationForCard } from "../../db/applications-repository.js";
import { appendAudit } from "../../db/audit-repository.js";
import { setCardStatus } from "../../db/cards-repository.js";
import { inTransaction } from "../../db/connect.js";
import { listProviders, rulesOf } from "../../db/providers-repository.js";
import { formatFen } from "../../domain/eligibility.js";
import { zonedIsoDate } from "../../domain/zoned-time.js";
import { approveApplication } from "../approve-application.js";
import { type AppDeps, SYSTEM_ACTOR } from "../context.js";
import { createApplication } from "../create-application.js";
import { notifyHolder, runTransition } from "../transition.js";

const DAY = 86_400_000;

export async function runArrearsLadder(deps: AppDeps): Promise<{ suspended: number; cancelled: number }> {
  let suspended = 0;
  let cancelled = 0;
  const now = deps.clock.now();
  for (const provider of await listProviders(deps.db)) {
    const ladder = rulesOf(provider).rules.arrearsLadder?.value;
    if (!ladder) continue;
    const rows = await deps.db
      .selectFrom("accounts as a")
      .innerJoin("cards as c", "c.id", "a.cardId")
      .select(["c.id as cardId", "c.status", "c.label", "a.arrearsFen", "a.arrearsSince"])
      .where("c.providerId", "=", provider.id)
      .where("a.arrearsFen", ">", 0)
      .where("a.arrearsSince", "<=", new Date(now.getTime() - ladder.suspendAfterDays * DAY).toISOString())
      .where("c.status", "in", ["active", "suspended"])
      .execute();
    for (const r of rows) {
      const days = Math.floor((now.getTime() - Date.parse(r.arrearsSince!)) / DAY);
      if (r.status === "active") {
        await suspendForArrears(
          deps,
          r.cardId,
          days,
          Number(r.arrearsFen),
          ladder.cancelAfterDays - days,
          provider.timeZone,
        );
        suspended++;
      } else if (days >= ladder.cancelAfterDays && !(await findOpenApplicationForCard(deps.db, r.cardId))) {
        await cancelInvoluntarily(deps, r.cardId, provider.timeZone);
        cancelled++;
      }
    }
  }
  return { suspended, cancelled };
}

async function suspendForArrears(
  deps: AppDeps,
  cardId: string,
  days: number,
  arrearsFen: number,
  daysLeft: number,
  tz: string,
) {
  const now = deps.clock.now();
  await inTransaction(deps.db, async (tx) => {
    if (!(await setCardStatus(tx, cardId, ["active"], { status: "suspended" }, now.toISOString()))) return;
    await appendAudit(tx, {
      id: deps.ids.id("evt"),
      entityType: "card",
      entityId: cardId,
      applicationId: null,
      action: "card.suspend_for_arrears",
      actorType: "system",
      actorId: "arrears-ladder",
      reason: `arrears for ${days} days`,
      before: { status: "active" },
      after: { status: "suspended", arrearsFen },
      at: now.toISOString(),
    });
    const card = await tx.selectFrom("cards").selectAll().where("id", "=", cardId).executeTakeFirstOrThrow();
    const holder = await tx
      .selectFrom("holders")
      .selectAll()
      .where("id", "=", card.holderId)
      .executeTakeFirstOrThrow();
    const { enqueueSms } = await import("../notifications.js");
    await enqueueSms(tx, {
      dedupeKey: `${cardId}:suspended_arrears:${card.updatedAt}`,
      to: holder.phone,
      template: "suspended_arrears",
      language: holder.preferredLanguage,
      params: {
        card: card.label,
        days: String(days),
        amount: formatFen(arrearsFen),
        cancelOn: zonedIsoDate(new Date(now.getTime() + Math.max(daysLeft, 0) * DAY), tz),
      },
      now,
    });
  });
  deps.onJobsEnqueued?.();
}

/** Provider-initiated: created, submitted and approved by the system, then the usual pipeline. */
async function cancelInvoluntarily(deps: AppDeps, cardId: string, tz: string) {
  const now = deps.clock.now();
  await inTransaction(deps.db, async (tx) => {
    const txDeps = { ...deps, db: tx };
    const { application } = await createApplication(txDeps, SYSTEM_ACTOR, {
      cardId,
      reason: "arrears ladder",
      backup: { status: "waived", note: "provider-initiated cancellation" },
    });
    const submitted = await runTransition(txDeps, SYSTEM_ACTOR, {
      transition: "submit",
      action: "application.submit",
      applicationId: application.id,
      reason: "involuntary",
      prepare: () => ({
        channel: "involuntary",
        submittedAt: now.toISOString(),
        dueAt: now.toISOString(),
        requestedDate: zonedIsoDate(now, tz),
      }),
      after: async (t, _b, a) => {
        await setCardStatus(
          t,
          a.cardId,
          ["suspended"],
          { status: "pending_cancellation" },
          now.toISOString(),
        );
      },
    });
    await approveApplication(txDeps, SYSTEM_ACTOR, {
      applicationId: submitted.id,
      comment: "provider-initiated: arrears ladder",
    });
    await notifyHolder(txDeps, tx, submitted, "involuntary_cancellation", {});
  });
  deps.onJobsEnqueued?.();
}
