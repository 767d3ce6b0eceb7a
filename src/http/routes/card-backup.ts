/**
 * `POST /applications/{id}/sim-backup`: the counter's reader client attaches the SIM backup
 * (vCard and SMS XML as text) to a draft, which marks its backup step done.
 */
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { AppDeps } from "../../app/context.js";
import { attachSimBackup } from "../../app/documents/attach-sim-backup.js";
import { DOCUMENT_MAX_BYTES } from "../../app/documents/document-content.js";
import { requireActor } from "../auth.js";
import { idempotent } from "../idempotency.js";

const MAX_FILES = 4;

const bodySchema = z
  .object({
    files: z
      .array(
        z
          .object({
            name: z.string().regex(/^[\w.-]{1,120}$/, "a plain file name"),
            content: z.string().min(1).max(DOCUMENT_MAX_BYTES),
          })
          .strict(),
      )
      .min(1)
      .max(MAX_FILES),
  })
  .strict();

export function cardBackupRoutes(deps: AppDeps): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      "/applications/:id/sim-backup",
      {
        // JSON text of up to four files of the document limit each, plus escaping.
        bodyLimit: MAX_FILES * DOCUMENT_MAX_BYTES + 65_536,
        schema: {
          tags: ["documents"],
          summary:
            "Attach a SIM backup (vCard contacts, SMS Backup & Restore XML) to a draft and mark its backup step done",
          params: z.object({ id: z.string().min(1).max(100) }),
          body: bodySchema,
          headers: z.object({ "idempotency-key": z.string().optional() }).passthrough(),
        },
      },
      async (req, reply) => {
        const actor = await requireActor(deps, req);
        return idempotent(deps, req, reply, `${actor.type}:${actor.id}`, async (d) => ({
          status: 201,
          body: await attachSimBackup(d, actor, { applicationId: req.params.id, files: req.body.files }),
        }));
      },
    );
  };
}
