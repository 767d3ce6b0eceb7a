import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { approveApplication } from "../src/app/approve-application.js";
import { closeApplication } from "../src/app/close-application.js";
import { completeApplication } from "../src/app/complete-application.js";
import { type AppDeps, SYSTEM_ACTOR } from "../src/app/context.js";
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
import { OPEN_STATUSES, TRANSITION_TABLE, type Transition } from "../src/domain/states.js";
import { Harness } from "./support/harness.js";

const CARDS = ["card_demo_debit_clean", "card_demo_esim_clean", "card_demo_credit_supplementary"];

type Op = { kind: "create"; card: number } | { kind: "transition"; t: Transition; pick: number };

const RUN: Record<Transition, (deps: AppDeps, id: string) => Promise<unknown>> = {
  submit: (d, id) => submitApplication(d, SYSTEM_ACTOR, { applicationId: id }),
  withdraw: (d, id) => withdrawApplication(d, SYSTEM_ACTOR, { applicationId: id }),
  start_review: (d, id) => startReview(d, SYSTEM_ACTOR, { applicationId: id }),
  request_info: (d, id) => requestInfo(d, SYSTEM_ACTOR, { applicationId: id, message: "m" }),
  supply_info: (d, id) => supplyInfo(d, SYSTEM_ACTOR, { applicationId: id, response: "r" }),
  approve: (d, id) => approveApplication(d, SYSTEM_ACTOR, { applicationId: id }),
  reject: (d, id) => rejectApplication(d, SYSTEM_ACTOR, { applicationId: id, reason: "other" }),
  start_processing: (d, id) => startProcessing(d, SYSTEM_ACTOR, { applicationId: id }),
  complete: (d, id) => completeApplication(d, SYSTEM_ACTOR, { applicationId: id }),
  fail: (d, id) => failApplication(d, SYSTEM_ACTOR, { applicationId: id, cause: "c" }),
  retry: (d, id) => retryApplication(d, SYSTEM_ACTOR, { applicationId: id }),
  close: (d, id) => closeApplication(d, SYSTEM_ACTOR, { applicationId: id, how: "destroyed" }),
};

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant("create" as const), card: fc.nat(CARDS.length - 1) }),
  fc.record({
    kind: fc.constant("transition" as const),
    t: fc.constantFrom(...(Object.keys(TRANSITION_TABLE) as Transition[])),
    pick: fc.nat(50),
  }),
);

describe("properties of the application lifecycle (random action sequences through the use cases)", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start();
  });
  afterAll(() => h.close());

  /** Puts the three cards back as they were: no applications, active. */
  async function reset(): Promise<void> {
    await h.db.deleteFrom("ledgerEntries").execute();
    await h.db.deleteFrom("processingSteps").execute();
    await h.db
      .updateTable("applications")
      .set({ status: "withdrawn" })
      .where("cardId", "in", CARDS)
      .execute();
    await h.db
      .updateTable("cards")
      .set({ status: "active", destroyedAt: null, destroyedHow: null, cancelledAt: null })
      .where("id", "in", CARDS)
      .execute();
  }

  it("never gives a card two open applications, and every state is reached only by allowed steps", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 5, maxLength: 40 }), async (ops) => {
        await reset();
        const before = new Set(
          (await h.db.selectFrom("applications").select("id").execute()).map((a) => a.id),
        );
        for (const o of ops) {
          try {
            if (o.kind === "create") {
              await createApplication(h.rt.deps, SYSTEM_ACTOR, {
                cardId: CARDS[o.card]!,
                backup: { status: "done" },
              });
            } else {
              const mine = (
                await h.db.selectFrom("applications").select("id").orderBy("createdAt").execute()
              ).filter((a) => !before.has(a.id));
              if (mine.length === 0) continue;
              await RUN[o.t](h.rt.deps, mine[o.pick % mine.length]!.id);
            }
          } catch (err) {
            // Refusals are expected; anything but a catalogued refusal is a bug.
            if (!(err instanceof AppError)) throw err;
          }
          const open = await h.db
            .selectFrom("applications")
            .select("cardId")
            .where("cardId", "in", CARDS)
            .where("status", "in", [...OPEN_STATUSES])
            .execute();
          expect(new Set(open.map((a) => a.cardId)).size).toBe(open.length);
        }
        // Replay each new application's audit trail through the state machine.
        const apps = (await h.db.selectFrom("applications").select(["id", "status"]).execute()).filter(
          (a) => !before.has(a.id),
        );
        for (const a of apps) {
          const events = await h.db
            .selectFrom("auditEvents")
            .select("action")
            .where("applicationId", "=", a.id)
            .where("action", "like", "application.%")
            .orderBy("seq")
            .execute();
          let state = "draft";
          for (const e of events.map((x) => x.action.slice("application.".length))) {
            if (e === "create" || e === "update_draft") continue;
            const rule = TRANSITION_TABLE[e as Transition];
            expect(rule.from, `${a.id}: ${e} from ${state}`).toContain(state);
            state = rule.to;
          }
          expect(state).toBe(a.status);
        }
      }),
      { numRuns: 25, seed: 20261126 },
    );
  });
});
