/** List an application's documents with what is still required, and read one back. */
import { loadVisibleApplication } from "../access.js";
import { type Actor, type AppDeps, authorize } from "../context.js";
import { AppError } from "../errors.js";
import { requiredDocuments } from "./required-documents.js";
import type { DocumentMeta } from "./upload-document.js";

export async function listDocuments(deps: AppDeps, actor: Actor, input: { applicationId: string }) {
  authorize(actor, "application.read");
  const app = await loadVisibleApplication(deps.db, actor, input.applicationId);
  const items: DocumentMeta[] = await deps.db
    .selectFrom("documents")
    .select(["id", "kind", "contentType", "size", "createdAt"])
    .where("applicationId", "=", app.id)
    .orderBy("createdAt")
    .execute();
  return { items, ...(await requiredDocuments(deps.db, app)) };
}

export async function readDocument(
  deps: AppDeps,
  actor: Actor,
  input: { applicationId: string; documentId: string },
) {
  authorize(actor, "application.read");
  const app = await loadVisibleApplication(deps.db, actor, input.applicationId);
  const doc = await deps.db
    .selectFrom("documents")
    .selectAll()
    .where("id", "=", input.documentId)
    .where("applicationId", "=", app.id)
    .executeTakeFirst();
  if (!doc) throw new AppError("NOT_FOUND", { documentId: input.documentId });
  return {
    contentType: doc.contentType,
    kind: doc.kind,
    bytes: deps.vault.openBytes(Buffer.from(doc.dataSealed)),
  };
}
