import { describe, expect, it } from "vitest";
import { clockStartingAt } from "./adapters/system.js";
import { loadConfig } from "./config.js";

describe("ZHUXIAO_FAKE_NOW", () => {
  it("is off unless set", () => {
    expect(loadConfig({}).fakeNow).toBeUndefined();
  });

  it("sets where the clock starts, with its zone", () => {
    const config = loadConfig({ ZHUXIAO_FAKE_NOW: "2026-03-10T10:00:00+08:00" });
    expect(config.fakeNow?.toISOString()).toBe("2026-03-10T02:00:00.000Z");
  });

  it("refuses anything but an ISO 8601 instant", () => {
    expect(() => loadConfig({ ZHUXIAO_FAKE_NOW: "next tuesday" })).toThrow(/ZHUXIAO_FAKE_NOW/);
  });

  it("is refused in production", () => {
    expect(() =>
      loadConfig({ ZHUXIAO_FAKE_NOW: "2026-03-10T10:00:00+08:00", NODE_ENV: "production" }),
    ).toThrow(/ZHUXIAO_FAKE_NOW.*tests and demos only/);
  });

  it("gives a clock that starts there and runs on at the real pace", () => {
    let real = 1_000_000;
    const clock = clockStartingAt(new Date("2026-03-10T02:00:00Z"), () => real);
    expect(clock.now().toISOString()).toBe("2026-03-10T02:00:00.000Z");
    real += 90_000;
    expect(clock.now().toISOString()).toBe("2026-03-10T02:01:30.000Z");
  });
});
