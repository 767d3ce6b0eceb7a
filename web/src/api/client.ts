/**
 * Every call to the API goes through here: same-origin cookie session, the CSRF token and an
 * Idempotency-Key on writes, the page's language for problem titles, and problem+json turned into
 * an ApiError the pages can explain. Writes are retried on network failure with the same key, which
 * the server turns into a replay of the first answer, so a retry can never act twice.
 */
import { csrfToken, endSession } from "./session";

export const API = "/api/v1";

/** `NETWORK` when the server could not be reached; otherwise a code from the error catalogue. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  /** The problem's `i18nKey` (`errors.<CODE>`), the key of its text in the portal's locales. */
  readonly i18nKey: string;
  readonly params: Record<string, unknown>;
  readonly requestId: string | null;
  readonly fieldErrors: Array<{ path: string; message: string }>;

  constructor(
    status: number,
    code: string,
    title: string,
    extra: {
      params?: Record<string, unknown>;
      requestId?: string | null;
      fieldErrors?: Array<{ path: string; message: string }>;
      i18nKey?: string;
    } = {},
  ) {
    super(title);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.i18nKey = extra.i18nKey ?? `errors.${code}`;
    this.params = extra.params ?? {};
    this.requestId = extra.requestId ?? null;
    this.fieldErrors = extra.fieldErrors ?? [];
  }

  /** Worth trying again as is: the network, or the server said it is briefly unavailable. */
  get transient(): boolean {
    return this.code === "NETWORK" || this.status === 502 || this.status === 503 || this.status === 504;
  }
}

let language = "zh-CN";
export function setApiLanguage(lang: string): void {
  language = lang;
}

export interface RequestOptions {
  body?: unknown;
  /** Raw bytes (document uploads) sent with their own content type instead of JSON. */
  raw?: Blob;
  contentType?: string;
  /** Required by the server on every write except sign-in and lookup. */
  idempotencyKey?: string;
  /** Sign-in and lookup calls must not be retried automatically (a code is single-use). */
  retry?: boolean;
  signal?: AbortSignal;
}

const WRITE_RETRY_DELAYS_MS = [400, 1200];

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

async function toError(res: Response): Promise<ApiError> {
  const type = res.headers.get("content-type") ?? "";
  if (type.includes("json")) {
    try {
      const p = (await res.json()) as {
        code?: string;
        i18nKey?: string;
        title?: string;
        params?: Record<string, unknown>;
        requestId?: string;
        errors?: Array<{ path: string; message: string }>;
      };
      if (p.code) {
        return new ApiError(res.status, p.code, p.title ?? p.code, {
          i18nKey: p.i18nKey,
          params: p.params ?? {},
          requestId: p.requestId ?? null,
          fieldErrors: p.errors ?? [],
        });
      }
    } catch {
      // fall through to the generic answer below
    }
  }
  return new ApiError(res.status, res.status >= 500 ? "INTERNAL" : "BAD_RESPONSE", res.statusText);
}

async function once<T>(method: string, path: string, opts: RequestOptions): Promise<T> {
  const headers: Record<string, string> = { "accept-language": language, accept: "application/json" };
  let body: BodyInit | undefined;
  if (opts.raw) {
    body = opts.raw;
    headers["content-type"] = opts.contentType ?? "application/octet-stream";
  } else if (opts.body !== undefined) {
    body = JSON.stringify(opts.body);
    headers["content-type"] = "application/json";
  }
  if (method !== "GET") {
    const csrf = csrfToken();
    if (csrf) headers["x-csrf-token"] = csrf;
    if (opts.idempotencyKey) headers["idempotency-key"] = opts.idempotencyKey;
  }
  let res: Response;
  try {
    res = await fetch(`${API}${path}`, {
      method,
      headers,
      body,
      credentials: "same-origin",
      signal: opts.signal,
    });
  } catch (err) {
    if (opts.signal?.aborted) throw err;
    throw new ApiError(0, "NETWORK", "network error");
  }
  if (!res.ok) {
    const err = await toError(res);
    if (err.code === "UNAUTHENTICATED" && !path.startsWith("/auth/")) endSession("expired");
    throw err;
  }
  if (res.status === 204) return undefined as T;
  const type = res.headers.get("content-type") ?? "";
  if (!type.includes("json")) return (await res.text()) as T;
  return (await res.json()) as T;
}

/**
 * One API call. A write that carries an Idempotency-Key is retried on transient failures with the
 * same key; reads are retried by the query cache instead.
 */
export async function api<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  const retries =
    method !== "GET" && opts.idempotencyKey && opts.retry !== false ? WRITE_RETRY_DELAYS_MS : [];
  for (let attempt = 0; ; attempt++) {
    try {
      return await once<T>(method, path, opts);
    } catch (err) {
      const delay = retries[attempt];
      if (!(err instanceof ApiError) || !err.transient || delay === undefined) throw err;
      await sleep(delay);
    }
  }
}

/** A fresh Idempotency-Key for one user intent (8–128 of `A-Za-z0-9_.:-`). */
export function newIdempotencyKey(intent: string): string {
  const random =
    typeof crypto.randomUUID === "function"
      ? crypto.randomUUID()
      : Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join(
          "",
        );
  return `${intent.replace(/[^A-Za-z0-9_.:-]/g, "-").slice(0, 60)}.${random}`;
}
