/** Walk the audit hash chain and report the first event that was altered, inserted or removed. */
import { type AuditVerdict, verifyAuditChain } from "../db/audit-repository.js";
import { type Actor, type AppDeps, authorize } from "./context.js";

export async function verifyAudit(deps: AppDeps, actor: Actor): Promise<AuditVerdict> {
  authorize(actor, "audit.verify");
  return verifyAuditChain(deps.db);
}
