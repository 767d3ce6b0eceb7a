import { describe, expect, it } from "vitest";
import { etaWording, processingEta } from "./eta.js";

describe("online processing ETA", () => {
  it("divides the backlog (and this application) by the recent daily throughput", () => {
    const eta = processingEta({
      backlog: 29,
      completed: 112,
      windowDays: 28,
      slaDays: 7,
      today: "2026-11-24",
    });
    expect(eta.throughputPerDay).toBe(4);
    expect(eta.days).toBe(7.5);
    expect(eta.basis).toBe("throughput");
    expect(eta.expectedBy).toBe("2026-12-02");
    expect(eta.wording).toEqual({ zh: "约一周", en: "about a week" });
  });

  it("promises the SLA when nothing was completed lately", () => {
    const eta = processingEta({ backlog: 3, completed: 0, windowDays: 28, slaDays: 15, today: "2026-11-24" });
    expect(eta).toMatchObject({ basis: "sla", days: 15, expectedBy: "2026-12-09" });
    expect(eta.wording.en).toBe("about two weeks");
  });

  it("words durations the way people say them", () => {
    expect(etaWording(0.4)).toEqual({ zh: "不到一天", en: "less than a day" });
    expect(etaWording(1.2)).toEqual({ zh: "约一天", en: "about a day" });
    expect(etaWording(3)).toEqual({ zh: "约三天", en: "about 3 days" });
    expect(etaWording(6)).toEqual({ zh: "约一周", en: "about a week" });
    expect(etaWording(21)).toEqual({ zh: "约三周", en: "about three weeks" });
    expect(etaWording(30)).toEqual({ zh: "约一个月", en: "about a month" });
    expect(etaWording(95)).toEqual({ zh: "约3个月", en: "about 3 months" });
  });
});
