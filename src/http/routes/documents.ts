/** Documents attached to an application: upload (raw body, type by content), list, read, delete. */
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { AppDeps } from "../../app/context.js";
import { deleteDocument } from "../../app/documents/delete-document.js";
import { DOCUMENT_MAX_BYTES } from "../../app/documents/document-content.js";
import { listDocuments, readDocument } from "../../app/documents/read-documents.js";
import { uploadDocument } from "../../app/documents/upload-document.js";
import { AppError } from "../../app/errors.js";
import { DOCUMENT_KINDS } from "../../domain/rules.js";
import { requireActor } from "../auth.js";
import { idempotent } from "../idempotency.js";

const UPLOAD_TYPES = ["image/jpeg", "image/png", "application/pdf", "application/octet-stream"];
const params = z.object({ id: z.string().min(1).max(100) });
const docParams = params.extend({ docId: z.string().min(1).max(100) });

export function documentRoutes(deps: AppDeps): FastifyPluginAsyncZod {
  return async (app) => {
    // Only inside this plugin: file bodies as bytes, up to the document limit.
    app.addContentTypeParser(
      UPLOAD_TYPES,
      { parseAs: "buffer", bodyLimit: DOCUMENT_MAX_BYTES + 1 },
      (_req, body, done) => done(null, body),
    );

    app.post(
      "/applications/:id/documents",
      {
        bodyLimit: DOCUMENT_MAX_BYTES + 1,
        schema: {
          tags: ["documents"],
          summary:
            "Upload a document (JPEG, PNG or PDF as the raw body, at most 5 MiB; the type is decided by content)",
          params,
          querystring: z.object({ kind: z.enum(DOCUMENT_KINDS) }).strict(),
          headers: z.object({ "idempotency-key": z.string().optional() }).passthrough(),
        },
      },
      async (req, reply) => {
        const actor = await requireActor(deps, req);
        if (!Buffer.isBuffer(req.body)) throw new AppError("DOCUMENT_TYPE_NOT_ALLOWED");
        const bytes = req.body;
        return idempotent(deps, req, reply, `${actor.type}:${actor.id}`, async (d) => ({
          status: 201,
          body: {
            document: await uploadDocument(d, actor, {
              applicationId: req.params.id,
              kind: req.query.kind,
              bytes,
            }),
          },
        }));
      },
    );

    app.get(
      "/applications/:id/documents",
      {
        schema: {
          tags: ["documents"],
          summary: "An application's documents, the kinds required and those still missing",
          params,
        },
      },
      async (req) => listDocuments(deps, await requireActor(deps, req), { applicationId: req.params.id }),
    );

    app.get(
      "/applications/:id/documents/:docId",
      { schema: { tags: ["documents"], summary: "Read a document back", params: docParams } },
      async (req, reply) => {
        const doc = await readDocument(deps, await requireActor(deps, req), {
          applicationId: req.params.id,
          documentId: req.params.docId,
        });
        return reply
          .type(doc.contentType)
          .header("content-disposition", `inline; filename="${doc.kind}"`)
          .header("cache-control", "private, no-store")
          .send(doc.bytes);
      },
    );

    app.delete(
      "/applications/:id/documents/:docId",
      { schema: { tags: ["documents"], summary: "Remove a document before submission", params: docParams } },
      async (req, reply) => {
        await deleteDocument(deps, await requireActor(deps, req), {
          applicationId: req.params.id,
          documentId: req.params.docId,
        });
        return reply.code(204).send();
      },
    );
  };
}
