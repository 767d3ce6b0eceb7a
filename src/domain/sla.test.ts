import { describe, expect, it } from "vitest";
import { slaState } from "./sla.js";

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
});
