/**
 * Attach a document (ID copy, authorisation letter, …) to a draft or to an application waiting for
 * information. The type is decided by content, the size is capped, and the bytes are sealed.
 */
import { createHash } from "node:crypto";
import { appendAudit } from "../../db/audit-repository.js";
import { inTransaction, type Tx } from "../../db/connect.js";
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
    return storeDocument(tx, deps, actor, {
      applicationId: app.id,
      kind: input.kind,
      contentType,
      bytes,
      now: deps.clock.now().toISOString(),
    });
  });
}

/**
 * Seals a checked document's bytes into the application's documents and records the upload in
 * the audit trail (its hash, never its content). Runs inside the caller's transaction.
 */
export async function storeDocument(
  tx: Tx,
  deps: AppDeps,
  actor: Actor,
  input: {
    applicationId: string;
    kind: DocumentKind;
    contentType: string;
    bytes: Buffer;
    now: string;
    /** The file's name, for the audit trail, when it came with one. */
    name?: string;
  },
): Promise<DocumentMeta> {
  const { bytes, now } = input;
  const doc = {
    id: deps.ids.id("doc"),
    applicationId: input.applicationId,
    kind: input.kind,
    contentType: input.contentType,
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
    applicationId: input.applicationId,
    action: "document.upload",
    actorType: actor.type,
    actorId: actor.id,
    after: {
      kind: doc.kind,
      contentType: doc.contentType,
      size: doc.size,
      sha256: doc.sha256,
      ...(input.name ? { name: input.name } : {}),
    },
    at: now,
  });
  return { id: doc.id, kind: doc.kind, contentType: doc.contentType, size: doc.size, createdAt: now };
}
