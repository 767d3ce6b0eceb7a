import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { processingPlan, settle } from "./processing.js";

describe("processing plan", () => {
  it("deprovisions a SIM in the verified order", () => {
    expect(processingPlan({ family: "sim", kind: "physical" })).toEqual([
      "final_bill",
      "arrears_check",
      "settle_balance",
      "bar_line",
      "deregister",
      "remove_subscription",
      "quarantine_number",
    ]);
    expect(processingPlan({ family: "sim", kind: "esim" })).toContain("retire_profile");
  });

  it("pre-closes a credit card before closing it, and blocks any card before closing", () => {
    expect(processingPlan({ family: "smart_card", kind: "bank_credit" }).slice(3)).toEqual([
      "block_card",
      "pre_close_account",
      "close_account",
    ]);
    expect(processingPlan({ family: "smart_card", kind: "transit" }).slice(3)).toEqual([
      "block_card",
      "close_account",
    ]);
  });
});

describe("settlement", () => {
  it("offsets what is due, then pays out the rest by the holder's choice", () => {
    expect(
      settle({ ownFen: 5000, giftedFen: 2000, dueFen: 1200, option: "refund", involuntary: false }),
    ).toEqual({
      ok: true,
      movements: [
        { kind: "offset", amountFen: 1200 },
        { kind: "refund", amountFen: 3800 },
        { kind: "gifted_forfeit", amountFen: 2000 },
      ],
    });
  });

  it("stops with the shortfall when the holder's money does not cover what is due", () => {
    expect(settle({ ownFen: 100, giftedFen: 0, dueFen: 600, option: "refund", involuntary: false })).toEqual({
      ok: false,
      shortfallFen: 500,
    });
  });

  it("sends the shortfall to collections on a provider-initiated cancellation", () => {
    const s = settle({ ownFen: 100, giftedFen: 0, dueFen: 600, option: null, involuntary: true });
    expect(s).toEqual({
      ok: true,
      movements: [
        { kind: "offset", amountFen: 100 },
        { kind: "collections", amountFen: 500 },
      ],
    });
  });

  it("conserves money and never moves a kind twice (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.constantFrom("refund", "transfer", "spend", "forfeit", null),
        fc.boolean(),
        (own, gifted, due, option, involuntary) => {
          const s = settle({
            ownFen: own,
            giftedFen: gifted,
            dueFen: due,
            option: option as never,
            involuntary,
          });
          if (!s.ok) return !involuntary && due > own;
          const sum = (kinds: string[]) =>
            s.movements.filter((m) => kinds.includes(m.kind)).reduce((a, m) => a + m.amountFen, 0);
          const kinds = s.movements.map((m) => m.kind);
          return (
            new Set(kinds).size === kinds.length &&
            s.movements.every((m) => m.amountFen > 0) &&
            sum(["offset", "refund", "transfer", "forfeit"]) === own &&
            sum(["offset", "collections"]) === due &&
            sum(["gifted_forfeit"]) === gifted
          );
        },
      ),
    );
  });
});
