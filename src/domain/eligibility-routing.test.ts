/** Where an eligible card may be filed: counter cases, required documents, the online window and month-end cut-off, and the order and wording of findings. */
import { describe, expect, it } from "vitest";
import {
  type Eligibility,
  evaluateEligibility,
  FINDING_CODES,
  type FindingCode,
  formatFen,
} from "./eligibility.js";
import { formatWeekdays } from "./eligibility-messages.js";
import type { CardSnapshot } from "./model.js";
import { COUNTER_CASES, type CounterCase, type ProviderRules, providerRulesSchema } from "./rules.js";
import { baseCard, baseRules } from "./test-fixtures.js";

/** Tuesday 2024-03-12 10:00 in Shanghai: inside the window, not a month end. */
const NOW = new Date("2024-03-12T02:00:00Z");

function evaluate(
  patchCard: (c: CardSnapshot) => void = () => {},
  patchRules: (r: ProviderRules) => void = () => {},
  now = NOW,
  opts?: Parameters<typeof evaluateEligibility>[3],
): Eligibility {
  const card = baseCard();
  const rules = baseRules();
  patchCard(card);
  patchRules(rules);
  return evaluateEligibility(card, providerRulesSchema.parse(rules), now, opts);
}

function codes(e: Eligibility): FindingCode[] {
  return e.findings.map((f) => f.code);
}

function only(e: Eligibility, code: FindingCode) {
  const fs = e.findings.filter((f) => f.code === code);
  expect(fs, `exactly one ${code}`).toHaveLength(1);
  return fs[0]!;
}

describe("COUNTER_REQUIRED", () => {
  const makes: Record<CounterCase, [(c: CardSnapshot) => void, boolean?]> = {
    minor: [(c) => (c.holder.isMinor = true)],
    non_id_card_document: [(c) => (c.holder.idType = "passport")],
    contract: [(c) => c.lockIns.push({ kind: "contract", termEnd: "2030-01-01", terminationFeeFen: 0 })],
    family_plan: [(c) => (c.familyPlan = true)],
    bundle: [(c) => (c.bundle = "宽带")],
    group: [(c) => (c.groupName = "集团")],
    proxy: [() => {}, true],
    credit_card: [(c) => (c.kind = "bank_credit")],
    deposit_return: [(c) => (c.money.depositFen = 1)],
  };

  it.each(COUNTER_CASES)("%s sends the card to a counter when listed in counterOnly", (cc) => {
    const [patch, proxy] = makes[cc];
    const e = evaluate(patch, undefined, NOW, { proxy: proxy === true });
    const f = only(e, "COUNTER_REQUIRED");
    expect(f).toMatchObject({ severity: "counter", params: { case: cc } });
    expect(f.message.en).toContain("counter");
    expect(e.counterCases).toEqual([cc]);
    expect(e.channel).toBe("counter");
    expect(e.onlineAllowed).toBe(false);
  });

  it.each(COUNTER_CASES)("%s does not need a counter when the rule leaves it out", (cc) => {
    const [patch, proxy] = makes[cc];
    const e = evaluate(
      patch,
      (r) => (r.rules.counterOnly.value = COUNTER_CASES.filter((x) => x !== cc)),
      NOW,
      {
        proxy: proxy === true,
      },
    );
    expect(codes(e)).not.toContain("COUNTER_REQUIRED");
    expect(e.counterCases).toEqual([]);
  });

  it("an expired contract is no counter case", () => {
    const e = evaluate((c) =>
      c.lockIns.push({ kind: "contract", termEnd: "2020-01-01", terminationFeeFen: 0 }),
    );
    expect(e.counterCases).toEqual([]);
  });

  it("lists every applying case, in COUNTER_CASES order, one finding each", () => {
    const e = evaluate(
      (c) => {
        c.familyPlan = true;
        c.holder.isMinor = true;
      },
      undefined,
      NOW,
      { proxy: true },
    );
    expect(e.counterCases).toEqual(["minor", "family_plan", "proxy"]);
    expect(e.findings.map((f) => f.params.case)).toEqual(["minor", "family_plan", "proxy"]);
  });

  it("requires counter documents plus proxy and minor documents, without duplicates", () => {
    const e = evaluate(
      (c) => (c.holder.isMinor = true),
      (r) => (r.rules.documents.value.minor = ["guardian_id", "id_front"]),
      NOW,
      { proxy: true },
    );
    expect(e.requiredDocuments).toEqual([
      "id_front",
      "id_back",
      "card_photo",
      "authorisation_letter",
      "proxy_id",
      "guardian_id",
    ]);
  });
});

