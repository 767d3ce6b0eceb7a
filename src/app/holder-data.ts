/**
 * Data-subject requests: export everything held about a holder (personal data decrypted, cards,
 * money, applications with their timelines, documents), and erase the personal data while keeping
 * what the law requires — applications, money movements and the audit trail, which stays
 * verifiable because no audit row is touched.
 */
import { appendAudit, auditForApplication } from "../db/audit-repository.js";
import { inTransaction } from "../db/connect.js";
import { OPEN_STATUSES } from "../domain/states.js";
import { ERASED_ADDRESS_PREFIX, eraseMessagesTo } from "../notify/outbox.js";
import { type Actor, type AppDeps, authorize } from "./context.js";
import { AppError } from "./errors.js";

async function findByPhoneOrId(deps: AppDeps, ref: string) {
  const h = await deps.db
    .selectFrom("holders")
    .selectAll()
    .where((eb) => eb.or([eb("id", "=", ref), eb("phone", "=", ref)]))
    .executeTakeFirst();
  if (!h) throw new AppError("NOT_FOUND", { holder: ref });
  return h;
}

export async function exportHolder(deps: AppDeps, actor: Actor, input: { holder: string }) {
  authorize(actor, "holder.data_request");
  const h = await findByPhoneOrId(deps, input.holder);
  const cards = await deps.db.selectFrom("cards").selectAll().where("holderId", "=", h.id).execute();
  const cardIds = cards.map((c) => c.id);
  const [accounts, apps] = await Promise.all([
    cardIds.length ? deps.db.selectFrom("accounts").selectAll().where("cardId", "in", cardIds).execute() : [],
    deps.db.selectFrom("applications").selectAll().where("holderId", "=", h.id).execute(),
  ]);
  const applications = [];
  for (const a of apps) {
    const [timeline, ledger, documents] = await Promise.all([
      auditForApplication(deps.db, a.id),
      deps.db.selectFrom("ledgerEntries").selectAll().where("applicationId", "=", a.id).execute(),
      deps.db.selectFrom("documents").selectAll().where("applicationId", "=", a.id).execute(),
    ]);
    applications.push({
      ...a,
      timeline: timeline.map((e) => ({
        action: e.action,
        at: e.at,
        actorType: e.actorType,
        reason: e.reason,
        comment: e.comment,
      })),
      ledger,
      documents: documents.map((d) => ({
        id: d.id,
        kind: d.kind,
        contentType: d.contentType,
        createdAt: d.createdAt,
        base64: deps.vault.openBytes(Buffer.from(d.dataSealed)).toString("base64"),
      })),
    });
  }
  await inTransaction(deps.db, (tx) =>
    appendAudit(tx, {
      id: deps.ids.id("evt"),
      entityType: "holder",
      entityId: h.id,
      applicationId: null,
      action: "holder.export",
      actorType: actor.type,
      actorId: actor.id,
      at: deps.clock.now().toISOString(),
    }),
  );
  return {
    exportedAt: deps.clock.now().toISOString(),
    holder: {
      id: h.id,
      name: deps.vault.decrypt(h.nameEnc),
      idType: h.idType,
      idNumber: deps.vault.decrypt(h.idNumberEnc),
      phone: h.phone,
      email: h.email,
      notifyChannels: h.notifyChannels,
      language: h.preferredLanguage,
      createdAt: h.createdAt,
    },
    cards: cards.map((c) => ({
      ...c,
      cardNumberEnc: undefined,
      cardNumberHash: undefined,
      cardNumber: c.cardNumberEnc ? deps.vault.decrypt(c.cardNumberEnc) : null,
    })),
    accounts,
    applications,
  };
}

