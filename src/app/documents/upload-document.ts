/**
 * Attach a document (ID copy, authorisation letter, …) to a draft or to an application waiting for
 * information. The type is decided by content, the size is capped, and the bytes are sealed.
 */
import { createHash } from "node:crypto";
import { appendAudit } from "../../db/audit-repository.js";
import { inTransaction } from "../../db/connect.js";
import type { DocumentKind } from "../../domain/rules.js";
import { loadVisibleApplication } from "../access.js";
import { type Actor, type AppDeps, authorize } from "../context.js";
import { AppError } from "../errors.js";
import { DOCUMENT_MAX_BYTES, sniffDocumentType } from "./document-content.js";
import { stripMetadata } from "./strip-metadata.js";

const UPLOADABLE_STATUSES = new Set(["draft", "needs_info"]);

export interface DocumentMeta {
  id: string;
  kind: string;
  contentType: string;
  size: number;
  createdAt: string;
}

export async function uploadDocument(
  deps: AppDeps,
  actor: Actor,
  input: { applicationId: string; kind: DocumentKind; bytes: Buffer },
): Promise<DocumentMeta> {
  authorize(actor, "application.update_draft");
  if (input.bytes.length > DOCUMENT_MAX_BYTES)
    throw new AppError("DOCUMENT_TOO_LARGE", { maxBytes: DOCUMENT_MAX_BYTES });
  const contentType = sniffDocumentType(input.bytes);
  if (!contentType)
    throw new AppError("DOCUMENT_TYPE_NOT_ALLOWED", {
      allowed: ["image/jpeg", "image/png", "application/pdf"],
    });
  // Camera metadata (GPS position, device, time) is not needed to check an ID and is not kept.
  const bytes = stripMetadata(contentType, input.bytes);
  return inTransaction(deps.db, async (tx) => {
    const app = await loadVisibleApplication(tx, actor, input.applicationId);
    if (!UPLOADABLE_STATUSES.has(app.status))
      throw new AppError("TRANSITION_NOT_ALLOWED", { transition: "upload_document", status: app.status });
    const now = deps.clock.now().toISOString();
    const doc = {
      id: deps.ids.id("doc"),
      applicationId: app.id,
      kind: input.kind,
      contentType,
      size: bytes.length,
      sha256: createHash("sha256").update(bytes).digest("hex"),
      dataSealed: deps.vault.sealBytes(bytes),
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
      after: { kind: doc.kind, contentType, size: doc.size, sha256: doc.sha256 },
      at: now,
    });
    return { id: doc.id, kind: doc.kind, contentType, size: doc.size, createdAt: now };
  });
}
