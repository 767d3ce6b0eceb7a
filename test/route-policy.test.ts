import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { can, type Role } from "../src/domain/policy.js";
import { registeredRoutes } from "../src/http/server.js";
import { D } from "./support/demo.js";
import { Harness, newKey, type Session } from "./support/harness.js";

/**
 * Generated from the server's own route list: every route is called by every role, and the answer
 * must agree with the policy table. A route added without a policy stops the server from starting.
 */
describe("every route against every role", () => {
  let h: Harness;
  const sessions: Partial<Record<Role | "anonymous", Session | null>> = {};
  beforeAll(async () => {
    h = await Harness.start();
    sessions.anonymous = null;
    sessions.holder = await h.signInHolder(D.cleanSim.phone);
    sessions.agent = await h.signInStaff("agent");
    sessions.supervisor = await h.signInStaff("supervisor");
    sessions.admin = await h.signInStaff("admin");
  });
  afterAll(() => h.close());

  it("knows a policy for every route (the list is not empty)", () => {
    const routes = registeredRoutes(h.app);
    expect(routes.length).toBeGreaterThan(40);
    for (const r of routes) expect(r.policy, `${r.method} ${r.url}`).toBeDefined();
  });

  it("answers each role as the policy says", async () => {
    const failures: string[] = [];
    for (const r of registeredRoutes(h.app)) {
      // Signing out would end the sessions the rest of the probe uses; it is public anyway.
      if (r.method === "HEAD" || r.url === "/api/v1/auth/logout") continue;
      const url = r.url.replaceAll(/:[A-Za-z]+/g, "x-probe");
      for (const [role, session] of Object.entries(sessions)) {
        const res = await h.inject({
          method: r.method as "GET",
          url,
          headers: {
            ...(session?.headers ?? {}),
            "idempotency-key": newKey("probe"),
            ...(r.method === "GET" ? {} : { "content-type": "application/json" }),
          },
          ...(r.method === "GET" || r.method === "DELETE" ? {} : { payload: "{}" }),
        });
        const body = String(res.headers["content-type"] ?? "").includes("json")
          ? (res.json() as { code?: string; params?: { action?: string } })
          : {};
        const deniedByPolicy = res.statusCode === 403 && body.code === "FORBIDDEN";
        const unauthenticated = res.statusCode === 401;
        const p = r.policy;
        const where = `${role} → ${r.method} ${r.url} = ${res.statusCode} ${body.code ?? ""}`;
        if (res.statusCode >= 500) failures.push(`5xx: ${where}`);
        if (p.kind === "public" && (deniedByPolicy || body.code === "UNAUTHENTICATED"))
          failures.push(`public refused: ${where}`);
        if (p.kind === "authenticated" && (role === "anonymous") !== unauthenticated)
          failures.push(`authenticated: ${where}`);
        if (p.kind === "action") {
          if (role === "anonymous") {
            if (!unauthenticated) failures.push(`anonymous let through: ${where}`);
          } else {
            const allowed = can(role as Role, p.action);
            // Allowed: nothing may refuse it, not even the use case (the table and the use case agree).
            // Not allowed: refused, naming this action.
            const refused = deniedByPolicy && body.params?.action === p.action;
            if (allowed && deniedByPolicy) failures.push(`allowed role refused: ${where}`);
            if (!allowed && !refused) failures.push(`forbidden role let through: ${where}`);
          }
        }
        if ((p.kind === "api_key" || p.kind === "hmac") && !unauthenticated)
          failures.push(`needs a key or signature: ${where}`);
      }
    }
    expect(failures).toEqual([]);
  });
});
