/** One application with its card and its whole timeline, as the actor may see it. */
import { auditForApplication } from "../db/audit-repository.js";
import { findCard } from "../db/cards-repository.js";
import { prepared, together } from "../db/prepared.js";
import type { ApplicationRow, AuditEventRow, CardRow } from "../db/schema.js";
import { loadVisibleApplication } from "./access.js";
import { type Actor, type AppDeps, authorize } from "./context.js";

export interface ApplicationView {
  application: ApplicationRow;
  card: CardRow;
  timeline: AuditEventRow[];
  /** The names of the staff who acted in the timeline, by id; for staff and provider readers only. */
  staffNames: Record<string, string>;
}

const staffName = prepared<{ id: string }>()((db, a) =>
  db.selectFrom("staff").select("displayName").where("id", "=", a.id),
);

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
  // Holders see that staff acted, not who (src/http/presenters.ts).
  const staffNames: Record<string, string> = {};
  if (actor.type !== "holder") {
    const ids = [...new Set(timeline.filter((e) => e.actorType === "staff").map((e) => e.actorId))];
    const rows = await together(
      deps.db,
      ids.map((id) => staffName.with({ id })),
    );
    ids.forEach((id, i) => {
      const name = rows[i]?.[0]?.displayName;
      if (name) staffNames[id] = name;
    });
  }
  return { application, card, timeline, staffNames };
}
