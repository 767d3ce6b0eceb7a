import { describe, expect, it } from "vitest";
import { type Eligibility, evaluateEligibility, type FindingCode } from "./eligibility.js";
import type { CardSnapshot } from "./model.js";
import { type ProviderRules, providerRulesSchema } from "./rules.js";
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

describe("fixtures", () => {
  it("baseRules is a complete, valid rules file", () => {
    expect(providerRulesSchema.parse(baseRules())).toEqual(baseRules());
  });

  it("each call returns a fresh object", () => {
    const a = baseCard();
    a.money.balanceFen = 5;
    expect(baseCard().money.balanceFen).toBe(0);
  });
});

describe("a clean card", () => {
  it("is eligible, online, with no findings, nothing to pay and the online documents", () => {
    const e = evaluate();
    expect(e).toEqual({
      cardId: "card-1",
      evaluatedAt: "2024-03-12T02:00:00.000Z",
      eligible: true,
      onlineAllowed: true,
      channel: "online",
      findings: [],
      counterCases: [],
      requiredDocuments: ["id_front", "id_back"],
      balanceOptions: ["refund", "transfer"],
      timings: ["immediate", "end_of_cycle"],
      money: { refundableFen: 0, giftedForfeitFen: 0, depositFen: 0, terminationFeeFen: 0, payableFen: 0 },
    });
  });
});

describe("card status findings", () => {
  it("ALREADY_CANCELLED names the application and hides every other finding", () => {
    const e = evaluate((c) => {
      c.status = "cancelled";
      c.cancelledByApplicationNumber = "ZX-2024-0001";
      c.money.arrearsFen = 100;
      c.realNameVerified = false;
    });
    expect(codes(e)).toEqual(["ALREADY_CANCELLED"]);
    expect(e.findings[0]).toMatchObject({
      severity: "blocker",
      params: { applicationNumber: "ZX-2024-0001" },
    });
    expect(e.findings[0]!.message.en).toContain("ZX-2024-0001");
    expect(e.eligible).toBe(false);
  });

  it("ALREADY_CANCELLED without a known application has no application number", () => {
    const f = only(
      evaluate((c) => (c.status = "cancelled")),
      "ALREADY_CANCELLED",
    );
    expect(f.params).toEqual({});
    expect(f.message["zh-CN"]).toBe("此卡已注销");
  });

  it("APPLICATION_OPEN blocks with the open application's number", () => {
    const e = evaluate((c) => (c.openApplicationNumber = "ZX-7"));
    expect(only(e, "APPLICATION_OPEN")).toMatchObject({
      severity: "blocker",
      params: { applicationNumber: "ZX-7" },
    });
    expect(e.eligible).toBe(false);
  });

  it("APPLICATION_OPEN is not raised for the application being evaluated, nor is PENDING_CANCELLATION", () => {
    const e = evaluate(
      (c) => {
        c.openApplicationNumber = "ZX-7";
        c.status = "pending_cancellation";
      },
      undefined,
      NOW,
      { forApplicationNumber: "ZX-7" },
    );
    expect(e.findings).toEqual([]);
    expect(e.eligible).toBe(true);
  });

  it("PENDING_CANCELLATION blocks when no open application explains it", () => {
    expect(
      only(
        evaluate((c) => (c.status = "pending_cancellation")),
        "PENDING_CANCELLATION",
      ).severity,
    ).toBe("blocker");
  });

  it("a pending card with an open application reports APPLICATION_OPEN only", () => {
    const e = evaluate((c) => {
      c.status = "pending_cancellation";
      c.openApplicationNumber = "ZX-8";
    });
    expect(codes(e)).toEqual(["APPLICATION_OPEN"]);
  });

  it("NOT_REAL_NAME blocks when the rule requires real-name registration, and not otherwise", () => {
    const card = (c: CardSnapshot) => (c.realNameVerified = false);
    expect(only(evaluate(card), "NOT_REAL_NAME").severity).toBe("blocker");
    expect(codes(evaluate(card, (r) => (r.rules.realNameRequired.value = false)))).toEqual([]);
  });

  it("CARD_LOST blocks only when the rule lists lost", () => {
    const card = (c: CardSnapshot) => (c.status = "lost");
    expect(only(evaluate(card), "CARD_LOST").action.en).toContain("loss report");
    expect(codes(evaluate(card, (r) => (r.rules.blockedCardStatuses.value = ["suspended"])))).toEqual([]);
  });

  it("CARD_SUSPENDED blocks only when the rule lists suspended", () => {
    const card = (c: CardSnapshot) => (c.status = "suspended");
    expect(only(evaluate(card), "CARD_SUSPENDED").severity).toBe("blocker");
    expect(codes(evaluate(card, (r) => (r.rules.blockedCardStatuses.value = ["lost"])))).toEqual([]);
  });
});

