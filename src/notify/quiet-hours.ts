/**
 * Quiet hours for SMS: no notification lands on a phone at night in the provider's time zone.
 * Sign-in codes are exempt (the holder is waiting for them); everything else waits until morning.
 */
import { clockToMinutes, zonedParts } from "../domain/zoned-time.js";

export interface QuietHours {
  /** `HH:MM`, local. */
  from: string;
  to: string;
}

const DAY = 24 * 60;

/** When the quiet period that contains `now` ends, or null when `now` is not in one. */
export function quietUntil(now: Date, timeZone: string, quiet: QuietHours | null): Date | null {
  if (!quiet) return null;
  const from = clockToMinutes(quiet.from);
  const to = clockToMinutes(quiet.to);
  if (from === to) return null;
  const p = zonedParts(now, timeZone);
  const t = p.hour * 60 + p.minute;
  const inside = from < to ? t >= from && t < to : t >= from || t < to;
  if (!inside) return null;
  const minutes = (to - t + DAY) % DAY;
  // Zone offsets are whole minutes, so local and UTC minute boundaries coincide.
  const minuteStart = Math.floor(now.getTime() / 60_000) * 60_000;
  return new Date(minuteStart + minutes * 60_000);
}
