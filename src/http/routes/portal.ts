/** Holder preferences, batches of cancellations, and backup exports. */
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { exportTransactionsCsv, listBackupExports } from "../../app/backup-exports.js";
import { createBatch } from "../../app/batches/create-batch.js";
import { type BatchView, getBatch } from "../../app/batches/get-batch.js";
import { submitBatch } from "../../app/batches/submit-batch.js";
import type { Actor, AppDeps } from "../../app/context.js";
import { updateMe, updateMeSchema } from "../../app/update-me.js";
import { requireActor } from "../auth.js";
import { idempotent } from "../idempotency.js";
import { presentApplication, presentCard } from "../presenters.js";

const idempotencyHeader = z.object({ "idempotency-key": z.string().optional() }).passthrough();
const idParams = z.object({ id: z.string().min(1).max(100) });

function presentBatch(b: BatchView, viewer: Actor) {
  return {
    batch: {
      id: b.id,
      items: b.items.map((i) => ({
        position: i.position,
        card: presentCard(i.card, viewer),
        application: presentApplication(i.application),
      })),
    },
  };
}

export function portalRoutes(deps: AppDeps): FastifyPluginAsyncZod {
  return async (app) => {
    app.patch(
      "/me",
      {
        schema: {
          tags: ["auth"],
          summary: "Holder: set the language of messages and the portal",
          headers: idempotencyHeader,
          body: updateMeSchema,
        },
      },
      async (req, reply) => {
        const actor = await requireActor(deps, req);
        return idempotent(deps, req, reply, `${actor.type}:${actor.id}`, async (d) => ({
          status: 200,
          body: await updateMe(d, actor, req.body),
        }));
      },
    );

    app.post(
      "/batches",
      {
        schema: {
          tags: ["applications"],
          summary:
            "Cancel several cards at once: drafts ordered dependants first (dependants not selected are added)",
          headers: idempotencyHeader,
          body: z.object({ cardIds: z.array(z.string().min(1).max(100)).min(1).max(20) }).strict(),
        },
      },
      async (req, reply) => {
        const actor = await requireActor(deps, req);
        return idempotent(deps, req, reply, `${actor.type}:${actor.id}`, async (d) => ({
          status: 201,
          body: presentBatch(await createBatch(d, actor, { cardIds: [...new Set(req.body.cardIds)] }), actor),
        }));
      },
    );

    app.get(
      "/batches/:id",
      { schema: { tags: ["applications"], summary: "A batch in cancellation order", params: idParams } },
      async (req) => {
        const actor = await requireActor(deps, req);
        return presentBatch(await getBatch(deps, actor, { batchId: req.params.id }), actor);
      },
    );

    app.post(
      "/batches/:id/submit",
      {
        schema: {
          tags: ["applications"],
          summary: "Submit every draft of a batch in order — all or none",
          params: idParams,
          headers: idempotencyHeader,
          body: z.object({}).strict(),
        },
      },
      async (req, reply) => {
        const actor = await requireActor(deps, req);
        return idempotent(deps, req, reply, `${actor.type}:${actor.id}`, async (d) => ({
          status: 200,
          body: presentBatch(await submitBatch(d, actor, { batchId: req.params.id }), actor),
        }));
      },
    );

    app.get(
      "/cards/:id/backup",
      {
        schema: {
          tags: ["cards"],
          summary: "What can be backed up for a card before it is cancelled",
          params: idParams,
        },
      },
      async (req) => listBackupExports(deps, await requireActor(deps, req), { cardId: req.params.id }),
    );

    app.get(
      "/cards/:id/backup/transactions.csv",
      { schema: { tags: ["cards"], summary: "The card's transactions as CSV", params: idParams } },
      async (req, reply) => {
        const csv = await exportTransactionsCsv(deps, await requireActor(deps, req), {
          cardId: req.params.id,
        });
        return reply
          .type("text/csv; charset=utf-8")
          .header("content-disposition", `attachment; filename="transactions-${req.params.id}.csv"`)
          .send(csv);
      },
    );
  };
}