describe("arrears", () => {
  it("ARREARS blocks with the amount and says exactly how to clear it", () => {
    const e = evaluate((c) => (c.money.arrearsFen = 1230));
    const f = only(e, "ARREARS");
    expect(f).toMatchObject({ severity: "blocker", params: { amountFen: 1230 } });
    expect(f.action["zh-CN"]).toBe("请先缴清欠费 ¥12.30（可在App或营业厅缴费），再重新检查");
    expect(f.action.en).toBe("Pay ¥12.30 in arrears in the app or at a counter, then check again");
    expect(e.money.payableFen).toBe(1230);
  });

  it("ARREARS is only a notice when billed arrears do not block", () => {
    const e = evaluate(
      (c) => (c.money.arrearsFen = 1230),
      (r) => (r.rules.arrears.value.blockBilled = false),
    );
    expect(only(e, "ARREARS").severity).toBe("notice");
    expect(e.eligible).toBe(true);
  });

  it("UNBILLED_CHARGES is a notice by default and a blocker when the rule says so", () => {
    const card = (c: CardSnapshot) => (c.money.unbilledFen = 5000);
    const notice = evaluate(card);
    expect(only(notice, "UNBILLED_CHARGES").severity).toBe("notice");
    expect(notice.eligible).toBe(true);
    expect(notice.money.payableFen).toBe(5000);
    const blocked = evaluate(card, (r) => (r.rules.arrears.value.blockUnbilled = true));
    expect(only(blocked, "UNBILLED_CHARGES")).toMatchObject({
      severity: "blocker",
      params: { amountFen: 5000 },
    });
    expect(only(blocked, "UNBILLED_CHARGES").action.en).toContain("¥50.00");
  });
});

describe("lock-ins", () => {
  it("LOCK_IN_BLOCKING blocks a contract in force, with kind, term end and fee", () => {
    const e = evaluate((c) =>
      c.lockIns.push({ kind: "contract", termEnd: "2024-12-31", terminationFeeFen: 20000 }),
    );
    expect(only(e, "LOCK_IN_BLOCKING")).toMatchObject({
      severity: "blocker",
      params: { kind: "contract", termEnd: "2024-12-31", feeFen: 20000 },
    });
    expect(e.money.terminationFeeFen).toBe(0);
  });

  it("LOCK_IN_FEE is a notice with the fee when the rule is fee, and the fee is payable", () => {
    const e = evaluate((c) =>
      c.lockIns.push({ kind: "premium_number", termEnd: "2025-06-30", terminationFeeFen: 9900 }),
    );
    const f = only(e, "LOCK_IN_FEE");
    expect(f).toMatchObject({ severity: "notice", params: { kind: "premium_number", feeFen: 9900 } });
    expect(f.message.en).toContain("¥99.00");
    expect(e.money).toMatchObject({ terminationFeeFen: 9900, payableFen: 9900 });
    expect(e.onlineAllowed).toBe(true);
  });

  it("the same contract only costs a fee when the rule for contracts is fee", () => {
    const e = evaluate(
      (c) => c.lockIns.push({ kind: "contract", termEnd: "2024-12-31", terminationFeeFen: 20000 }),
      (r) => (r.rules.lockIn.value.contract = "fee"),
    );
    expect(codes(e)).toContain("LOCK_IN_FEE");
    expect(codes(e)).not.toContain("LOCK_IN_BLOCKING");
  });

  it("ignores a lock-in whose term ends today or earlier in the provider's zone", () => {
    // 2024-03-11T16:30Z is still 11 March in UTC but already 12 March in Shanghai.
    const now = new Date("2024-03-11T16:30:00Z");
    // Equal window ends mean round the clock, so the window does not get in the way at 00:30.
    const allDay = (r: ProviderRules) =>
      (r.rules.serviceWindow.value = { days: [1, 2, 3, 4, 5, 6, 7], from: "00:00", to: "00:00" });
    const withEnd = (termEnd: string) =>
      evaluate(
        (c) => c.lockIns.push({ kind: "premium_number", termEnd, terminationFeeFen: 100 }),
        allDay,
        now,
      );
    expect(codes(withEnd("2024-03-12"))).toEqual([]);
    expect(withEnd("2024-03-12").money.terminationFeeFen).toBe(0);
    expect(codes(withEnd("2024-01-01"))).toEqual([]);
    expect(codes(withEnd("2024-03-13"))).toEqual(["LOCK_IN_FEE"]);
  });
});

