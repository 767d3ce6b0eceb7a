/**
 * The PIN safety rule, as a pure decision. The retry counter is read first (VERIFY without data
 * uses no try), and a PIN is never sent when one try is left: a wrong PIN then blocks the SIM,
 * and only the operator's PUK unblocks it.
 */
import { CardError, statusError } from "./errors.js";

/** Key references (TS 102 221 Table 9.3). */
export const PIN1 = 0x01;
export const UNIVERSAL_PIN = 0x11;

export type PinStatus =
  /** `9000` to VERIFY without data: the PIN is disabled or was already verified in this session. */
  | { state: "not_required" }
  | { state: "required"; triesLeft: number }
  | { state: "blocked" }
  /** The card has no such PIN (`6A88`). */
  | { state: "absent" };

/** Reads the answer to VERIFY without data. */
export function pinStatusFromSw(sw: number): PinStatus {
  if (sw === 0x9000) return { state: "not_required" };
  if ((sw & 0xfff0) === 0x63c0) {
    const triesLeft = sw & 0x0f;
    return triesLeft === 0 ? { state: "blocked" } : { state: "required", triesLeft };
  }
  if (sw === 0x6983 || sw === 0x6984) return { state: "blocked" };
  if (sw === 0x6a88) return { state: "absent" };
  throw statusError(sw, "VERIFY (status)");
}

export type PinDecision = { action: "none" } | { action: "send"; pin: string };

/**
 * What to do with a PIN given the card's status. Throws instead of sending when sending is
 * unsafe (one try left), pointless (blocked) or impossible (no PIN given).
 */
export function decidePin(status: PinStatus, pin: string | null): PinDecision {
  if (status.state === "not_required" || status.state === "absent") return { action: "none" };
  if (status.state === "blocked") throw new CardError("PIN_BLOCKED");
  if (status.triesLeft <= 1) throw new CardError("PIN_LAST_TRY");
  if (pin === null) throw new CardError("PIN_REQUIRED", { triesLeft: status.triesLeft });
  if (!/^\d{4,8}$/.test(pin)) throw new CardError("PIN_FORMAT");
  return { action: "send", pin };
}

/** Describes a status for people, e.g. for `zhuxiao card info`. */
export function describePinStatus(s: PinStatus): string {
  switch (s.state) {
    case "not_required":
      return "PIN disabled or already verified";
    case "required":
      return `PIN enabled, ${s.triesLeft} ${s.triesLeft === 1 ? "try" : "tries"} left`;
    case "blocked":
      return "PIN blocked (PUK needed)";
    case "absent":
      return "no PIN on this card";
  }
}
