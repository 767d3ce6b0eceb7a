/** Production implementations of the clock and id ports. */
import { randomBytes, randomFillSync, randomInt } from "node:crypto";
import type { Clock, Ids } from "../ports/index.js";

export const systemClock: Clock = { now: () => new Date() };

/** A clock that reads `start` now and then runs at the real pace (ZHUXIAO_FAKE_NOW, tests and demos). */
export function clockStartingAt(start: Date, realNow: () => number = Date.now): Clock {
  const offset = start.getTime() - realNow();
  return { now: () => new Date(realNow() + offset) };
}

// Crockford base32 without I, L, O, U: easy to read aloud at a counter.
const READABLE = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/**
 * Random bytes drawn from the system's generator 4 KB at a time: an id (one per request, for the
 * logs and problem documents, besides every row's) costs a slice of the pool, instead of a UUID
 * string and a copy without its dashes.
 */
const pool = Buffer.allocUnsafeSlow(4096);
let drawn = pool.length;

/** `bytes` random bytes as lowercase hex. */
export function randomHex(bytes: number): string {
  if (drawn + bytes > pool.length) {
    randomFillSync(pool);
    drawn = 0;
  }
  const hex = pool.toString("hex", drawn, drawn + bytes);
  drawn += bytes;
  return hex;
}

export const randomIds: Ids = {
  /** `prefix_` and 128 random bits in hex. */
  id: (prefix) => `${prefix}_${randomHex(16)}`,
  applicationNumber(now) {
    const ymd = now.toISOString().slice(2, 10).replaceAll("-", "");
    let tail = "";
    for (let i = 0; i < 6; i++) tail += READABLE[randomInt(READABLE.length)];
    return `ZX${ymd}${tail}`;
  },
  token: () => randomBytes(32).toString("base64url"),
  otpCode: () => String(randomInt(0, 1_000_000)).padStart(6, "0"),
};