describe("dependants", () => {
  const twoSecondaries = (c: CardSnapshot) => {
    c.dependants.push(
      { cardId: "s1", relation: "secondary", label: "138****0001", status: "active" },
      { cardId: "s0", relation: "secondary", label: "138****0000", status: "cancelled" },
      { cardId: "s2", relation: "secondary", label: "138****0002", status: "suspended" },
    );
  };

  it("SECONDARY_CARDS_OPEN blocks under the block policy, listing only cards not cancelled", () => {
    const f = only(evaluate(twoSecondaries), "SECONDARY_CARDS_OPEN");
    expect(f).toMatchObject({
      severity: "blocker",
      params: { count: 2, labels: "138****0001, 138****0002", cardIds: "s1,s2" },
    });
    expect(f.message["zh-CN"]).toContain("2 张副卡");
  });

  it("SECONDARY_CARDS_OPEN is a cascade notice, in order, under the cascade policy", () => {
    const e = evaluate(twoSecondaries, (r) => (r.rules.dependants.value.secondary = "cascade"));
    const f = only(e, "SECONDARY_CARDS_OPEN");
    expect(f.severity).toBe("notice");
    expect(f.message.en).toBe(
      "These secondary card(s) will be cancelled first, in this order: 138****0001, 138****0002",
    );
    expect(e.eligible).toBe(true);
  });

  it("no SECONDARY_CARDS_OPEN when every secondary card is cancelled", () => {
    expect(
      codes(
        evaluate((c) =>
          c.dependants.push({ cardId: "s", relation: "secondary", label: "x", status: "cancelled" }),
        ),
      ),
    ).toEqual([]);
  });

  it("no SECONDARY_CARDS_OPEN for a secondary card whose own cancellation is already submitted", () => {
    const e = evaluate((c) =>
      c.dependants.push({ cardId: "s", relation: "secondary", label: "x", status: "pending_cancellation" }),
    );
    expect(codes(e)).toEqual([]);
    expect(e.eligible).toBe(true);
  });

  it("SUPPLEMENTARY_CARDS_OPEN cascades by default and blocks under the block policy", () => {
    const card = (c: CardSnapshot) =>
      c.dependants.push({
        cardId: "sup",
        relation: "supplementary",
        label: "附属卡 **** 1234",
        status: "active",
      });
    expect(only(evaluate(card), "SUPPLEMENTARY_CARDS_OPEN").severity).toBe("notice");
    const blocked = evaluate(card, (r) => (r.rules.dependants.value.supplementary = "block"));
    expect(only(blocked, "SUPPLEMENTARY_CARDS_OPEN").severity).toBe("blocker");
    expect(codes(blocked)).not.toContain("SECONDARY_CARDS_OPEN");
  });

  it("BUNDLE_ACTIVE blocks with the bundle's name, and is absent without a bundle", () => {
    const e = evaluate((c) => (c.bundle = "家庭宽带 500M"));
    expect(only(e, "BUNDLE_ACTIVE")).toMatchObject({
      severity: "blocker",
      params: { bundle: "家庭宽带 500M" },
    });
    expect(codes(evaluate((c) => (c.bundle = null)))).toEqual([]);
  });

  it("GROUP_MEMBER blocks with the group's name, and is absent without a group", () => {
    const e = evaluate((c) => (c.groupName = "某某科技有限公司"));
    expect(only(e, "GROUP_MEMBER").message["zh-CN"]).toContain("某某科技有限公司");
    expect(codes(evaluate((c) => (c.groupName = null)))).toEqual([]);
  });
});

