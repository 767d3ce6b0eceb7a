/**
 * RFC 6238 time-based one-time passwords (HMAC-SHA-1, 30-second steps, 6 digits) for the staff
 * second factor, and RFC 4648 base32 for the shared secret that authenticator apps take.
 * Pure: the time and the HMAC are supplied by the caller.
 */

const B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

export function base32Encode(bytes: Uint8Array): string {
  let bits = 0;
  let value = 0;
  let out = "";
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += B32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += B32[(value << (5 - bits)) & 31];
  return out;
}

export function base32Decode(s: string): Uint8Array {
  const clean = s.toUpperCase().replace(/=+$/, "").replaceAll(" ", "");
  const out: number[] = [];
  let bits = 0;
  let value = 0;
  for (const ch of clean) {
    const v = B32.indexOf(ch);
    if (v < 0) throw new Error("not base32");
    value = (value << 5) | v;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  return Uint8Array.from(out);
}

/** The HOTP value (RFC 4226) for a counter, from an HMAC-SHA-1 the caller computes. */
export function hotp(
  hmacSha1: (key: Uint8Array, msg: Uint8Array) => Uint8Array,
  key: Uint8Array,
  counter: number,
  digits = 6,
): string {
  const msg = new Uint8Array(8);
  let c = counter;
  for (let i = 7; i >= 0; i--) {
    msg[i] = c & 0xff;
    c = Math.floor(c / 256);
  }
  const h = hmacSha1(key, msg);
  const offset = h[h.length - 1]! & 0x0f;
  const bin = ((h[offset]! & 0x7f) << 24) | (h[offset + 1]! << 16) | (h[offset + 2]! << 8) | h[offset + 3]!;
  return String(bin % 10 ** digits).padStart(digits, "0");
}

/** True when `code` matches the step at `nowMs` or one step either side (clock drift). */
export function totpMatches(
  hmacSha1: (key: Uint8Array, msg: Uint8Array) => Uint8Array,
  key: Uint8Array,
  code: string,
  nowMs: number,
  stepSeconds = 30,
): boolean {
  if (!/^\d{6}$/.test(code)) return false;
  const step = Math.floor(nowMs / 1000 / stepSeconds);
  return [step - 1, step, step + 1].some((s) => hotp(hmacSha1, key, s) === code);
}
