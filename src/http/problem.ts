/**
 * RFC 9457 problem+json from the error catalogue, titled in the caller's language.
 */
import type { FastifyReply, FastifyRequest } from "fastify";
import { hasZodFastifySchemaValidationErrors } from "fastify-type-provider-zod";
import { AppError, ERROR_CATALOGUE, type ErrorCode, i18nKeyOf } from "../app/errors.js";
import { isDatabaseUnavailableError } from "../db/postgres.js";

export type Lang = "zh-CN" | "en";

/** zh-CN unless the caller prefers English (Accept-Language or `?lang=en`). */
export function languageOf(req: FastifyRequest): Lang {
  const q = (req.query as Record<string, unknown> | undefined)?.lang;
  if (q === "en" || q === "zh-CN") return q;
  const header = req.headers["accept-language"] ?? "";
  const first = header.split(",")[0]?.trim().toLowerCase() ?? "";
  return first.startsWith("en") ? "en" : "zh-CN";
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance: string;
  code: ErrorCode;
  i18nKey: string;
  params?: Record<string, unknown>;
  errors?: Array<{ path: string; message: string }>;
  requestId: string;
}

export function problemFor(code: ErrorCode, req: FastifyRequest, extra: Partial<Problem> = {}): Problem {
  const spec = ERROR_CATALOGUE[code];
  const lang = languageOf(req);
  return {
    type: `urn:zhuxiao:problem:${code.toLowerCase().replaceAll("_", "-")}`,
    title: lang === "en" ? spec.en : spec.zh,
    status: spec.status,
    instance: req.url.split("?")[0] ?? req.url,
    code,
    i18nKey: i18nKeyOf(code),
    requestId: String(req.id),
    ...extra,
  };
}

export function sendProblem(reply: FastifyReply, problem: Problem): FastifyReply {
  if (
    problem.code === "OTP_COOLDOWN" ||
    problem.code === "RATE_LIMITED" ||
    problem.code === "DATABASE_UNAVAILABLE"
  ) {
    const after = problem.params?.retryAfterSeconds;
    if (typeof after === "number") reply.header("retry-after", String(after));
  }
  return reply.code(problem.status).type("application/problem+json").send(problem);
}

/** Maps anything thrown in a request to a catalogue problem; unknown errors are logged as bugs. */
export function problemFromError(err: unknown, req: FastifyRequest): Problem {
  if (err instanceof AppError) {
    return problemFor(
      err.code,
      req,
      Object.keys(err.params).length ? { params: err.params, detail: err.message } : { detail: err.message },
    );
  }
  if (hasZodFastifySchemaValidationErrors(err)) {
    return problemFor("VALIDATION_FAILED", req, {
      // instancePath is a JSON pointer ("/unbinding/0/reason"); clients get "unbinding.0.reason".
      errors: err.validation.map((v) => ({
        path: v.instancePath.replace(/^\//, "").replaceAll("/", ".") || "(body)",
        message: v.message ?? "invalid",
      })),
      detail: `invalid ${err.validationContext ?? "request"}`,
    });
  }
  const e = err as { code?: string; statusCode?: number; message?: string };
  switch (e.code) {
    case "FST_ERR_CTP_INVALID_JSON_BODY":
    case "FST_ERR_CTP_EMPTY_JSON_BODY":
      return problemFor("MALFORMED_JSON", req, { detail: e.message });
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return problemFor("PAYLOAD_TOO_LARGE", req);
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
    case "FST_ERR_CTP_INVALID_CONTENT_LENGTH":
      return problemFor("UNSUPPORTED_MEDIA_TYPE", req, { detail: e.message });
  }
  if (e.statusCode === 429) return problemFor("RATE_LIMITED", req);
  if (e.statusCode === 400 && e.message?.includes("JSON"))
    return problemFor("MALFORMED_JSON", req, { detail: e.message });
  if (e.statusCode && e.statusCode >= 400 && e.statusCode < 500) {
    return problemFor("VALIDATION_FAILED", req, { detail: e.message });
  }
  if (isDatabaseUnavailableError(err)) {
    return problemFor("DATABASE_UNAVAILABLE", req, { params: { retryAfterSeconds: 2 } });
  }
  if (e.code === "SQLITE_BUSY" || e.code === "SQLITE_FULL" || e.code === "SQLITE_IOERR")
    return problemFor("SERVICE_UNAVAILABLE", req);
  return problemFor("INTERNAL", req);
}
