import { describe, expect, it } from "vitest";
import { activeStep, type JourneyProgress, type JourneyStep, journeyFor } from "./journey.js";

function start(over: Partial<JourneyProgress> = {}): JourneyProgress {
  return {
    eligible: null,
    backup: "pending",
    unbinding: { total: 3, resolved: 0 },
    balanceChosen: false,
    hasBalance: true,
    applicationStatus: null,
    destroyed: false,
    ...over,
  };
}

function states(steps: JourneyStep[]): string {
  return steps.map((s) => `${s.key}:${s.state}`).join(" ");
}

function countCurrent(steps: JourneyStep[]): number {
  return steps.filter((s) => s.state === "current").length;
}

describe("journeyFor: step lists and titles", () => {
  it("has five smart-card steps and seven SIM steps, in product order, numbered from 1", () => {
    const smart = journeyFor("smart_card", start());
    expect(smart.map((s) => [s.index, s.key])).toEqual([
      [1, "backup"],
      [2, "contact"],
      [3, "submit"],
      [4, "wait"],
      [5, "destroy"],
    ]);
    const sim = journeyFor("sim", start());
    expect(sim.map((s) => s.key)).toEqual([
      "backup",
      "unbind",
      "contact",
      "submit",
      "balance",
      "wait",
      "destroy",
    ]);
    expect(sim.map((s) => s.index)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it("titles every step in zh-CN and English", () => {
    const sim = journeyFor("sim", start());
    expect(sim.map((s) => s.titleZh)).toEqual([
      "备份数据",
      "解绑服务",
      "联系运营商",
      "提交申请",
      "结清余额",
      "等待处理",
      "销毁卡片",
    ]);
    expect(sim.map((s) => s.titleEn)).toEqual([
      "Back up data",
      "Unbind services",
      "Contact the operator",
      "Submit the application",
      "Settle the balance",
      "Wait for processing",
      "Destroy the card",
    ]);
  });
});

describe("journeyFor: who is contacted", () => {
  it("names the issuer for smart cards and the operator only for SIMs", () => {
    const contact = (family: "sim" | "smart_card") =>
      journeyFor(family, start()).find((s) => s.key === "contact");
    expect(contact("smart_card")).toMatchObject({ titleZh: "联系发卡机构", titleEn: "Contact the issuer" });
    expect(contact("sim")).toMatchObject({ titleZh: "联系运营商", titleEn: "Contact the operator" });
  });
});

describe("journeyFor: a cancelled card", () => {
  it("has every step behind it, destruction included once done, and offers nothing again", () => {
    const cancelled = start({
      cardCancelled: true,
      eligible: true,
      applicationStatus: "closed",
      destroyed: true,
      unbinding: { total: 5, resolved: 0 },
    });
    const steps = journeyFor("sim", cancelled);
    expect(states(steps)).toBe(
      "backup:done unbind:done contact:done submit:done balance:skipped wait:done destroy:done",
    );
    expect(activeStep(steps)).toBeNull();
  });

  it("leaves only destruction to do while the completed application waits for it", () => {
    const steps = journeyFor("smart_card", start({ cardCancelled: true, applicationStatus: "completed" }));
    expect(states(steps)).toBe("backup:done contact:done submit:done wait:done destroy:current");
  });

  it("says so even without any application on record (cancelled at a counter)", () => {
    const steps = journeyFor("sim", start({ cardCancelled: true, eligible: false, destroyed: true }));
    expect(activeStep(steps)).toBeNull();
  });
});

describe("journeyFor: a whole SIM journey", () => {
  it("moves the single current step forward as facts arrive", () => {
    const walk: [Partial<JourneyProgress>, string][] = [
      [{}, "backup:current unbind:todo contact:todo submit:todo balance:todo wait:todo destroy:todo"],
      [
        { backup: "done" },
        "backup:done unbind:current contact:todo submit:todo balance:todo wait:todo destroy:todo",
      ],
      [
        { backup: "done", unbinding: { total: 3, resolved: 2 } },
        "backup:done unbind:current contact:todo submit:todo balance:todo wait:todo destroy:todo",
      ],
      [
        { backup: "done", unbinding: { total: 3, resolved: 3 } },
        "backup:done unbind:done contact:current submit:todo balance:todo wait:todo destroy:todo",
      ],
      [
        { backup: "done", unbinding: { total: 3, resolved: 3 }, eligible: true },
        "backup:done unbind:done contact:done submit:current balance:todo wait:todo destroy:todo",
      ],
      [
        { backup: "done", unbinding: { total: 3, resolved: 3 }, eligible: true, applicationStatus: "draft" },
        "backup:done unbind:done contact:done submit:current balance:todo wait:todo destroy:todo",
      ],
      [
        {
          backup: "done",
          unbinding: { total: 3, resolved: 3 },
          eligible: false,
          applicationStatus: "submitted",
        },
        "backup:done unbind:done contact:done submit:done balance:current wait:todo destroy:todo",
      ],
      [
        {
          backup: "done",
          unbinding: { total: 3, resolved: 3 },
          applicationStatus: "processing",
          balanceChosen: true,
        },
        "backup:done unbind:done contact:done submit:done balance:done wait:current destroy:todo",
      ],
      [
        {
          backup: "done",
          unbinding: { total: 3, resolved: 3 },
          applicationStatus: "completed",
          balanceChosen: true,
        },
        "backup:done unbind:done contact:done submit:done balance:done wait:done destroy:current",
      ],
      [
        {
          backup: "done",
          unbinding: { total: 3, resolved: 3 },
          applicationStatus: "completed",
          balanceChosen: true,
          destroyed: true,
        },
        "backup:done unbind:done contact:done submit:done balance:done wait:done destroy:done",
      ],
    ];
    for (const [over, expected] of walk) {
      const steps = journeyFor("sim", start(over));
      expect(states(steps), JSON.stringify(over)).toBe(expected);
      const finished = steps.every((s) => ["done", "waived", "skipped"].includes(s.state));
      expect(countCurrent(steps)).toBe(finished ? 0 : 1);
    }
  });

  it("skips the balance step when there is no balance, and the unbind step when nothing is bound", () => {
    const steps = journeyFor(
      "sim",
      start({
        backup: "waived",
        unbinding: { total: 0, resolved: 0 },
        hasBalance: false,
        applicationStatus: "approved",
      }),
    );
    expect(states(steps)).toBe(
      "backup:waived unbind:skipped contact:done submit:done balance:skipped wait:current destroy:todo",
    );
  });

  it("closes the journey when the application is closed, even without a destroyed flag", () => {
    const steps = journeyFor(
      "sim",
      start({
        backup: "done",
        unbinding: { total: 1, resolved: 1 },
        hasBalance: false,
        applicationStatus: "closed",
      }),
    );
    expect(steps.every((s) => s.state === "done" || s.state === "skipped")).toBe(true);
    expect(activeStep(steps)).toBeNull();
  });
});

describe("journeyFor: a whole smart-card journey", () => {
  it("goes backup → contact → submit → wait → destroy", () => {
    const smart = (over: Partial<JourneyProgress>) => states(journeyFor("smart_card", start(over)));
    expect(smart({})).toBe("backup:current contact:todo submit:todo wait:todo destroy:todo");
    expect(smart({ backup: "waived" })).toBe(
      "backup:waived contact:current submit:todo wait:todo destroy:todo",
    );
    expect(smart({ backup: "done", eligible: true })).toBe(
      "backup:done contact:done submit:current wait:todo destroy:todo",
    );
    expect(smart({ backup: "done", applicationStatus: "under_review" })).toBe(
      "backup:done contact:done submit:done wait:current destroy:todo",
    );
    expect(smart({ backup: "done", applicationStatus: "needs_info" })).toBe(
      "backup:done contact:done submit:done wait:current destroy:todo",
    );
    expect(smart({ backup: "done", applicationStatus: "completed" })).toBe(
      "backup:done contact:done submit:done wait:done destroy:current",
    );
    expect(smart({ backup: "done", applicationStatus: "completed", destroyed: true })).toBe(
      "backup:done contact:done submit:done wait:done destroy:done",
    );
  });

  it("ignores unbinding and balance, which smart cards do not have as steps", () => {
    const steps = journeyFor(
      "smart_card",
      start({ backup: "done", eligible: true, unbinding: { total: 9, resolved: 0 } }),
    );
    expect(steps.map((s) => s.key)).not.toContain("unbind");
    expect(activeStep(steps)?.key).toBe("submit");
  });
});

describe("journeyFor: blocked and reset states", () => {
  it("marks contact blocked when the card is not eligible; the blocked step is the active one", () => {
    const steps = journeyFor("smart_card", start({ backup: "done", eligible: false }));
    expect(states(steps)).toBe("backup:done contact:blocked submit:todo wait:todo destroy:todo");
    expect(countCurrent(steps)).toBe(0);
    expect(activeStep(steps)?.key).toBe("contact");
  });

  it("shows contact blocked ahead while backup is still the current step", () => {
    const steps = journeyFor("smart_card", start({ eligible: false }));
    expect(states(steps)).toBe("backup:current contact:blocked submit:todo wait:todo destroy:todo");
    expect(activeStep(steps)?.key).toBe("backup");
  });

  it.each(["withdrawn", "rejected"] as const)(
    "sends the holder back to submit after a %s application",
    (status) => {
      const steps = journeyFor(
        "smart_card",
        start({ backup: "done", eligible: true, applicationStatus: status }),
      );
      expect(states(steps)).toBe("backup:done contact:done submit:current wait:todo destroy:todo");
    },
  );

  it("keeps waiting while a failed application is retried", () => {
    const steps = journeyFor("smart_card", start({ backup: "done", applicationStatus: "failed" }));
    expect(activeStep(steps)?.key).toBe("wait");
  });

  it("keeps backup current when an application came in from a counter before any backup", () => {
    const steps = journeyFor("smart_card", start({ applicationStatus: "processing" }));
    expect(states(steps)).toBe("backup:current contact:done submit:done wait:todo destroy:todo");
  });
});
