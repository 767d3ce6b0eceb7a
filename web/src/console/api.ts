/**
 * The console's half of a staff session and its calls to the API. The session token is the same
 * HttpOnly cookie the portal uses; the CSRF token is kept here (this tab only), apart from the
 * holder portal's, so a staff sign-in never makes the portal think a holder is signed in.
 * Failures are ApiErrors, so the shared `errors.<CODE>` texts explain them.
 */
import { QueryClient } from "@tanstack/react-query";
import { useSyncExternalStore } from "react";
import { API, ApiError, newIdempotencyKey } from "../api/client";
import { currentLanguage } from "../i18n";

const KEY = "zx.console";

export interface StaffSession {
  csrfToken: string;
  expiresAt: string;
  role: string;
  id: string;
}

let current: StaffSession | null = read();
const listeners = new Set<() => void>();

function read(): StaffSession | null {
  try {
    const raw = sessionStorage.getItem(KEY);
    if (!raw) return null;
    const s = JSON.parse(raw) as StaffSession;
    return Date.parse(s.expiresAt) > Date.now() ? s : null;
  } catch {
    return null;
  }
}

function emit() {
  for (const l of listeners) l();
}

export function startStaffSession(s: StaffSession): void {
  current = s;
  try {
    sessionStorage.setItem(KEY, JSON.stringify(s));
  } catch {
    // no storage: the session lasts as long as the page
  }
  emit();
}

export function endStaffSession(): void {
  current = null;
  try {
    sessionStorage.removeItem(KEY);
  } catch {
    // nothing to remove
  }
  consoleQueryClient.clear();
  emit();
}

export function useStaffSession(): StaffSession | null {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => current,
    () => current,
  );
}

export const isSupervisor = (s: StaffSession | null) => s?.role === "supervisor" || s?.role === "admin";

export const consoleQueryClient = new QueryClient({
  defaultOptions: {
    queries: {
      retry: (n, err) => n < 2 && err instanceof ApiError && err.transient,
      staleTime: 5_000,
      refetchOnWindowFocus: true,
    },
    mutations: { retry: false },
  },
});

async function toError(res: Response): Promise<ApiError> {
  try {
    const p = (await res.json()) as {
      code?: string;
      title?: string;
      params?: Record<string, unknown>;
      requestId?: string;
      errors?: Array<{ path: string; message: string }>;
    };
    if (p.code)
      return new ApiError(res.status, p.code, p.title ?? p.code, {
        params: p.params ?? {},
        requestId: p.requestId ?? null,
        fieldErrors: p.errors ?? [],
      });
  } catch {
    // not problem+json
  }
  return new ApiError(res.status, res.status >= 500 ? "INTERNAL" : "BAD_RESPONSE", res.statusText);
}

/** One call as the signed-in member of staff; writes carry the CSRF token and the intent's key. */
export async function staffApi<T>(
  method: string,
  path: string,
  opts: { body?: unknown; idempotencyKey?: string } = {},
): Promise<T> {
  const headers: Record<string, string> = {
    accept: "application/json",
    "accept-language": currentLanguage(),
  };
  if (opts.body !== undefined) headers["content-type"] = "application/json";
  if (method !== "GET") {
    if (current?.csrfToken) headers["x-csrf-token"] = current.csrfToken;
    if (opts.idempotencyKey) headers["idempotency-key"] = opts.idempotencyKey;
  }
  let res: Response;
  try {
    res = await fetch(`${API}${path}`, {
      method,
      headers,
      credentials: "same-origin",
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    });
  } catch {
    throw new ApiError(0, "NETWORK", "network error");
  }
  if (!res.ok) {
    const err = await toError(res);
    if (err.code === "UNAUTHENTICATED" && !path.startsWith("/auth/")) endStaffSession();
    throw err;
  }
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

export { newIdempotencyKey };
export const apiUrl = (path: string) => `${API}${path}`;
