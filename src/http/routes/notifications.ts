/** The holder's notification preferences: channels (SMS, e-mail) and the e-mail address. */
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { AppDeps } from "../../app/context.js";
import {
  getNotificationPreferences,
  notificationPreferencesSchema,
  updateNotificationPreferences,
} from "../../notify/preferences.js";
import { requireActor } from "../auth.js";
import { idempotent } from "../idempotency.js";

export function notificationRoutes(deps: AppDeps): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      "/me/notifications",
      {
        schema: {
          tags: ["auth"],
          summary: "Holder: how notifications reach me (channels, e-mail, language)",
        },
      },
      async (req) => getNotificationPreferences(deps, await requireActor(deps, req)),
    );

    app.put(
      "/me/notifications",
      {
        schema: {
          tags: ["auth"],
          summary: "Holder: choose SMS, e-mail or both (e-mail carries the receipt and certificate PDFs)",
          headers: z.object({ "idempotency-key": z.string().optional() }).passthrough(),
          body: notificationPreferencesSchema,
        },
      },
      async (req, reply) => {
        const actor = await requireActor(deps, req);
        return idempotent(deps, req, reply, `${actor.type}:${actor.id}`, async (d) => ({
          status: 200,
          body: await updateNotificationPreferences(d, actor, req.body),
        }));
      },
    );
  };
}
