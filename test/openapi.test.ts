import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Harness } from "./support/harness.js";

describe("API description", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start({ seed: false });
  });
  afterAll(() => h.close());

  it("serves OpenAPI 3 at /openapi.json listing every endpoint", async () => {
    const r = await h.inject({ method: "GET", url: "/openapi.json" });
    expect(r.statusCode).toBe(200);
    const doc = r.json() as { openapi: string; paths: Record<string, Record<string, unknown>> };
    expect(doc.openapi).toMatch(/^3\./);
    const expected: Array<[string, string]> = [
      ["post", "/api/v1/auth/otp"],
      ["post", "/api/v1/auth/otp/verify"],
      ["post", "/api/v1/auth/login"],
      ["get", "/api/v1/me/cards"],
      ["get", "/api/v1/cards/{id}/eligibility"],
      ["post", "/api/v1/applications"],
      ["get", "/api/v1/applications"],
      ["get", "/api/v1/applications/{id}"],
      ["patch", "/api/v1/applications/{id}"],
      ["post", "/api/v1/applications/{id}/approve"],
      ["post", "/api/v1/lookup/otp"],
      ["post", "/api/v1/lookup/verify"],
      ["get", "/healthz"],
    ];
    for (const [method, path] of expected)
      expect(doc.paths[path]?.[method], `${method} ${path}`).toBeDefined();
  });

  it("serves the docs UI at /docs", async () => {
    const r = await h.inject({ method: "GET", url: "/docs/" });
    expect(r.statusCode).toBe(200);
    expect(r.headers["content-type"]).toContain("text/html");
  });

  it("answers /healthz with the database state", async () => {
    const r = await h.inject({ method: "GET", url: "/healthz" });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual({ status: "ok", database: "ok" });
  });

  it("answers an unknown route with problem+json", async () => {
    const r = await h.inject({ method: "GET", url: "/api/v1/nope" });
    expect(r.statusCode).toBe(404);
    expect(r.headers["content-type"]).toContain("application/problem+json");
    expect(r.json()).toMatchObject({ code: "ROUTE_NOT_FOUND", status: 404 });
  });
});

describe("security headers", () => {
  it("sends a CSP that allows only same-origin scripts, HSTS, and no CORS grant", async () => {
    const h = await Harness.start({ seed: false });
    try {
      const r = await h.inject({
        method: "GET",
        url: "/healthz",
        headers: { origin: "https://evil.example" },
      });
      expect(r.headers["content-security-policy"]).toContain("script-src 'self'");
      expect(r.headers["content-security-policy"]).toContain("frame-ancestors 'none'");
      expect(r.headers["strict-transport-security"]).toMatch(/max-age=\d+/);
      expect(r.headers["x-content-type-options"]).toBe("nosniff");
      expect(r.headers["x-frame-options"]).toBe("SAMEORIGIN");
      expect(r.headers["cross-origin-opener-policy"]).toBe("same-origin");
      expect(r.headers["cross-origin-resource-policy"]).toBe("same-origin");
      expect(r.headers["referrer-policy"]).toBe("no-referrer");
      expect(r.headers["x-permitted-cross-domain-policies"]).toBe("none");
      expect(r.headers["x-powered-by"]).toBeUndefined();
      expect(r.headers["access-control-allow-origin"]).toBeUndefined();
      // Error answers carry them too.
      const missing = await h.inject({ method: "GET", url: "/api/v1/no-such-thing" });
      expect(missing.statusCode).toBe(404);
      expect(missing.headers["content-security-policy"]).toBe(r.headers["content-security-policy"]);
      const pre = await h.inject({
        method: "OPTIONS",
        url: "/api/v1/applications",
        headers: { origin: "https://evil.example", "access-control-request-method": "POST" },
      });
      expect(pre.headers["access-control-allow-origin"]).toBeUndefined();
    } finally {
      await h.close();
    }
  });
});
