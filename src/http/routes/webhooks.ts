/** Signed callbacks from provider systems: `POST /api/v1/webhooks/{providerCode}`. */
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { AppDeps } from "../../app/context.js";
import { AppError } from "../../app/errors.js";
import { applyProviderEvent, providerEventSchema } from "../../app/provider-events.js";
import { requireSignature } from "../auth.js";

export function webhookRoutes(deps: AppDeps): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      "/webhooks/:provider",
      {
        schema: {
          tags: ["integration"],
          summary: "Provider callback, HMAC-signed (X-Zhuxiao-Signature); each eventId applies once",
          params: z.object({ provider: z.string().max(40) }),
          body: providerEventSchema,
        },
      },
      async (req) => {
        // The signature was checked before validation (route policy "hmac"); checked again here
        // so that the handler is safe on its own.
        requireSignature(deps, req);
        const provider = await deps.db
          .selectFrom("providers")
          .select("id")
          .where("code", "=", req.params.provider)
          .executeTakeFirst();
        if (!provider) throw new AppError("NOT_FOUND", { provider: req.params.provider });
        const r = await applyProviderEvent(deps, provider.id, req.body);
        deps.onJobsEnqueued?.();
        return r;
      },
    );
  };
}
