/** Sign-in for holders (phone + SMS code) and staff (username + password), and sign-out. */
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { requestSignInCode, verifySignInCode } from "../../app/auth/holder-sign-in.js";
import { endSession, type IssuedSession } from "../../app/auth/sessions.js";
import { staffSignIn } from "../../app/auth/staff-sign-in.js";
import type { AppDeps } from "../../app/context.js";
import { optionalActor, SESSION_COOKIE, sessionToken } from "../auth.js";

const sessionOut = z.object({
  token: z.string(),
  csrfToken: z.string(),
  expiresAt: z.string(),
  actor: z.object({ type: z.string(), id: z.string(), role: z.string() }),
});

export function authRoutes(
  deps: AppDeps,
  authLimit: { max: number; timeWindow: string },
): FastifyPluginAsyncZod {
  return async (app) => {
    const setCookie = (
      reply: import("fastify").FastifyReply,
      req: import("fastify").FastifyRequest,
      s: IssuedSession,
    ) =>
      reply.setCookie(SESSION_COOKIE, s.token, {
        httpOnly: true,
        sameSite: "lax",
        path: "/",
        secure: req.protocol === "https",
        expires: new Date(s.expiresAt),
      });
    const present = (s: IssuedSession) => ({
      token: s.token,
      csrfToken: s.csrfToken,
      expiresAt: s.expiresAt,
      actor: { type: s.actor.type, id: s.actor.id, role: s.actor.role },
    });

    app.post(
      "/auth/otp",
      {
        config: { rateLimit: authLimit },
        schema: {
          tags: ["auth"],
          summary: "Send a 6-digit sign-in code by SMS to a registered phone",
          description:
            "Answers the same whether or not the phone is registered. Resend cooldown and hourly cap per phone apply.",
          body: z.object({ phone: z.string().max(32) }).strict(),
          response: { 202: z.object({ cooldownSeconds: z.number(), expiresInSeconds: z.number() }) },
        },
      },
      async (req, reply) => reply.code(202).send(await requestSignInCode(deps, req.body)),
    );

    app.post(
      "/auth/otp/verify",
      {
        config: { rateLimit: authLimit },
        schema: {
          tags: ["auth"],
          summary: "Exchange phone + code for a holder session",
          body: z.object({ phone: z.string().max(32), code: z.string().regex(/^\d{6}$/) }).strict(),
          response: { 200: sessionOut },
        },
      },
      async (req, reply) => {
        const s = await verifySignInCode(deps, req.body);
        setCookie(reply, req, s);
        return present(s);
      },
    );

    app.post(
      "/auth/login",
      {
        config: { rateLimit: authLimit },
        schema: {
          tags: ["auth"],
          summary: "Staff sign-in",
          body: z
            .object({
              username: z.string().min(1).max(80),
              password: z.string().min(1).max(200),
              totp: z.string().max(12).optional(),
            })
            .strict(),
          response: { 200: sessionOut },
        },
      },
      async (req, reply) => {
        const s = await staffSignIn(deps, req.body);
        setCookie(reply, req, s);
        return present(s);
      },
    );

    app.post(
      "/auth/logout",
      { schema: { tags: ["auth"], summary: "End the current session", response: { 204: z.null() } } },
      async (req, reply) => {
        await optionalActor(deps, req);
        const t = sessionToken(req);
        if (t) await endSession(deps, t.token);
        reply.clearCookie(SESSION_COOKIE, { path: "/" });
        return reply.code(204).send(null);
      },
    );
  };
}
