/**
 * Staff second factor (TOTP, RFC 6238): enrol (a secret shown once as an otpauth URI for an
 * authenticator app), confirm with a first code, and check codes at sign-in.
 */
import { createHmac, randomBytes } from "node:crypto";
import { appendAudit } from "../../db/audit-repository.js";
import { inTransaction } from "../../db/connect.js";
import type { StaffRow } from "../../db/schema.js";
import { base32Decode, base32Encode, totpMatches } from "../../domain/totp.js";
import type { Actor, AppDeps } from "../context.js";
import { AppError } from "../errors.js";

const hmacSha1 = (key: Uint8Array, msg: Uint8Array) =>
  new Uint8Array(createHmac("sha1", key).update(msg).digest());

export function totpValid(deps: AppDeps, staff: Pick<StaffRow, "totpSecretSealed">, code: string): boolean {
  if (!staff.totpSecretSealed) return false;
  const key = base32Decode(deps.vault.decrypt(staff.totpSecretSealed));
  return totpMatches(hmacSha1, key, code, deps.clock.now().getTime());
}

function requireStaff(actor: Actor): Extract<Actor, { type: "staff" }> {
  if (actor.type !== "staff") throw new AppError("FORBIDDEN", { action: "staff.totp" });
  return actor;
}

/** Starts (or restarts, while not yet confirmed) enrolment; the secret is returned this once. */
export async function beginTotpEnrolment(
  deps: AppDeps,
  actor: Actor,
): Promise<{ secret: string; otpauthUri: string }> {
  const me = requireStaff(actor);
  const staff = await deps.db
    .selectFrom("staff")
    .selectAll()
    .where("id", "=", me.id)
    .executeTakeFirstOrThrow();
  if (staff.totpEnabled === 1)
    throw new AppError("TRANSITION_NOT_ALLOWED", { transition: "totp_enrol", status: "enabled" });
  const secret = base32Encode(randomBytes(20));
  await deps.db
    .updateTable("staff")
    .set({ totpSecretSealed: deps.vault.encrypt(secret) })
    .where("id", "=", me.id)
    .execute();
  const label = encodeURIComponent(`zhuxiao:${staff.username}`);
  return {
    secret,
    otpauthUri: `otpauth://totp/${label}?secret=${secret}&issuer=zhuxiao&algorithm=SHA1&digits=6&period=30`,
  };
}

export async function confirmTotpEnrolment(
  deps: AppDeps,
  actor: Actor,
  input: { code: string },
): Promise<{ enabled: true }> {
  const me = requireStaff(actor);
  return inTransaction(deps.db, async (tx) => {
    const staff = await tx.selectFrom("staff").selectAll().where("id", "=", me.id).executeTakeFirstOrThrow();
    if (!totpValid(deps, staff, input.code)) throw new AppError("TOTP_INVALID");
    await tx.updateTable("staff").set({ totpEnabled: 1 }).where("id", "=", me.id).execute();
    await appendAudit(tx, {
      id: deps.ids.id("evt"),
      entityType: "staff",
      entityId: me.id,
      applicationId: null,
      action: "staff.totp_enabled",
      actorType: actor.type,
      actorId: actor.id,
      at: deps.clock.now().toISOString(),
    });
    return { enabled: true as const };
  });
}
