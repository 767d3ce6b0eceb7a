import { describe, expect, it } from "vitest";
import { slaState, slaStateUntil } from "./sla.js";

describe("SLA state", () => {
  const submitted = "2026-11-01T00:00:00.000Z";
  const due = "2026-11-11T00:00:00.000Z"; // ten days
  it("is on track with more than a fifth of the time left", () => {
    expect(slaState("under_review", submitted, due, new Date("2026-11-08T23:00:00Z"))).toBe("on_track");
  });
  it("is at risk in the last fifth", () => {
    expect(slaState("processing", submitted, due, new Date("2026-11-09T01:00:00Z"))).toBe("at_risk");
  });
  it("is breached past due", () => {
    expect(slaState("needs_info", submitted, due, new Date("2026-11-11T00:00:01Z"))).toBe("breached");
  });
  it("has no timer for drafts and finished applications", () => {
    expect(slaState("draft", null, null, new Date())).toBeNull();
    expect(slaState("completed", submitted, due, new Date("2026-12-01T00:00:00Z"))).toBeNull();
  });

  it("says until when the state holds: the same at every instant before, different at that instant", () => {
    // A span that makes the at-risk instant fall between two milliseconds.
    const sub = "2026-11-01T00:00:00.003Z";
    const start = Date.parse(sub);
    const end = Date.parse(due);
    for (let t = start; t < end + 5_000; t += 3_600_000 / 7) {
      const now = new Date(Math.floor(t));
      const state = slaState("submitted", sub, due, now);
      const until = slaStateUntil("submitted", sub, due, now);
      if (state === "breached") {
        expect(until).toBeUndefined();
        continue;
      }
      expect(until).toBeGreaterThan(now.getTime());
      expect(slaState("submitted", sub, due, new Date(until! - 1))).toBe(state);
      expect(slaState("submitted", sub, due, new Date(until!))).not.toBe(state);
    }
    expect(slaStateUntil("completed", submitted, due, new Date())).toBeUndefined();
  });
});