describe("service window and month-end cut-off (Asia/Shanghai, now given in UTC)", () => {
  const weekdays = (r: ProviderRules) => {
    r.rules.serviceWindow.value = { days: [1, 2, 3, 4, 5], from: "08:00", to: "18:00" };
    r.rules.monthEndCutoff.value = null;
  };
  const at = (iso: string) => evaluate(undefined, weekdays, new Date(iso));

  it("is open from the start minute up to, not including, the end minute", () => {
    // Tuesday 2024-03-12 in Shanghai = UTC+8.
    expect(codes(at("2024-03-11T23:59:00Z"))).toEqual(["OUTSIDE_SERVICE_WINDOW"]);
    expect(codes(at("2024-03-12T00:00:00Z"))).toEqual([]);
    expect(codes(at("2024-03-12T09:59:00Z"))).toEqual([]);
    expect(codes(at("2024-03-12T10:00:00Z"))).toEqual(["OUTSIDE_SERVICE_WINDOW"]);
  });

  it("is closed on days not listed, judged by the local weekday", () => {
    // Friday 23:30 UTC is Saturday 07:30 in Shanghai; Friday 01:00 UTC is Friday 09:00.
    const sat = at("2024-03-15T23:30:00Z");
    const f = only(sat, "OUTSIDE_SERVICE_WINDOW");
    expect(f).toMatchObject({
      severity: "counter",
      params: {
        days: "1,2,3,4,5",
        from: "08:00",
        to: "18:00",
        timeZone: "Asia/Shanghai",
        localTime: "07:30",
      },
    });
    expect(f.message.en).toContain("Mon–Fri 08:00–18:00");
    expect(f.message["zh-CN"]).toContain("周一至周五");
    expect(sat).toMatchObject({ eligible: true, onlineAllowed: false, channel: "counter" });
    expect(codes(at("2024-03-15T01:00:00Z"))).toEqual([]);
  });

  it("treats a window that passes midnight as belonging to the day it starts", () => {
    const overnight = (r: ProviderRules) => {
      r.rules.serviceWindow.value = { days: [5], from: "20:00", to: "02:00" };
      r.rules.monthEndCutoff.value = null;
    };
    // Friday 21:00 and Saturday 01:00 local are in; Saturday 21:00 and Friday 01:00 are not.
    const codesAt = (iso: string) => codes(evaluate(undefined, overnight, new Date(iso)));
    expect(codesAt("2024-03-15T13:00:00Z")).toEqual([]);
    expect(codesAt("2024-03-15T17:00:00Z")).toEqual([]);
    expect(codesAt("2024-03-16T13:00:00Z")).toEqual(["OUTSIDE_SERVICE_WINDOW"]);
    expect(codesAt("2024-03-14T17:00:00Z")).toEqual(["OUTSIDE_SERVICE_WINDOW"]);
  });

  it("MONTH_END_CUTOFF starts at 18:00 sharp on the last day of the month", () => {
    expect(codes(evaluate(undefined, undefined, new Date("2024-01-31T09:59:00Z")))).toEqual([]);
    const e = evaluate(undefined, undefined, new Date("2024-01-31T10:00:00Z"));
    const f = only(e, "MONTH_END_CUTOFF");
    expect(f).toMatchObject({
      severity: "counter",
      params: { after: "18:00", nextOnlineDate: "2024-02-01" },
    });
    expect(f.action.en).toBe("Apply online again from 2024-02-01, or book a counter appointment");
    expect(e).toMatchObject({ eligible: true, onlineAllowed: false, channel: "counter" });
  });

  it("MONTH_END_CUTOFF uses the provider's month end, not UTC's", () => {
    // 2024-02-29T16:30Z is 1 March 00:30 in Shanghai: a new month, though UTC is still on the 29th.
    expect(codes(evaluate(undefined, undefined, new Date("2024-02-29T16:30:00Z")))).toContain(
      "OUTSIDE_SERVICE_WINDOW",
    );
    expect(codes(evaluate(undefined, undefined, new Date("2024-02-29T16:30:00Z")))).not.toContain(
      "MONTH_END_CUTOFF",
    );
    // 2024-02-29T10:30Z is 18:30 on the leap day in Shanghai.
    expect(codes(evaluate(undefined, undefined, new Date("2024-02-29T10:30:00Z")))).toEqual([
      "MONTH_END_CUTOFF",
    ]);
  });

  it("no MONTH_END_CUTOFF on other days, or without a cut-off rule", () => {
    expect(codes(evaluate(undefined, undefined, new Date("2024-01-30T11:00:00Z")))).toEqual([]);
    const noCutoff = (r: ProviderRules) => (r.rules.monthEndCutoff.value = null);
    expect(codes(evaluate(undefined, noCutoff, new Date("2024-01-31T11:00:00Z")))).toEqual([]);
  });

  it("is not reported when the card must go to a counter anyway", () => {
    const e = evaluate((c) => (c.familyPlan = true), undefined, new Date("2024-01-31T15:00:00Z"));
    expect(codes(e)).toEqual(["COUNTER_REQUIRED"]);
  });
});

