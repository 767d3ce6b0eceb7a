/**
 * At the counter, staff read the holder's SIM (`zhuxiao card backup`) and attach what came off it
 * — contacts as vCard, messages as SMS Backup & Restore XML — to the holder's draft application.
 * That is the journey's backup step done: the files are kept sealed like other documents, and the
 * draft's backup is set to done with a note naming them, in one transaction.
 *
 * The type of each file is decided by parsing its content, never by its name: a vCard must parse
 * as vCards, an XML file as an SMS backup.
 */
import { createHash } from "node:crypto";
import { parseSmsBackupXml } from "../../card/sms-backup-xml.js";
import { parseVCards } from "../../card/vcard-read.js";
import { updateDraft } from "../../db/applications-repository.js";
import { appendAudit } from "../../db/audit-repository.js";
import { inTransaction } from "../../db/connect.js";
import type { DocumentKind } from "../../domain/rules.js";
import { loadVisibleApplication } from "../access.js";
import { type Actor, type AppDeps, authorize } from "../context.js";
import { AppError } from "../errors.js";
import { DOCUMENT_MAX_BYTES } from "./document-content.js";
import type { DocumentMeta } from "./upload-document.js";

export interface SimBackupFile {
  name: string;
  content: string;
}

export interface SniffedBackup {
  kind: Extract<DocumentKind, "sim_backup_contacts" | "sim_backup_sms">;
  contentType: "text/vcard" | "application/xml";
  /** What the file holds, for the note: "250 contacts". */
  summary: string;
}

/** What a backup file is, by its content; null when it is neither a vCard nor an SMS backup. */
export function sniffSimBackup(content: string): SniffedBackup | null {
  const head = content.replace(/^\uFEFF/, "").trimStart();
  try {
    if (/^BEGIN:VCARD/i.test(head)) {
      const n = parseVCards(content).contacts.length;
      return { kind: "sim_backup_contacts", contentType: "text/vcard", summary: `${n} contacts` };
    }
    if (head.startsWith("<")) {
      const r = parseSmsBackupXml(content);
      return {
        kind: "sim_backup_sms",
        contentType: "application/xml",
        summary: `${r.messages.length} messages`,
      };
    }
  } catch {
    return null;
  }
  return null;
}

export async function attachSimBackup(
  deps: AppDeps,
  actor: Actor,
  input: { applicationId: string; files: SimBackupFile[] },
): Promise<{ documents: DocumentMeta[]; backupNote: string }> {
  authorize(actor, "application.update_draft");
  const files = input.files.map((f, i) => {
    const bytes = Buffer.from(f.content, "utf8");
    if (bytes.length > DOCUMENT_MAX_BYTES)
      throw new AppError("DOCUMENT_TOO_LARGE", { maxBytes: DOCUMENT_MAX_BYTES });
    const sniffed = sniffSimBackup(f.content);
    if (!sniffed) {
      throw new AppError(
        "VALIDATION_FAILED",
        { field: `files[${i}].content`, name: f.name, allowed: ["text/vcard", "application/xml"] },
        `${f.name} is neither a vCard nor an SMS Backup & Restore XML file`,
      );
    }
    return { ...f, bytes, ...sniffed };
  });
  const note = `SIM backup: ${files.map((f) => `${f.name} (${f.summary})`).join(", ")}`.slice(0, 500);
  return inTransaction(deps.db, async (tx) => {
    const app = await loadVisibleApplication(tx, actor, input.applicationId);
    if (app.status !== "draft") {
      throw new AppError("TRANSITION_NOT_ALLOWED", { transition: "attach_sim_backup", status: app.status });
    }
    const card = await tx
      .selectFrom("cards")
      .select("family")
      .where("id", "=", app.cardId)
      .executeTakeFirstOrThrow();
    if (card.family !== "sim") {
      throw new AppError(
        "VALIDATION_FAILED",
        { field: "applicationId" },
        "a SIM backup belongs to a SIM card's application",
      );
    }
    const now = deps.clock.now().toISOString();
    const documents: DocumentMeta[] = [];
    for (const f of files) {
      const doc = {
        id: deps.ids.id("doc"),
        applicationId: app.id,
        kind: f.kind,
        contentType: f.contentType,
        size: f.bytes.length,
        sha256: createHash("sha256").update(f.bytes).digest("hex"),
        dataSealed: deps.vault.sealBytes(f.bytes),
        uploadedByType: actor.type,
        uploadedById: actor.id,
        createdAt: now,
      };
      await tx.insertInto("documents").values(doc).execute();
      await appendAudit(tx, {
        id: deps.ids.id("evt"),
        entityType: "document",
        entityId: doc.id,
        applicationId: app.id,
        action: "document.upload",
        actorType: actor.type,
        actorId: actor.id,
        after: {
          kind: doc.kind,
          contentType: doc.contentType,
          size: doc.size,
          sha256: doc.sha256,
          name: f.name,
        },
        at: now,
      });
      documents.push({
        id: doc.id,
        kind: doc.kind,
        contentType: doc.contentType,
        size: doc.size,
        createdAt: now,
      });
    }
    if (!(await updateDraft(tx, app.id, { backupStatus: "done", backupNote: note, updatedAt: now }))) {
      throw new AppError("CONCURRENT_UPDATE", { id: app.id });
    }
    await appendAudit(tx, {
      id: deps.ids.id("evt"),
      entityType: "application",
      entityId: app.id,
      applicationId: app.id,
      action: "application.update_draft",
      actorType: actor.type,
      actorId: actor.id,
      after: { backupStatus: "done", backupNote: note },
      at: now,
    });
    return { documents, backupNote: note };
  });
}
