/** An audit event for tests of the trail's mechanics: its own id, nothing else of interest. */
import type { AuditInput } from "../../src/db/audit-repository.js";

export function testEvent(id: string): AuditInput {
  return {
    id,
    entityType: "test",
    entityId: id,
    applicationId: null,
    action: "test.event",
    actorType: "system",
    actorId: "test",
    after: { id },
    at: "2026-11-24T02:00:00.000Z",
  };
}
