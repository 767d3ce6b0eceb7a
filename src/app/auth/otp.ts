/**
 * One-time codes sent by SMS: 6 digits, stored only as a keyed hash, valid for a few minutes,
 * locked after five wrong tries, with a resend cooldown and an hourly cap per phone. Whether a
 * phone belongs to anyone is never revealed: the answer is the same either way.
 */
import { timingSafeEqual } from "node:crypto";
import { inTransaction } from "../../db/connect.js";
import type { OtpChallengesTable } from "../../db/schema.js";
import type { AppDeps } from "../context.js";
import { AppError } from "../errors.js";
import { enqueueSms, type TemplateName } from "../notifications.js";

export const OTP_MAX_ATTEMPTS = 5;
export const OTP_MAX_PER_HOUR = 10;

export type OtpPurpose = "signin" | "lookup";

function codeHash(deps: AppDeps, challengeId: string, code: string): string {
  return deps.vault.hash(`otp:${challengeId}:${code}`);
}

export interface OtpIssue {
  /** Phone the code goes to; null when nobody should receive one (answered the same way). */
  sendTo: string | null;
  language: string;
  template: TemplateName;
  params: Record<string, string>;
  applicationId: string | null;
}

export async function issueOtp(
  deps: AppDeps,
  purpose: OtpPurpose,
  phone: string,
  issue: OtpIssue,
): Promise<{ cooldownSeconds: number; expiresInSeconds: number }> {
  const { otpCooldownSeconds: cooldown, otpTtlSeconds: ttl } = deps.config;
  await inTransaction(deps.db, async (tx) => {
    const now = deps.clock.now();
    const recent = await tx
      .selectFrom("otpChallenges")
      .select(["createdAt"])
      .where("phone", "=", phone)
      .where("purpose", "=", purpose)
      .where("createdAt", ">", new Date(now.getTime() - 3_600_000).toISOString())
      .orderBy("createdAt", "desc")
      .execute();
    const last = recent[0];
    if (last) {
      const waited = (now.getTime() - Date.parse(last.createdAt)) / 1000;
      if (waited < cooldown)
        throw new AppError("OTP_COOLDOWN", { retryAfterSeconds: Math.ceil(cooldown - waited) });
    }
    if (recent.length >= OTP_MAX_PER_HOUR)
      throw new AppError("RATE_LIMITED", { scope: "phone", retryAfterSeconds: 3600 });
    // A previous unused code stops working once a new one is issued.
    await tx
      .updateTable("otpChallenges")
      .set({ consumedAt: now.toISOString() })
      .where("phone", "=", phone)
      .where("purpose", "=", purpose)
      .where("consumedAt", "is", null)
      .execute();
    const id = deps.ids.id("otp");
    const code = deps.ids.otpCode();
    await tx
      .insertInto("otpChallenges")
      .values({
        id,
        purpose,
        phone,
        applicationId: issue.applicationId,
        codeHash: codeHash(deps, id, code),
        attempts: 0,
        expiresAt: new Date(now.getTime() + ttl * 1000).toISOString(),
        consumedAt: null,
        createdAt: now.toISOString(),
      })
      .execute();
    if (issue.sendTo) {
      await enqueueSms(tx, {
        dedupeKey: `otp:${id}`,
        to: issue.sendTo,
        template: issue.template,
        language: issue.language,
        params: { ...issue.params, code, minutes: String(Math.round(ttl / 60)) },
        now,
      });
    }
  });
  deps.onJobsEnqueued?.();
  return { cooldownSeconds: cooldown, expiresInSeconds: ttl };
}

/**
 * Checks a code against the phone's live challenge. A wrong try is counted in its own committed
 * transaction before the error is thrown, so guessing cannot be made free by a rollback.
 */
export async function consumeOtp(
  deps: AppDeps,
  purpose: OtpPurpose,
  phone: string,
  code: string,
): Promise<Pick<OtpChallengesTable, "id" | "applicationId">> {
  type Outcome =
    | { error: "OTP_INVALID" | "OTP_LOCKED" }
    | { ok: Pick<OtpChallengesTable, "id" | "applicationId"> };
  const outcome = await inTransaction(deps.db, async (tx): Promise<Outcome> => {
    const now = deps.clock.now().toISOString();
    const ch = await tx
      .selectFrom("otpChallenges")
      .selectAll()
      .where("phone", "=", phone)
      .where("purpose", "=", purpose)
      .where("consumedAt", "is", null)
      .orderBy("createdAt", "desc")
      .executeTakeFirst();
    if (!ch || ch.expiresAt <= now) return { error: "OTP_INVALID" };
    if (ch.attempts >= OTP_MAX_ATTEMPTS) return { error: "OTP_LOCKED" };
    const expected = Buffer.from(ch.codeHash, "hex");
    const given = Buffer.from(codeHash(deps, ch.id, code), "hex");
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
      await tx
        .updateTable("otpChallenges")
        .set({ attempts: ch.attempts + 1 })
        .where("id", "=", ch.id)
        .execute();
      return { error: ch.attempts + 1 >= OTP_MAX_ATTEMPTS ? "OTP_LOCKED" : "OTP_INVALID" };
    }
    const used = await tx
      .updateTable("otpChallenges")
      .set({ consumedAt: now })
      .where("id", "=", ch.id)
      .where("consumedAt", "is", null)
      .executeTakeFirst();
    if (Number(used.numUpdatedRows) !== 1) return { error: "OTP_INVALID" };
    return { ok: { id: ch.id, applicationId: ch.applicationId } };
  });
  if ("error" in outcome) throw new AppError(outcome.error);
  return outcome.ok;
}