export async function eraseHolder(
  deps: AppDeps,
  actor: Actor,
  input: { holder: string },
): Promise<{ holderId: string; documentsDeleted: number; messagesCancelled: number }> {
  authorize(actor, "holder.data_request");
  const found = await findByPhoneOrId(deps, input.holder);
  return inTransaction(deps.db, async (tx) => {
    // The addresses as they are now, inside the transaction (the holder may have changed them).
    const h = await tx
      .selectFrom("holders")
      .select(["id", "phone", "email"])
      .where("id", "=", found.id)
      .executeTakeFirstOrThrow();
    const now = deps.clock.now().toISOString();
    const open = await tx
      .selectFrom("applications")
      .select("number")
      .where("holderId", "=", h.id)
      .where("status", "in", [...OPEN_STATUSES])
      .execute();
    if (open.length > 0)
      throw new AppError("HOLDER_HAS_OPEN_APPLICATIONS", { applications: open.map((a) => a.number) });
    const apps = await tx.selectFrom("applications").select("id").where("holderId", "=", h.id).execute();
    const del = apps.length
      ? await tx
          .deleteFrom("documents")
          .where(
            "applicationId",
            "in",
            apps.map((a) => a.id),
          )
          .executeTakeFirst()
      : null;
    await tx
      .updateTable("holders")
      .set({
        nameEnc: deps.vault.encrypt(""),
        nameMasked: "（已删除）",
        idNumberEnc: deps.vault.encrypt(""),
        // Unique per holder and matches no real ID number's hash.
        idNumberHash: `erased:${h.id}`,
        idNumberMasked: "",
        phone: `${ERASED_ADDRESS_PREFIX}${h.id}`,
        email: null,
        notifyChannels: "sms",
      })
      .where("id", "=", h.id)
      .execute();
    await tx
      .updateTable("cards")
      .set({ cardNumberEnc: null, cardNumberHash: null })
      .where("holderId", "=", h.id)
      .execute();
    await tx
      .deleteFrom("sessions")
      .where("subjectType", "=", "holder")
      .where("subjectId", "=", h.id)
      .execute();
    // Sign-in and lookup codes sent to the phone, and the outbox's messages to either address.
    await tx.deleteFrom("otpChallenges").where("phone", "=", h.phone).execute();
    const messages = await eraseMessagesTo(
      tx,
      [h.phone, h.email ?? ""],
      `${ERASED_ADDRESS_PREFIX}${h.id}`,
      now,
    );
    await appendAudit(tx, {
      id: deps.ids.id("evt"),
      entityType: "holder",
      entityId: h.id,
      applicationId: null,
      action: "holder.erase",
      actorType: actor.type,
      actorId: actor.id,
      after: {
        documentsDeleted: Number(del?.numDeletedRows ?? 0),
        messagesCancelled: messages.cancelled,
        messagesErased: messages.erased,
      },
      at: now,
    });
    return {
      holderId: h.id,
      documentsDeleted: Number(del?.numDeletedRows ?? 0),
      messagesCancelled: messages.cancelled,
    };
  });
}

/** Documents are kept only while needed: deleted a number of days after their application ended. */
export async function purgeOldDocuments(deps: AppDeps): Promise<number> {
  const cutoff = new Date(
    deps.clock.now().getTime() - deps.config.documentRetentionDays * 86_400_000,
  ).toISOString();
  return inTransaction(deps.db, async (tx) => {
    const ended = await tx
      .selectFrom("applications")
      .select("id")
      .where("status", "in", ["closed", "withdrawn", "rejected"])
      .where("updatedAt", "<", cutoff)
      .execute();
    if (ended.length === 0) return 0;
    const ids = ended.map((a) => a.id);
    const r = await tx.deleteFrom("documents").where("applicationId", "in", ids).executeTakeFirst();
    const n = Number(r.numDeletedRows);
    if (n > 0) {
      await appendAudit(tx, {
        id: deps.ids.id("evt"),
        entityType: "documents",
        entityId: "retention",
        applicationId: null,
        action: "document.purge",
        actorType: "system",
        actorId: "scheduler",
        after: { deleted: n, endedBefore: cutoff },
        at: deps.clock.now().toISOString(),
      });
    }
    return n;
  });
}
