/**
 * Who is calling: a session token from the `zx_session` cookie or an `Authorization: Bearer`
 * header. Cookie-authenticated writes must echo the session's CSRF token in `X-CSRF-Token`;
 * bearer calls carry no ambient credential, so they need none.
 */
import type { FastifyRequest } from "fastify";
import { SIGNATURE_HEADER, verifySignature } from "../adapters/hmac.js";
import { resolveApiKey } from "../app/api-keys.js";
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

const resolved = new WeakMap<FastifyRequest, Actor>();

/** The signed-in actor, resolved once per request (the policy hook and the handler share it). */
export async function requireActor(deps: AppDeps, req: FastifyRequest): Promise<Actor> {
  const cached = resolved.get(req);
  if (cached) return cached;
  const actor = await optionalActor(deps, req);
  if (!actor) throw new AppError("UNAUTHENTICATED");
  resolved.set(req, actor);
  return actor;
}

/** Provider systems: an `X-API-Key` with the scope; the provider actor is remembered for the handler. */
export async function requireApiKey(deps: AppDeps, req: FastifyRequest, scope: string): Promise<Actor> {
  const cached = resolved.get(req);
  if (cached) return cached;
  const key = req.headers["x-api-key"];
  const actor = typeof key === "string" ? await resolveApiKey(deps, key, scope) : null;
  if (!actor) throw new AppError("UNAUTHENTICATED", { scheme: "X-API-Key" });
  resolved.set(req, actor);
  return actor;
}

/** Provider callbacks: an HMAC over the exact body with the shared secret, not older than 5 minutes. */
export function requireSignature(deps: AppDeps, req: FastifyRequest): void {
  const secret = deps.config.providerSecret;
  const raw = (req as unknown as { rawBody?: string }).rawBody ?? "";
  const header = req.headers[SIGNATURE_HEADER];
  if (
    !secret ||
    !verifySignature(secret, raw, typeof header === "string" ? header : undefined, deps.clock.now().getTime())
  ) {
    throw new AppError("UNAUTHENTICATED", { scheme: "hmac" });
  }
}
