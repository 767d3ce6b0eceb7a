/** Staff and holder views beyond the application itself: processing, statistics, number restore. */
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { AppDeps } from "../../app/context.js";
import { providersFor } from "../../app/list-providers.js";
import { lookupHolder } from "../../app/lookup-holder.js";
import { getProcessing } from "../../app/processing/get-processing.js";
import { restoreNumber } from "../../app/restore-number.js";
import { getStats } from "../../app/stats.js";
import { ID_TYPES } from "../../domain/model.js";
import { requireActor } from "../auth.js";
import { idempotent } from "../idempotency.js";
import { presentCard, presentHolder, presentProvider } from "../presenters.js";

const idParams = z.object({ id: z.string().min(1).max(100) });

export function backofficeRoutes(deps: AppDeps): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      "/applications/:id/processing",
      {
        schema: {
          tags: ["applications"],
          summary: "Each processing step with its result, tries and last error; the money ledger",
          params: idParams,
        },
      },
      async (req) => getProcessing(deps, await requireActor(deps, req), { applicationId: req.params.id }),
    );

    app.post(
      "/holders/lookup",
      {
        schema: {
          tags: ["admin"],
          summary: "Counter: identify a holder in person by ID document; their cards with this provider",
          body: z.object({ idType: z.enum(ID_TYPES), idNumber: z.string().min(4).max(40) }).strict(),
        },
      },
      async (req) => {
        const actor = await requireActor(deps, req);
        const r = await lookupHolder(deps, actor, req.body);
        return { holder: presentHolder(r.holder, actor), cards: r.cards.map((c) => presentCard(c, actor)) };
      },
    );

    app.get(
      "/providers",
      {
        schema: {
          tags: ["admin"],
          summary:
            "The providers (issuers, operators) by id, code and name, for lists and filters; staff of one provider see their own",
        },
      },
      async (req) => ({
        items: (await providersFor(deps, await requireActor(deps, req))).map(presentProvider),
      }),
    );

    app.get(
      "/stats",
      {
        schema: {
          tags: ["admin"],
          summary:
            "Supervisor: backlog, completions per day, time to completion, SLA compliance, load per branch",
          querystring: z.object({ from: z.string().datetime(), to: z.string().datetime() }).strict(),
        },
      },
      async (req) => getStats(deps, await requireActor(deps, req), req.query),
    );

    app.post(
      "/cards/:id/restore-number",
      {
        schema: {
          tags: ["cards"],
          summary: "Former holder: take a quarantined number back within the quarantine window",
          params: idParams,
          headers: z.object({ "idempotency-key": z.string().optional() }).passthrough(),
          body: z.object({}).strict(),
        },
      },
      async (req, reply) => {
        const actor = await requireActor(deps, req);
        return idempotent(deps, req, reply, `${actor.type}:${actor.id}`, async (d) => ({
          status: 200,
          body: { card: presentCard(await restoreNumber(d, actor, { cardId: req.params.id }), actor) },
        }));
      },
    );
  };
}
