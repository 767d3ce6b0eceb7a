/**
 * The HTTP server: Fastify with Zod validation, OpenAPI at /openapi.json, docs at /docs, security
 * headers, rate limits, problem+json errors, and the API under /api/v1.
 */

import type { IncomingMessage, ServerResponse } from "node:http";
import cookie from "@fastify/cookie";
import rateLimit from "@fastify/rate-limit";
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import Fastify, { type FastifyInstance } from "fastify";
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from "fastify-type-provider-zod";
import helmet from "helmet";
import { sql } from "kysely";
import type { AppDeps } from "../app/context.js";
import { AppError } from "../app/errors.js";
import { isPostgresDb } from "../db/connect.js";
import { can, type Role } from "../domain/policy.js";
import { metricsPlugin } from "../ops/metrics.js";
import { requireActor, requireApiKey, requireSignature } from "./auth.js";
import { LOG_STDOUT, logDestination, OneLinePerRequest, REDACTED_PATHS } from "./logging.js";
import { problemFor, problemFromError, sendProblem } from "./problem.js";
import { databaseRateLimitStore } from "./rate-limit-store.js";
import { policyFor, type RoutePolicy } from "./route-policy.js";
import { adminRoutes } from "./routes/admin.js";
import { applicationRoutes } from "./routes/applications.js";
import { authRoutes } from "./routes/auth.js";
import { backofficeRoutes } from "./routes/backoffice.js";
import { branchRoutes } from "./routes/branches.js";
import { cardBackupRoutes } from "./routes/card-backup.js";
import { cardRoutes } from "./routes/cards.js";
import { documentRoutes } from "./routes/documents.js";
import { lookupRoutes } from "./routes/lookup.js";
import { notificationRoutes } from "./routes/notifications.js";
import { portalRoutes } from "./routes/portal.js";
import { receiptPublicRoutes, receiptRoutes } from "./routes/receipts.js";
import { tmfRoutes } from "./routes/tmf.js";
import { webhookRoutes } from "./routes/webhooks.js";
import { registerWeb } from "./web.js";

export interface ServerOptions {
  logLevel?: string;
  /** Requests per minute per IP for everything, and for the sign-in endpoints. */
  rateLimit?: { global: number; auth: number };
  /** Where log lines go: standard output (1) unless a file's path is given. */
  logTo?: number | string;
}

export interface RegisteredRoute {
  method: string;
  url: string;
  policy: RoutePolicy;
}

const ROUTES = new WeakMap<object, RegisteredRoute[]>();

/** Every route the server registered, with its policy: the list the policy test is generated from. */
export function registeredRoutes(app: FastifyInstance): RegisteredRoute[] {
  return ROUTES.get(app) ?? [];
}

