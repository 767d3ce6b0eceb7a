import { describe, expect, it } from "vitest";
import { randomHex, randomIds } from "./system.js";

describe("random ids", () => {
  it("are the prefix and 32 lowercase hex digits, all different across many refills of the pool", () => {
    const ids = Array.from({ length: 5000 }, () => randomIds.id("app"));
    for (const id of ids) expect(id).toMatch(/^app_[0-9a-f]{32}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("use every hex digit in every position (no fixed version bits)", () => {
    const seen = Array.from({ length: 32 }, () => new Set<string>());
    for (let i = 0; i < 2000; i++) {
      const hex = randomHex(16);
      for (let at = 0; at < hex.length; at++) seen[at]!.add(hex[at]!);
    }
    for (const digits of seen) expect(digits.size).toBe(16);
  });

  it("draw lengths that do not divide the pool without repeating bytes at the seam", () => {
    const parts = Array.from({ length: 1000 }, () => randomHex(7));
    for (const p of parts) expect(p).toHaveLength(14);
    expect(new Set(parts).size).toBe(parts.length);
  });
});