describe("credit-card money", () => {
  it.each([
    ["CREDIT_DEBT", "debtFen", "blockOnDebt"],
    ["INSTALMENTS_OUTSTANDING", "instalmentsFen", "blockOnInstalments"],
    ["ANNUAL_FEE_DUE", "annualFeeDueFen", "blockOnAnnualFee"],
    ["OVERPAYMENT_TO_WITHDRAW", "overpaymentFen", "blockOnOverpayment"],
  ] as const)("%s blocks when its rule is true and is a notice when false", (code, field, rule) => {
    const card = (c: CardSnapshot) => (c.money[field] = 4567);
    const blocked = evaluate(card);
    expect(only(blocked, code)).toMatchObject({ severity: "blocker", params: { amountFen: 4567 } });
    expect(only(blocked, code).action.en).toContain("¥45.67");
    expect(blocked.eligible).toBe(false);
    const noticed = evaluate(card, (r) => (r.rules.money.value[rule] = false));
    expect(only(noticed, code).severity).toBe("notice");
    expect(noticed.eligible).toBe(true);
  });

  it("debt, instalments and annual fee are payable; overpayment is refundable", () => {
    const e = evaluate((c) => {
      c.money.debtFen = 100;
      c.money.instalmentsFen = 200;
      c.money.annualFeeDueFen = 300;
      c.money.overpaymentFen = 400;
    });
    expect(e.money).toMatchObject({ payableFen: 600, refundableFen: 400 });
  });
});

describe("holder money notices", () => {
  it("BALANCE_REMAINING tells the amount and the options the rules allow", () => {
    const e = evaluate((c) => (c.money.balanceFen = 2580));
    const f = only(e, "BALANCE_REMAINING");
    expect(f).toMatchObject({ severity: "notice", params: { amountFen: 2580, options: "refund,transfer" } });
    expect(f.action["zh-CN"]).toBe("提交申请时请选择余额的处理方式：退款、转入其他号码或账户");
    expect(e.money.refundableFen).toBe(2580);
    expect(e.onlineAllowed).toBe(true);
    expect(codes(evaluate((c) => (c.money.balanceFen = 0)))).toEqual([]);
  });

  it("GIFTED_BALANCE_FORFEITED is a notice and gifted money is never refundable", () => {
    const e = evaluate((c) => {
      c.money.giftedBalanceFen = 1000;
      c.money.balanceFen = 1;
    });
    expect(only(e, "GIFTED_BALANCE_FORFEITED").severity).toBe("notice");
    expect(e.money).toMatchObject({ giftedForfeitFen: 1000, refundableFen: 1 });
  });

  it("DEPOSIT_REFUNDABLE is a notice, and returning the card sends it to a counter when the rule says so", () => {
    const card = (c: CardSnapshot) => (c.money.depositFen = 2000);
    const e = evaluate(card);
    expect(only(e, "DEPOSIT_REFUNDABLE")).toMatchObject({ severity: "notice", params: { amountFen: 2000 } });
    expect(e.money.depositFen).toBe(2000);
    expect(e.counterCases).toEqual(["deposit_return"]);
    const online = evaluate(card, (r) => (r.rules.counterOnly.value = []));
    expect(codes(online)).toEqual(["DEPOSIT_REFUNDABLE"]);
    expect(online.channel).toBe("online");
  });
});
