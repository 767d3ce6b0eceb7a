/** Who am I, staff accounts, and audit verification. */
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { addStaff, addStaffSchema } from "../../app/add-staff.js";
import { beginTotpEnrolment, confirmTotpEnrolment } from "../../app/auth/staff-totp.js";
import type { AppDeps } from "../../app/context.js";
import { verifyAudit } from "../../app/verify-audit.js";
import { findHolder } from "../../db/holders-repository.js";
import { maskPhone } from "../../domain/masking.js";
import { requireActor } from "../auth.js";
import { idempotent } from "../idempotency.js";

export function adminRoutes(deps: AppDeps): FastifyPluginAsyncZod {
  return async (app) => {
    app.get("/me", { schema: { tags: ["auth"], summary: "The signed-in actor" } }, async (req) => {
      const actor = await requireActor(deps, req);
      if (actor.type === "holder") {
        const h = await findHolder(deps.db, actor.id);
        return {
          type: actor.type,
          role: actor.role,
          id: actor.id,
          name: h?.nameMasked ?? null,
          phone: h ? maskPhone(h.phone) : null,
          language: h?.preferredLanguage ?? "zh-CN",
        };
      }
      const s = await deps.db
        .selectFrom("staff")
        .select(["username", "displayName", "providerId", "branch"])
        .where("id", "=", actor.id)
        .executeTakeFirst();
      return { type: actor.type, role: actor.role, id: actor.id, ...s };
    });

    app.post(
      "/me/totp",
      {
        schema: {
          tags: ["auth"],
          summary: "Staff: start second-factor (TOTP) enrolment; the secret is shown once",
        },
      },
      async (req) => beginTotpEnrolment(deps, await requireActor(deps, req)),
    );

    app.post(
      "/me/totp/confirm",
      {
        schema: {
          tags: ["auth"],
          summary: "Staff: confirm TOTP enrolment with a first code; sign-in then needs a code",
          body: z.object({ code: z.string().regex(/^\d{6}$/) }).strict(),
        },
      },
      async (req) => confirmTotpEnrolment(deps, await requireActor(deps, req), req.body),
    );

    app.post(
      "/staff",
      {
        schema: {
          tags: ["admin"],
          summary: "Admin: add a staff account",
          headers: z.object({ "idempotency-key": z.string().optional() }).passthrough(),
          body: addStaffSchema,
        },
      },
      async (req, reply) => {
        const actor = await requireActor(deps, req);
        return idempotent(deps, req, reply, `${actor.type}:${actor.id}`, async (d) => ({
          status: 201,
          body: await addStaff(d, actor, req.body),
        }));
      },
    );

    app.get(
      "/audit/verify",
      { schema: { tags: ["admin"], summary: "Admin: verify the audit hash chain" } },
      async (req) => {
        const actor = await requireActor(deps, req);
        return verifyAudit(deps, actor);
      },
    );
  };
}