export async function buildServer(deps: AppDeps, opts: ServerOptions = {}): Promise<FastifyInstance> {
  const level = opts.logLevel ?? deps.config.logLevel;
  // Nothing is opened for a silent server (the tests' many in-process servers).
  const logTo =
    level === "silent" ? null : logDestination(opts.logTo ?? LOG_STDOUT, deps.config.logBufferBytes);
  const app = Fastify({
    logger: {
      level,
      redact: { paths: REDACTED_PATHS, censor: "[redacted]" },
      ...(logTo ? { stream: logTo.stream } : {}),
    },
    bodyLimit: deps.config.bodyLimit,
    trustProxy: deps.config.trustProxy,
    // Request ids in logs and problem documents tie a user's report to the log line.
    genReqId: () => deps.ids.id("req"),
    routerOptions: { ignoreTrailingSlash: true },
    logController: new OneLinePerRequest(),
  }).withTypeProvider<ZodTypeProvider>();

  // Lines still gathered are written when the server closes (graceful shutdown, tests).
  if (logTo) app.addHook("onClose", async () => logTo.close());

  const routes: RegisteredRoute[] = [];
  ROUTES.set(app, routes);
  // Every route must be in the policy table; its rule is checked before the body is validated.
  app.addHook("onRoute", (route) => {
    for (const method of [route.method].flat()) {
      const policy = policyFor(method, route.url);
      if (!policy) {
        throw new Error(
          `route ${method} ${route.url} has no entry in src/http/route-policy.ts: declare who may call it`,
        );
      }
      route.config = { ...(route.config as object), policy } as typeof route.config;
      if (!route.url.startsWith("/docs")) routes.push({ method, url: route.url, policy });
    }
  });
  app.addHook("preValidation", async (req) => {
    const policy = (req.routeOptions.config as { policy?: RoutePolicy }).policy;
    if (policy?.kind === "authenticated") await requireActor(deps, req);
    if (policy?.kind === "api_key") await requireApiKey(deps, req, policy.scope);
    if (policy?.kind === "hmac") requireSignature(deps, req);
    if (policy?.kind === "action") {
      const actor = await requireActor(deps, req);
      if (!can(actor.role as Role, policy.action)) throw new AppError("FORBIDDEN", { action: policy.action });
    }
  });

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  app.setErrorHandler((err, req, reply) => {
    const problem = problemFromError(err, req);
    if (problem.status >= 500) req.log.error({ err }, "request failed");
    return sendProblem(reply, problem);
  });
  app.setNotFoundHandler((req, reply) => sendProblem(reply, problemFor("ROUTE_NOT_FOUND", req)));

  // JSON only: anything else in a body is refused rather than guessed at.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("application/json", { parseAs: "string" }, (_req, body, done) => {
    if (body === "" || body === undefined) return done(null, undefined);
    // Kept for signature checks over the exact bytes (provider webhooks).
    (_req as unknown as { rawBody?: string }).rawBody = body as string;
    try {
      done(null, JSON.parse(body as string));
    } catch {
      const err = new Error("the body is not valid JSON") as Error & { code: string; statusCode: number };
      err.code = "FST_ERR_CTP_INVALID_JSON_BODY";
      err.statusCode = 400;
      done(err, undefined);
    }
  });

  // Security headers (helmet): built once, not per request as the Fastify plugin does (it parses
  // the CSP directives again for every request), and since none depends on the request, recorded
  // once and then set on each reply like any other header.
  const securityHeaders = helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", "data:"],
        connectSrc: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
  });
  const headers = recordedHeaders(securityHeaders);
  app.addHook("onRequest", (_req, reply, done) => {
    reply.headers(headers);
    done();
  });
  await app.register(cookie);
  await app.register(metricsPlugin(deps));
  const limits = opts.rateLimit ?? { global: 600, auth: 30 };
  await app.register(rateLimit, {
    // Many API processes on PostgreSQL share their counters there; one SQLite process keeps its own.
    ...(isPostgresDb(deps.db) ? { store: databaseRateLimitStore(deps.db) } : {}),
    max: limits.global,
    timeWindow: "1 minute",
    errorResponseBuilder: (req, ctx) => {
      const p = problemFor("RATE_LIMITED", req, { params: { retryAfterSeconds: Math.ceil(ctx.ttl / 1000) } });
      return Object.assign(new Error(p.title), { statusCode: 429, code: "RATE_LIMITED" });
    },
  });

  await app.register(swagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "zhuxiao API",
        version: "1",
        description:
          "Cancel smart cards and SIM cards: eligibility, applications, progress. Errors are RFC 9457 problem+json with a stable `code` (see docs/errors.md). Writes take an `Idempotency-Key` header.",
      },
      components: {
        securitySchemes: {
          bearer: { type: "http", scheme: "bearer" },
          cookie: { type: "apiKey", in: "cookie", name: "zx_session" },
        },
      },
      security: [{ bearer: [] }, { cookie: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: "/docs", staticCSP: true });

  app.get("/openapi.json", { schema: { hide: true } }, async () => app.swagger());

  app.get(
    "/healthz",
    { schema: { tags: ["ops"], summary: "Liveness and database reachability" } },
    async (_req, reply) => {
      try {
        await sql`select 1`.execute(deps.db);
        return { status: "ok", database: "ok" };
      } catch {
        return reply.code(503).send({ status: "degraded", database: "unreachable" });
      }
    },
  );

  await app.register(tmfRoutes(deps));
  await app.register(receiptPublicRoutes(deps));

  const authLimit = { max: limits.auth, timeWindow: "1 minute" };
  await app.register(
    async (api) => {
      await api.register(authRoutes(deps, authLimit));
      await api.register(lookupRoutes(deps, authLimit));
      await api.register(cardRoutes(deps));
      await api.register(applicationRoutes(deps));
      await api.register(adminRoutes(deps));
      await api.register(portalRoutes(deps));
      await api.register(documentRoutes(deps));
      await api.register(cardBackupRoutes(deps));
      await api.register(backofficeRoutes(deps));
      await api.register(webhookRoutes(deps));
      await api.register(receiptRoutes(deps));
      await api.register(notificationRoutes(deps));
      await api.register(branchRoutes(deps));
    },
    { prefix: "/api/v1" },
  );
  await registerWeb(app);

  return app;
}

/**
 * The headers a request-independent middleware (helmet with static directives) sets, recorded
 * by running it once against a stand-in response.
 */
function recordedHeaders(
  middleware: (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => void,
): Record<string, string> {
  const headers: Record<string, string> = {};
  const res = {
    setHeader: (name: string, value: unknown) => {
      headers[name.toLowerCase()] = String(value);
    },
    removeHeader: (name: string) => {
      delete headers[name.toLowerCase()];
    },
  };
  let finished = false;
  middleware({ headers: {} } as IncomingMessage, res as unknown as ServerResponse, (err) => {
    if (err) throw err;
    finished = true;
  });
  if (!finished) throw new Error("the security headers middleware did not finish at once");
  return headers;
}
