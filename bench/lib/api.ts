/** Calls to the real server that benchmarks need around their measurements. */
import { BENCH_STAFF_PASSWORDS } from "./dataset.js";
import type { RequestSpec } from "./load.js";

export async function staffToken(
  port: number,
  username: keyof typeof BENCH_STAFF_PASSWORDS,
): Promise<string> {
  const r = await fetch(`http://127.0.0.1:${port}/api/v1/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username, password: BENCH_STAFF_PASSWORDS[username] }),
  });
  if (!r.ok) throw new Error(`login failed: ${r.status} ${await r.text()}`);
  return ((await r.json()) as { token: string }).token;
}

/** An agent at a counter creating and submitting an application in one request. */
export function submitRequest(token: string, cardId: string, key: string): RequestSpec {
  return {
    method: "POST",
    path: "/api/v1/applications",
    headers: { authorization: `Bearer ${token}`, "idempotency-key": key },
    body: JSON.stringify({ cardId, submit: true, backup: { status: "done" } }),
  };
}

export function readRequest(token: string, applicationId: string): RequestSpec {
  return {
    method: "GET",
    path: `/api/v1/applications/${applicationId}`,
    headers: { authorization: `Bearer ${token}` },
  };
}
