/** Staff sign-in with username and password; five failures in a row lock the account for 15 minutes. */
import type { AppDeps } from "../context.js";
import { AppError } from "../errors.js";
import { type IssuedSession, issueSession } from "./sessions.js";
import { totpValid } from "./staff-totp.js";

export const STAFF_MAX_FAILURES = 5;
export const STAFF_LOCK_MINUTES = 15;

// Verified against when the username is unknown, so both paths take the same time.
let dummyHash: string | undefined;

export async function staffSignIn(
  deps: AppDeps,
  input: { username: string; password: string; totp?: string },
): Promise<IssuedSession> {
  const staff = await deps.db
    .selectFrom("staff")
    .selectAll()
    .where("username", "=", input.username)
    .executeTakeFirst();
  const now = deps.clock.now();
  if (!staff) {
    dummyHash ??= await deps.hasher.hash("not-a-real-password-0000");
    await deps.hasher.verify(dummyHash, input.password);
    throw new AppError("LOGIN_FAILED");
  }
  if (staff.lockedUntil && staff.lockedUntil > now.toISOString())
    throw new AppError("ACCOUNT_LOCKED", { until: staff.lockedUntil });
  const passwordOk = await deps.hasher.verify(staff.passwordHash, input.password);
  // With a second factor, a missing code says so without counting; a wrong one counts like a wrong password.
  if (passwordOk && staff.totpEnabled === 1 && !input.totp) throw new AppError("TOTP_REQUIRED");
  const totpOk = staff.totpEnabled !== 1 || totpValid(deps, staff, input.totp ?? "");
  if (!passwordOk || !totpOk) {
    const failures = staff.failedLogins + 1;
    const lock = failures >= STAFF_MAX_FAILURES;
    await deps.db
      .updateTable("staff")
      .set({
        failedLogins: lock ? 0 : failures,
        lockedUntil: lock
          ? new Date(now.getTime() + STAFF_LOCK_MINUTES * 60_000).toISOString()
          : staff.lockedUntil,
      })
      .where("id", "=", staff.id)
      .execute();
    throw new AppError(lock ? "ACCOUNT_LOCKED" : passwordOk ? "TOTP_INVALID" : "LOGIN_FAILED");
  }
  await deps.db
    .updateTable("staff")
    .set({ failedLogins: 0, lockedUntil: null })
    .where("id", "=", staff.id)
    .execute();
  return issueSession(deps, deps.db, {
    type: "staff",
    id: staff.id,
    role: staff.role as "agent" | "supervisor" | "admin",
    providerId: staff.providerId,
  });
}
