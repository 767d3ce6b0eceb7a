/**
 * The browser's half of a holder session. The session token itself lives only in the HttpOnly,
 * SameSite `zx_session` cookie, out of reach of scripts, so a script injected into the page could
 * not carry it off. What the page keeps is the CSRF token that must accompany every
 * cookie-authenticated write, with the session's expiry. The CSRF token is no credential on its
 * own (without the cookie it does nothing, and other sites can read neither), so it is kept in
 * localStorage: a reload or a second tab stays signed in, and signing out in one tab signs out all.
 */
import { useSyncExternalStore } from "react";

const KEY = "zx.session";

interface Stored {
  csrfToken: string;
  expiresAt: string;
}

type Listener = () => void;
const listeners = new Set<Listener>();
let current: Stored | null = read();

function read(): Stored | null {
  try {
    const raw = localStorage.getItem(KEY);
    if (!raw) return null;
    const s = JSON.parse(raw) as Stored;
    return Date.parse(s.expiresAt) > Date.now() ? s : null;
  } catch {
    return null;
  }
}

function emit(): void {
  for (const l of listeners) l();
}

export function csrfToken(): string | null {
  return current?.csrfToken ?? null;
}

export function isSignedIn(): boolean {
  return current !== null && Date.parse(current.expiresAt) > Date.now();
}

export function startSession(s: Stored): void {
  current = { csrfToken: s.csrfToken, expiresAt: s.expiresAt };
  try {
    localStorage.setItem(KEY, JSON.stringify(current));
  } catch {
    // Private mode without storage: the session lasts as long as the page.
  }
  emit();
}

/** Forget the session locally (sign-out, or the server said it is no longer valid). */
export function endSession(reason: "signed_out" | "expired" = "signed_out"): void {
  const had = current !== null;
  current = null;
  try {
    localStorage.removeItem(KEY);
    if (had && reason === "expired") sessionStorage.setItem("zx.expired", "1");
  } catch {
    // nothing stored to remove
  }
  if (had) emit();
}

/** Whether the last session ended because it expired (read once, for the sign-in page's notice). */
export function takeExpiredNotice(): boolean {
  try {
    const v = sessionStorage.getItem("zx.expired");
    sessionStorage.removeItem("zx.expired");
    return v === "1";
  } catch {
    return false;
  }
}

// Another tab signed in or out: follow it.
window.addEventListener("storage", (e) => {
  if (e.key !== KEY) return;
  current = read();
  emit();
});

function subscribe(l: Listener): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}

export function useSignedIn(): boolean {
  return useSyncExternalStore(subscribe, isSignedIn, isSignedIn);
}
