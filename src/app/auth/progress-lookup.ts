/**
 * Progress without an account: application number + registered phone → SMS code → status. The
 * request answers the same whether or not the pair matches, so numbers cannot be probed.
 */
import { findApplicationByNumber } from "../../db/applications-repository.js";
import { auditForApplication } from "../../db/audit-repository.js";
import { findCard } from "../../db/cards-repository.js";
import { findHolder } from "../../db/holders-repository.js";
import type { AppDeps } from "../context.js";
import { AppError } from "../errors.js";
import { normalizePhone } from "./holder-sign-in.js";
import { consumeOtp, issueOtp } from "./otp.js";

async function matching(deps: AppDeps, number: string, phone: string) {
  const app = await findApplicationByNumber(deps.db, number.trim().toUpperCase());
  if (!app) return null;
  const holder = await findHolder(deps.db, app.holderId);
  return holder && holder.phone === phone ? { app, holder } : null;
}

export async function requestLookupCode(deps: AppDeps, input: { applicationNumber: string; phone: string }) {
  const phone = normalizePhone(input.phone);
  const m = await matching(deps, input.applicationNumber, phone);
  return issueOtp(deps, "lookup", phone, {
    sendTo: m ? phone : null,
    language: m?.holder.preferredLanguage ?? "zh-CN",
    template: "otp_lookup",
    params: { number: m?.app.number ?? "" },
    applicationId: m?.app.id ?? null,
  });
}

export async function verifyLookupCode(
  deps: AppDeps,
  input: { applicationNumber: string; phone: string; code: string },
) {
  const phone = normalizePhone(input.phone);
  const challenge = await consumeOtp(deps, "lookup", phone, input.code);
  const m = await matching(deps, input.applicationNumber, phone);
  if (!m || m.app.id !== challenge.applicationId) throw new AppError("LOOKUP_FAILED");
  const [card, timeline] = await Promise.all([
    findCard(deps.db, m.app.cardId),
    auditForApplication(deps.db, m.app.id),
  ]);
  if (!card) throw new AppError("LOOKUP_FAILED");
  return { application: m.app, card, timeline };
}
