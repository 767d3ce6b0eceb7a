/** One application with its card and its whole timeline, as the actor may see it. */
import { auditForApplication } from "../db/audit-repository.js";
import { findCard } from "../db/cards-repository.js";
import type { ApplicationRow, AuditEventRow, CardRow } from "../db/schema.js";
import { loadVisibleApplication } from "./access.js";
import { type Actor, type AppDeps, authorize } from "./context.js";

export interface ApplicationView {
  application: ApplicationRow;
  card: CardRow;
  timeline: AuditEventRow[];
}

export async function getApplication(
  deps: AppDeps,
  actor: Actor,
  input: { applicationId: string },
): Promise<ApplicationView> {
  authorize(actor, "application.read");
  const application = await loadVisibleApplication(deps.db, actor, input.applicationId);
  const [card, timeline] = await Promise.all([
    findCard(deps.db, application.cardId),
    auditForApplication(deps.db, application.id),
  ]);
  if (!card) throw new Error(`application ${application.id} has no card`);
  return { application, card, timeline };
}
