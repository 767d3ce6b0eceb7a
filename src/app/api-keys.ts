/**
 * API keys for provider systems: `zk_<id>.<secret>`, shown once at creation; only a SHA-256 of
 * the secret is stored. A key acts for one provider and carries scopes (e.g. `tmf`).
 */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { appendAudit } from "../db/audit-repository.js";
import { inTransaction } from "../db/connect.js";
import type { Actor, AppDeps } from "./context.js";
import { AppError } from "./errors.js";

function digest(secret: string): Buffer {
  return createHash("sha256").update(secret).digest();
}

export async function createApiKey(
  deps: AppDeps,
  input: { providerCode: string; name: string; scopes: string[] },
): Promise<{ id: string; key: string }> {
  const provider = await deps.db
    .selectFrom("providers")
    .select("id")
    .where("code", "=", input.providerCode)
    .executeTakeFirst();
  if (!provider) throw new AppError("NOT_FOUND", { provider: input.providerCode });
  const id = deps.ids.id("key");
  const secret = randomBytes(32).toString("base64url");
  const now = deps.clock.now().toISOString();
  await inTransaction(deps.db, async (tx) => {
    await tx
      .insertInto("apiKeys")
      .values({
        id,
        name: input.name,
        providerId: provider.id,
        secretHash: digest(secret).toString("hex"),
        scopes: input.scopes.join(","),
        createdAt: now,
        revokedAt: null,
      })
      .execute();
    await appendAudit(tx, {
      id: deps.ids.id("evt"),
      entityType: "api_key",
      entityId: id,
      applicationId: null,
      action: "api_key.create",
      actorType: "system",
      actorId: "cli",
      after: { name: input.name, providerId: provider.id, scopes: input.scopes },
      at: now,
    });
  });
  return { id, key: `zk_${id}.${secret}` };
}

/** The provider actor behind a key, or null; `scope` must be one of the key's scopes. */
export async function resolveApiKey(deps: AppDeps, key: string, scope: string): Promise<Actor | null> {
  const m = /^zk_(key_[0-9a-f]{32})\.([A-Za-z0-9_-]{20,100})$/.exec(key);
  if (!m) return null;
  const row = await deps.db.selectFrom("apiKeys").selectAll().where("id", "=", m[1]!).executeTakeFirst();
  if (!row || row.revokedAt) return null;
  const expected = Buffer.from(row.secretHash, "hex");
  const given = digest(m[2]!);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  if (!row.scopes.split(",").includes(scope)) throw new AppError("FORBIDDEN", { scope });
  return { type: "provider", id: row.id, role: "provider", providerId: row.providerId };
}
