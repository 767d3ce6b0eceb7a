/** Holder sign-in: phone → SMS code → session. */
import { inTransaction } from "../../db/connect.js";
import { findHolderByPhone } from "../../db/holders-repository.js";
import { checkMobile } from "../../domain/identifiers.js";
import type { AppDeps } from "../context.js";
import { AppError } from "../errors.js";
import { consumeOtp, issueOtp } from "./otp.js";
import { type IssuedSession, issueSession } from "./sessions.js";

export function normalizePhone(phone: string): string {
  const m = checkMobile(phone);
  if (!m.ok) throw new AppError("MOBILE_INVALID", { field: "phone", reason: m.code });
  return m.value;
}

export async function requestSignInCode(deps: AppDeps, input: { phone: string }) {
  const phone = normalizePhone(input.phone);
  const holder = await findHolderByPhone(deps.db, phone);
  return issueOtp(deps, "signin", phone, {
    sendTo: holder ? phone : null,
    language: holder?.preferredLanguage ?? "zh-CN",
    template: "otp_signin",
    params: {},
    applicationId: null,
  });
}

export async function verifySignInCode(
  deps: AppDeps,
  input: { phone: string; code: string },
): Promise<IssuedSession> {
  const phone = normalizePhone(input.phone);
  await consumeOtp(deps, "signin", phone, input.code);
  const holder = await findHolderByPhone(deps.db, phone);
  // A code is only ever sent to a registered phone, so this means the holder vanished meanwhile.
  if (!holder) throw new AppError("OTP_INVALID");
  return inTransaction(deps.db, (tx) =>
    issueSession(deps, tx, { type: "holder", id: holder.id, role: "holder" }),
  );
}
