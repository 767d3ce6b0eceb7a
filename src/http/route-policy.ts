/**
 * Every route's access rule, declared in one table (role × action lives in src/domain/policy.ts).
 * The server refuses to start with a route missing here, and checks the rule before validation,
 * so a new endpoint cannot ship without saying who may call it; the use case checks again.
 */
import type { Action } from "../domain/policy.js";
import { TRANSITIONS } from "../domain/states.js";
import { BRANCH_ROUTE_POLICIES } from "./routes/branches.js";

export type RoutePolicy =
  | { kind: "public" }
  /** Any signed-in actor; the use case narrows (e.g. holders see only their own). */
  | { kind: "authenticated" }
  | { kind: "action"; action: Action }
  /** Provider systems: an API key with this scope (TMF interface). */
  | { kind: "api_key"; scope: string }
  /** Provider callbacks signed with the shared HMAC secret. */
  | { kind: "hmac" };

const pub: RoutePolicy = { kind: "public" };
const act = (action: Action): RoutePolicy => ({ kind: "action", action });

export const ROUTE_POLICIES: Readonly<Record<string, RoutePolicy>> = {
  "GET /healthz": pub,
  /** Open when ZHUXIAO_METRICS_TOKEN is unset: keep it off the public interface (docs/deploy.md). */
  "GET /metrics": pub,
  "GET /openapi.json": pub,
  "POST /api/v1/auth/otp": pub,
  "POST /api/v1/auth/otp/verify": pub,
  "POST /api/v1/auth/login": pub,
  "POST /api/v1/auth/logout": pub,
  "POST /api/v1/lookup/otp": pub,
  "POST /api/v1/lookup/verify": pub,
  "GET /api/v1/me": { kind: "authenticated" },
  "POST /api/v1/me/totp": { kind: "authenticated" },
  "POST /api/v1/me/totp/confirm": { kind: "authenticated" },
  "PATCH /api/v1/me": act("me.update"),
  "GET /api/v1/me/cards": act("card.list_own"),
  "GET /api/v1/cards/:id/eligibility": act("eligibility.read"),
  "GET /api/v1/cards/:id/backup": act("card.read"),
  "GET /api/v1/cards/:id/backup/transactions.csv": act("card.read"),
  "POST /api/v1/cards/:id/restore-number": act("number.restore"),
  "POST /api/v1/applications": act("application.create"),
  "GET /api/v1/applications": { kind: "authenticated" },
  "GET /api/v1/applications/:id": act("application.read"),
  "PATCH /api/v1/applications/:id": act("application.update_draft"),
  "GET /api/v1/applications/:id/processing": act("application.read"),
  "GET /api/v1/applications/:id/documents": act("application.read"),
  "POST /api/v1/applications/:id/documents": act("application.update_draft"),
  "GET /api/v1/applications/:id/documents/:docId": act("application.read"),
  "DELETE /api/v1/applications/:id/documents/:docId": act("application.update_draft"),
  "POST /api/v1/applications/:id/sim-backup": act("application.update_draft"),
  ...Object.fromEntries(
    TRANSITIONS.map((t) => [`POST /api/v1/applications/:id/${t}`, act(`application.${t}`)]),
  ),
  "POST /api/v1/batches": act("application.create"),
  "GET /api/v1/batches/:id": act("application.read"),
  "POST /api/v1/batches/:id/submit": act("application.submit"),
  "POST /api/v1/holders/lookup": act("holder.lookup"),
  "GET /api/v1/providers": { kind: "authenticated" },
  "GET /api/v1/stats": act("stats.read"),
  "POST /api/v1/staff": act("staff.add"),
  "GET /api/v1/audit/verify": act("audit.verify"),
  "GET /api/v1/applications/:id/receipt": act("application.read"),
  "GET /api/v1/applications/:id/receipt.pdf": act("application.read"),
  "GET /api/v1/applications/:id/certificate": act("application.read"),
  "GET /api/v1/applications/:id/certificate.pdf": act("application.read"),
  "POST /api/v1/receipts/verify": pub,
  "GET /api/v1/me/notifications": act("me.update"),
  "PUT /api/v1/me/notifications": act("me.update"),
  ...BRANCH_ROUTE_POLICIES,
  "GET /.well-known/jwks.json": pub,
  "GET /verify": pub,
  "GET /verify.js": pub,
  "POST /api/v1/webhooks/:provider": { kind: "hmac" },
  "POST /tmf-api/productOrderingManagement/v4/productOrder": { kind: "api_key", scope: "tmf" },
  "GET /tmf-api/productOrderingManagement/v4/productOrder/:id": { kind: "api_key", scope: "tmf" },
  "POST /tmf-api/productOrderingManagement/v4/cancelProductOrder": { kind: "api_key", scope: "tmf" },
  "GET /tmf-api/productInventory/v4/product/:id": { kind: "api_key", scope: "tmf" },
};

/** The rule for a route; the documentation UI's own routes are public. */
export function policyFor(method: string, url: string): RoutePolicy | undefined {
  if (url === "/docs" || url.startsWith("/docs/")) return pub;
  const m = method === "HEAD" ? "GET" : method;
  return ROUTE_POLICIES[`${m} ${url}`];
}