describe("ordering and shape", () => {
  it("orders blockers, then counter findings, then notices", () => {
    const e = evaluate(
      (c) => {
        c.money.balanceFen = 100;
        c.familyPlan = true;
        c.money.arrearsFen = 50;
        c.realNameVerified = false;
        c.money.giftedBalanceFen = 10;
      },
      undefined,
      NOW,
    );
    expect(e.findings.map((f) => [f.severity, f.code])).toEqual([
      ["blocker", "NOT_REAL_NAME"],
      ["blocker", "ARREARS"],
      ["counter", "COUNTER_REQUIRED"],
      ["notice", "BALANCE_REMAINING"],
      ["notice", "GIFTED_BALANCE_FORFEITED"],
    ]);
    expect(e).toMatchObject({ eligible: false, onlineAllowed: false, channel: "counter" });
    expect(e.requiredDocuments).toEqual(["id_front", "id_back", "card_photo"]);
  });

  it("every finding code can be produced, survives JSON, and has both languages", () => {
    const seen = new Map<FindingCode, Eligibility["findings"][number]>();
    const scenarios: Eligibility[] = [
      evaluate((c) => (c.status = "cancelled")),
      evaluate((c) => (c.openApplicationNumber = "A")),
      evaluate((c) => (c.status = "pending_cancellation")),
      evaluate((c) => {
        c.realNameVerified = false;
        c.money = {
          ...c.money,
          arrearsFen: 1,
          unbilledFen: 2,
          debtFen: 3,
          instalmentsFen: 4,
          annualFeeDueFen: 5,
        };
        c.money = { ...c.money, overpaymentFen: 6, balanceFen: 7, giftedBalanceFen: 8, depositFen: 9 };
        c.lockIns = [
          { kind: "contract", termEnd: "2030-01-01", terminationFeeFen: 10 },
          { kind: "handset_subsidy", termEnd: "2030-01-01", terminationFeeFen: 11 },
        ];
        c.dependants = [
          { cardId: "a", relation: "secondary", label: "a", status: "active" },
          { cardId: "b", relation: "supplementary", label: "b", status: "active" },
        ];
        c.bundle = "b";
        c.groupName = "g";
      }),
      evaluate((c) => (c.status = "lost")),
      evaluate((c) => (c.status = "suspended")),
      evaluate(undefined, undefined, new Date("2024-01-31T15:00:00Z")),
    ];
    for (const e of scenarios) for (const f of e.findings) seen.set(f.code, f);
    expect([...seen.keys()].sort()).toEqual([...FINDING_CODES].sort());
    for (const f of seen.values()) {
      expect(JSON.parse(JSON.stringify(f))).toEqual(f);
      for (const t of [f.message, f.action]) {
        expect(t["zh-CN"].length, f.code).toBeGreaterThan(2);
        expect(t.en.length, f.code).toBeGreaterThan(2);
        expect(t["zh-CN"], f.code).not.toMatch(/undefined|NaN|\{/);
        expect(t.en, f.code).not.toMatch(/undefined|NaN|\{/);
      }
    }
  });
});

describe("formatFen and formatWeekdays", () => {
  it("formats fen as yuan with two decimals", () => {
    expect(formatFen(1230)).toBe("¥12.30");
    expect(formatFen(5)).toBe("¥0.05");
    expect(formatFen(0)).toBe("¥0.00");
    expect(formatFen(123456789)).toBe("¥1234567.89");
    expect(formatFen(-250)).toBe("-¥2.50");
    expect(() => formatFen(1.5)).toThrow(RangeError);
  });

  it("compresses weekday runs", () => {
    expect(formatWeekdays("1,2,3,4,5,6,7")).toEqual({ "zh-CN": "每天", en: "every day" });
    expect(formatWeekdays("1,2,3,5,6")).toEqual({
      "zh-CN": "周一至周三、周五至周六",
      en: "Mon–Wed, Fri–Sat",
    });
    expect(formatWeekdays("7")).toEqual({ "zh-CN": "周日", en: "Sun" });
  });
});
