import { describe, expect, it } from "vitest";
import { quietUntil } from "./quiet-hours.js";

const NIGHT = { from: "21:00", to: "08:00" };

describe("SMS quiet hours in the provider's time zone", () => {
  it("lets daytime messages through", () => {
    // 10:00 in Shanghai.
    expect(quietUntil(new Date("2026-11-24T02:00:00Z"), "Asia/Shanghai", NIGHT)).toBeNull();
    // 20:59 in Shanghai: the last minute before quiet hours.
    expect(quietUntil(new Date("2026-11-24T12:59:30Z"), "Asia/Shanghai", NIGHT)).toBeNull();
  });

  it("holds an evening message until 08:00 the next morning, local time", () => {
    // 22:30 on the 24th in Shanghai → 08:00 on the 25th = 00:00Z.
    expect(quietUntil(new Date("2026-11-24T14:30:12Z"), "Asia/Shanghai", NIGHT)?.toISOString()).toBe(
      "2026-11-25T00:00:00.000Z",
    );
    // 21:00 exactly is quiet.
    expect(quietUntil(new Date("2026-11-24T13:00:00Z"), "Asia/Shanghai", NIGHT)?.toISOString()).toBe(
      "2026-11-25T00:00:00.000Z",
    );
  });

  it("holds an early-morning message until 08:00 the same day", () => {
    // 03:15 in Shanghai on the 25th.
    expect(quietUntil(new Date("2026-11-24T19:15:00Z"), "Asia/Shanghai", NIGHT)?.toISOString()).toBe(
      "2026-11-25T00:00:00.000Z",
    );
  });

  it("uses the provider's zone, not the server's", () => {
    // 02:00Z is 10:00 in Shanghai but 21:00 the evening before in New York.
    const t = new Date("2026-11-24T02:00:00Z");
    expect(quietUntil(t, "Asia/Shanghai", NIGHT)).toBeNull();
    expect(quietUntil(t, "America/New_York", NIGHT)?.toISOString()).toBe("2026-11-24T13:00:00.000Z");
  });

  it("can be switched off, and handles a window within one day", () => {
    expect(quietUntil(new Date("2026-11-24T14:30:00Z"), "Asia/Shanghai", null)).toBeNull();
    const lunch = { from: "12:00", to: "13:30" };
    expect(quietUntil(new Date("2026-11-24T04:10:00Z"), "Asia/Shanghai", lunch)?.toISOString()).toBe(
      "2026-11-24T05:30:00.000Z",
    );
  });
});
