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
import { type DocumentMeta, storeDocument } from "./upload-document.js";

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
      documents.push(
        await storeDocument(tx, deps, actor, {
          applicationId: app.id,
          kind: f.kind,
          contentType: f.contentType,
          bytes: f.bytes,
          now,
          name: f.name,
        }),
      );
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
