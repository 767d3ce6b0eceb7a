/**
 * Who is calling: a session token from the `zx_session` cookie or an `Authorization: Bearer`
 * header. Cookie-authenticated writes must echo the session's CSRF token in `X-CSRF-Token`;
 * bearer calls carry no ambient credential, so they need none.
 */
import type { FastifyRequest } from "fastify";
import { resolveSession } from "../app/auth/sessions.js";
import type { Actor, AppDeps } from "../app/context.js";
import { AppError } from "../app/errors.js";

export const SESSION_COOKIE = "zx_session";
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export function sessionToken(req: FastifyRequest): { token: string; via: "cookie" | "bearer" } | null {
  const auth = req.headers.authorization;
  if (auth?.startsWith("Bearer ")) return { token: auth.slice(7).trim(), via: "bearer" };
  const cookie = req.cookies?.[SESSION_COOKIE];
  return cookie ? { token: cookie, via: "cookie" } : null;
}

export async function optionalActor(deps: AppDeps, req: FastifyRequest): Promise<Actor | null> {
  const t = sessionToken(req);
  if (!t) return null;
  const s = await resolveSession(deps, t.token);
  if (!s) return null;
  if (t.via === "cookie" && !SAFE_METHODS.has(req.method) && req.headers["x-csrf-token"] !== s.csrfToken) {
    throw new AppError("CSRF_FAILED");
  }
  return s.actor;
}

export async function requireActor(deps: AppDeps, req: FastifyRequest): Promise<Actor> {
  const actor = await optionalActor(deps, req);
  if (!actor) throw new AppError("UNAUTHENTICATED");
  return actor;
}
