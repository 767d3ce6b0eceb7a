import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { approveApplication } from "../src/app/approve-application.js";
import { closeApplication } from "../src/app/close-application.js";
import { completeApplication } from "../src/app/complete-application.js";
import { type Actor, SYSTEM_ACTOR } from "../src/app/context.js";
import { createApplication } from "../src/app/create-application.js";
import { AppError } from "../src/app/errors.js";
import { failApplication } from "../src/app/fail-application.js";
import { rejectApplication } from "../src/app/reject-application.js";
import { requestInfo } from "../src/app/request-info.js";
import { retryApplication } from "../src/app/retry-application.js";
import { startProcessing } from "../src/app/start-processing.js";
import { startReview } from "../src/app/start-review.js";
import { submitApplication } from "../src/app/submit-application.js";
import { supplyInfo } from "../src/app/supply-info.js";
import { withdrawApplication } from "../src/app/withdraw-application.js";
import {
  APPLICATION_STATUSES,
  type ApplicationStatus,
  canTransition,
  TRANSITIONS,
  type Transition,
  targetOf,
} from "../src/domain/states.js";
import { D } from "./support/demo.js";
import { Harness } from "./support/harness.js";

const RUN: Record<Transition, (h: Harness, actor: Actor, id: string) => Promise<unknown>> = {
  submit: (h, a, id) => submitApplication(h.rt.deps, a, { applicationId: id }),
  withdraw: (h, a, id) => withdrawApplication(h.rt.deps, a, { applicationId: id }),
  start_review: (h, a, id) => startReview(h.rt.deps, a, { applicationId: id }),
  request_info: (h, a, id) => requestInfo(h.rt.deps, a, { applicationId: id, message: "more please" }),
  supply_info: (h, a, id) => supplyInfo(h.rt.deps, a, { applicationId: id, response: "here" }),
  approve: (h, a, id) => approveApplication(h.rt.deps, a, { applicationId: id }),
  reject: (h, a, id) => rejectApplication(h.rt.deps, a, { applicationId: id, reason: "other" }),
  start_processing: (h, a, id) => startProcessing(h.rt.deps, a, { applicationId: id }),
  complete: (h, a, id) => completeApplication(h.rt.deps, a, { applicationId: id }),
  fail: (h, a, id) => failApplication(h.rt.deps, a, { applicationId: id, cause: "network timeout" }),
  retry: (h, a, id) => retryApplication(h.rt.deps, a, { applicationId: id }),
  close: (h, a, id) => closeApplication(h.rt.deps, a, { applicationId: id, how: "destroyed" }),
};

/** The card status that goes with an application status. */
function cardStatusFor(s: ApplicationStatus): string {
  if (s === "draft" || s === "withdrawn" || s === "rejected") return "active";
  if (s === "completed" || s === "closed") return "cancelled";
  return "pending_cancellation";
}

describe("every transition from every state, through the use cases", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start();
  });
  afterAll(() => h.close());

  /** A fresh application for the clean SIM, forced into `status`. */
  async function applicationIn(status: ApplicationStatus): Promise<string> {
    await h.db
      .updateTable("applications")
      .set({ status: "withdrawn" })
      .where("cardId", "=", D.cleanSim.card)
      .execute();
    await h.db
      .updateTable("cards")
      .set({ status: "active", numberStatus: null, quarantineUntil: null })
      .where("id", "=", D.cleanSim.card)
      .execute();
    const bindings = await h.db
      .selectFrom("bindings")
      .select("id")
      .where("cardId", "=", D.cleanSim.card)
      .execute();
    const { application } = await createApplication(h.rt.deps, SYSTEM_ACTOR, {
      cardId: D.cleanSim.card,
      backup: { status: "done" },
      unbinding: bindings.map((b) => ({ bindingId: b.id, state: "unbound" as const })),
      balanceOption: "refund",
    });
    await h.db.updateTable("applications").set({ status }).where("id", "=", application.id).execute();
    await h.db
      .updateTable("cards")
      .set({ status: cardStatusFor(status) })
      .where("id", "=", D.cleanSim.card)
      .execute();
    return application.id;
  }

  for (const from of APPLICATION_STATUSES) {
    for (const t of TRANSITIONS) {
      const allowed = canTransition(from, t);
      it(`${t} from ${from}: ${allowed ? `→ ${targetOf(t)}` : "409, nothing changes"}`, async () => {
        const id = await applicationIn(from);
        const before = await h.fingerprint();
        const run = RUN[t](h, SYSTEM_ACTOR, id);
        if (allowed) {
          await run;
          const row = await h.db
            .selectFrom("applications")
            .select("status")
            .where("id", "=", id)
            .executeTakeFirstOrThrow();
          expect(row.status).toBe(targetOf(t));
          const event = await h.db
            .selectFrom("auditEvents")
            .select(["action"])
            .where("applicationId", "=", id)
            .orderBy("seq", "desc")
            .executeTakeFirstOrThrow();
          expect(event.action).toBe(`application.${t}`);
        } else {
          const err = await run.then(
            () => null,
            (e: unknown) => e,
          );
          expect(err).toBeInstanceOf(AppError);
          expect((err as AppError).code).toBe("TRANSITION_NOT_ALLOWED");
          expect(await h.fingerprint()).toBe(before);
        }
      });
    }
  }
});
