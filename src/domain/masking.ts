/**
 * Masks for identifiers in presenters and logs (architecture.md, PII): enough left to recognise,
 * not enough to misuse.
 */

function keepEnds(value: string, head: number, tail: number): string {
  if (value.length <= head + tail) return "*".repeat(value.length);
  return value.slice(0, head) + "*".repeat(value.length - head - tail) + value.slice(value.length - tail);
}

/** `110105********002X` */
export function maskIdNumber(id: string): string {
  return keepEnds(id, 6, 4);
}

/** `138****8000` */
export function maskPhone(phone: string): string {
  return keepEnds(phone, 3, 4);
}

/** `898600**********1234` */
export function maskIccid(iccid: string): string {
  return keepEnds(iccid, 6, 4);
}

/** `6222 **** **** 1234`-style, without spaces: `6222***********1234` */
export function maskCardNumber(n: string): string {
  return keepEnds(n, 4, 4);
}

/** `张*` / `李**` / `W*** Li`: the family name (first character or first word) stays. */
export function maskName(name: string): string {
  const chars = [...name.trim()];
  if (chars.length === 0) return "";
  if (/^[\u4e00-\u9fff]/.test(name)) return chars[0] + "*".repeat(Math.max(1, chars.length - 1));
  const [first, ...rest] = name.trim().split(/\s+/);
  return [first ? `${first[0]}***` : "", ...rest].join(" ").trim();
}
