/** Production implementations of the clock and id ports. */
import { randomBytes, randomInt, randomUUID } from "node:crypto";
import type { Clock, Ids } from "../ports/index.js";

export const systemClock: Clock = { now: () => new Date() };

/** A clock that reads `start` now and then runs at the real pace (ZHUXIAO_FAKE_NOW, tests and demos). */
export function clockStartingAt(start: Date, realNow: () => number = Date.now): Clock {
  const offset = start.getTime() - realNow();
  return { now: () => new Date(realNow() + offset) };
}

// Crockford base32 without I, L, O, U: easy to read aloud at a counter.
const READABLE = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

export const randomIds: Ids = {
  id: (prefix) => `${prefix}_${randomUUID().replaceAll("-", "")}`,
  applicationNumber(now) {
    const ymd = now.toISOString().slice(2, 10).replaceAll("-", "");
    let tail = "";
    for (let i = 0; i < 6; i++) tail += READABLE[randomInt(READABLE.length)];
    return `ZX${ymd}${tail}`;
  },
  token: () => randomBytes(32).toString("base64url"),
  otpCode: () => String(randomInt(0, 1_000_000)).padStart(6, "0"),
};
