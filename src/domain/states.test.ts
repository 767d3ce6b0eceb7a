import { describe, expect, it } from "vitest";
import {
  APPLICATION_STATUSES,
  type ApplicationStatus,
  canTransition,
  isOpen,
  OPEN_STATUSES,
  TERMINAL_STATUSES,
  TRANSITIONS,
  type Transition,
  transitionsFrom,
} from "./states.js";

// The expected machine, written out independently of TRANSITION_TABLE (product.md §4).
const EXPECTED: Record<ApplicationStatus, Partial<Record<Transition, ApplicationStatus>>> = {
  draft: { submit: "submitted", withdraw: "withdrawn" },
  submitted: {
    withdraw: "withdrawn",
    start_review: "under_review",
    request_info: "needs_info",
    approve: "approved",
    reject: "rejected",
  },
  under_review: {
    withdraw: "withdrawn",
    request_info: "needs_info",
    approve: "approved",
    reject: "rejected",
  },
  needs_info: { withdraw: "withdrawn", supply_info: "under_review", reject: "rejected" },
  approved: { withdraw: "withdrawn", start_processing: "processing" },
  processing: { complete: "completed", fail: "failed" },
  failed: { retry: "processing" },
  completed: { close: "closed" },
  closed: {},
  withdrawn: {},
  rejected: {},
};

describe("application state machine", () => {
  for (const from of APPLICATION_STATUSES) {
    for (const t of TRANSITIONS) {
      const allowed = EXPECTED[from][t] !== undefined;
      it(`${allowed ? "allows" : "forbids"} ${t} from ${from}`, () => {
        expect(canTransition(from, t)).toBe(allowed);
      });
    }
  }

  it("lists the allowed transitions out of each state", () => {
    for (const from of APPLICATION_STATUSES) {
      expect(transitionsFrom(from).sort()).toEqual(Object.keys(EXPECTED[from]).sort());
    }
  });

  it("has no way out of a terminal state", () => {
    for (const s of TERMINAL_STATUSES) expect(transitionsFrom(s)).toEqual([]);
  });

  it("allows withdrawal only before processing starts", () => {
    const withdrawable = APPLICATION_STATUSES.filter((s) => canTransition(s, "withdraw"));
    expect(withdrawable).toEqual(["draft", "submitted", "under_review", "needs_info", "approved"]);
  });

  it("treats every non-terminal state as holding the card", () => {
    expect(OPEN_STATUSES).toHaveLength(APPLICATION_STATUSES.length - TERMINAL_STATUSES.length);
    expect(isOpen("completed")).toBe(true);
    expect(isOpen("failed")).toBe(true);
    expect(isOpen("withdrawn")).toBe(false);
  });
});
