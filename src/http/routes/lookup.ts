/** Progress lookup without an account: application number + phone → SMS code → status. */
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { requestLookupCode, verifyLookupCode } from "../../app/auth/progress-lookup.js";
import type { AppDeps } from "../../app/context.js";
import { presentEvent } from "../presenters.js";

const numberAndPhone = { applicationNumber: z.string().min(4).max(40), phone: z.string().max(32) };

export function lookupRoutes(
  deps: AppDeps,
  authLimit: { max: number; timeWindow: string },
): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      "/lookup/otp",
      {
        config: { rateLimit: authLimit },
        schema: {
          tags: ["lookup"],
          summary: "Send a code to the phone registered for an application",
          description: "Answers the same whether or not the number and phone match.",
          body: z.object(numberAndPhone).strict(),
          response: { 202: z.object({ cooldownSeconds: z.number(), expiresInSeconds: z.number() }) },
        },
      },
      async (req, reply) => reply.code(202).send(await requestLookupCode(deps, req.body)),
    );

    app.post(
      "/lookup/verify",
      {
        config: { rateLimit: authLimit },
        schema: {
          tags: ["lookup"],
          summary: "Read an application's status and timeline with the code",
          body: z.object({ ...numberAndPhone, code: z.string().regex(/^\d{6}$/) }).strict(),
        },
      },
      async (req) => {
        const v = await verifyLookupCode(deps, req.body);
        return {
          number: v.application.number,
          status: v.application.status,
          card: { family: v.card.family, kind: v.card.kind, label: v.card.label },
          submittedAt: v.application.submittedAt,
          dueAt: v.application.dueAt,
          completedAt: v.application.completedAt,
          infoRequest: v.application.status === "needs_info" ? v.application.infoRequest : null,
          timeline: v.timeline.map((e) => presentEvent(e, null)),
        };
      },
    );
  };
}
