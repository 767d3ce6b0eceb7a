/**
 * What to tell the holder about a failed call, in their language: the catalogue text for the
 * problem's code (`errors.<CODE>`, generated from the server's catalogue), a hint on what to do
 * where there is one (`errorHints.<CODE>`), and the request id to quote to support.
 */
import type { TFunction } from "i18next";
import { ApiError } from "../api/client";

const CLIENT_CODES = new Set(["NETWORK", "BAD_RESPONSE"]);

export interface ErrorText {
  title: string;
  hint: string | null;
  requestId: string | null;
  code: string;
}

function hintParams(err: ApiError, t: TFunction): Record<string, unknown> {
  const p = err.params;
  const missing = Array.isArray(p.missing) ? (p.missing as string[]) : [];
  return {
    ...p,
    missing: missing.map((k) => t(`documents.kind.${k}`)).join(t("common.listSeparator")),
    seconds: p.retryAfterSeconds ?? "",
  };
}

export function describeError(err: unknown, t: TFunction): ErrorText {
  if (!(err instanceof ApiError)) {
    return {
      title: t("clientErrors.UNEXPECTED"),
      hint: t("errorHints.UNEXPECTED"),
      requestId: null,
      code: "UNEXPECTED",
    };
  }
  if (err.code === "BATCH_ITEM_FAILED" && typeof err.params.cause === "string") {
    const inner = new ApiError(err.status, err.params.cause, err.message, {
      params: (err.params.causeParams as Record<string, unknown>) ?? {},
    });
    const cause = describeError(inner, t);
    return {
      title: t("errors.BATCH_ITEM_FAILED"),
      hint: t("errorHints.BATCH_ITEM_FAILED", {
        applicationNumber: String(err.params.applicationNumber ?? ""),
        cause: cause.title,
      }),
      requestId: err.requestId,
      code: err.code,
    };
  }
  // NETWORK and BAD_RESPONSE are the browser's own; every other code is the server catalogue's.
  const key = CLIENT_CODES.has(err.code) ? `clientErrors.${err.code}` : err.i18nKey;
  const title = t(key, { defaultValue: err.message || t("clientErrors.UNEXPECTED") });
  const hintKey = `errorHints.${err.code}`;
  const hint = t(hintKey, { ...hintParams(err, t), defaultValue: "" }) || null;
  return { title, hint, requestId: err.requestId, code: err.code };
}

/** The message of a field-level problem, when the server names the field. */
export function fieldOf(err: unknown): string | null {
  if (!(err instanceof ApiError)) return null;
  const f = err.params.field;
  return typeof f === "string" ? f : (err.fieldErrors[0]?.path ?? null);
}
