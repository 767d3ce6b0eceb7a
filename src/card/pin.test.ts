import { describe, expect, it } from "vitest";
import { CardError } from "./errors.js";
import { decidePin, describePinStatus, pinStatusFromSw } from "./pin.js";

function refusal(fn: () => unknown): string | null {
  try {
    fn();
    return null;
  } catch (err) {
    return err instanceof CardError ? err.code : String(err);
  }
}

describe("the PIN safety rule", () => {
  it("reads the counter from the answer to VERIFY without data", () => {
    expect(pinStatusFromSw(0x9000)).toEqual({ state: "not_required" });
    expect(pinStatusFromSw(0x63c3)).toEqual({ state: "required", triesLeft: 3 });
    expect(pinStatusFromSw(0x63c0)).toEqual({ state: "blocked" });
    expect(pinStatusFromSw(0x6983)).toEqual({ state: "blocked" });
    expect(pinStatusFromSw(0x6a88)).toEqual({ state: "absent" });
    expect(refusal(() => pinStatusFromSw(0x6e00))).toBe("CARD_STATUS");
  });

  it("sends the PIN only with two or more tries left", () => {
    expect(decidePin({ state: "required", triesLeft: 3 }, "1234")).toEqual({ action: "send", pin: "1234" });
    expect(decidePin({ state: "required", triesLeft: 2 }, "12345678")).toEqual({
      action: "send",
      pin: "12345678",
    });
    expect(refusal(() => decidePin({ state: "required", triesLeft: 1 }, "1234"))).toBe("PIN_LAST_TRY");
    expect(refusal(() => decidePin({ state: "blocked" }, "1234"))).toBe("PIN_BLOCKED");
  });

  it("sends nothing when no PIN is needed, and asks for one when it is", () => {
    expect(decidePin({ state: "not_required" }, "1234")).toEqual({ action: "none" });
    expect(decidePin({ state: "absent" }, null)).toEqual({ action: "none" });
    expect(refusal(() => decidePin({ state: "required", triesLeft: 3 }, null))).toBe("PIN_REQUIRED");
    expect(refusal(() => decidePin({ state: "required", triesLeft: 3 }, "12a4"))).toBe("PIN_FORMAT");
    expect(refusal(() => decidePin({ state: "required", triesLeft: 3 }, "123"))).toBe("PIN_FORMAT");
  });

  it("explains the last-try refusal in both languages", () => {
    const err = new CardError("PIN_LAST_TRY");
    expect(err.message).toMatch(/one PIN try is left.*PUK/);
    expect(err.zh).toMatch(/最后一次/);
    expect(describePinStatus({ state: "required", triesLeft: 1 })).toBe("PIN enabled, 1 try left");
  });
});
