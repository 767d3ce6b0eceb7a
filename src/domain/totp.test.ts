import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { base32Decode, base32Encode, hotp, totpMatches } from "./totp.js";

const sha1 = (k: Uint8Array, m: Uint8Array) => new Uint8Array(createHmac("sha1", k).update(m).digest());
const RFC_KEY = new TextEncoder().encode("12345678901234567890");

describe("TOTP", () => {
  it("matches the RFC 4226 HOTP test values", () => {
    // RFC 4226 Appendix D.
    expect([0, 1, 2, 3, 9].map((c) => hotp(sha1, RFC_KEY, c))).toEqual([
      "755224",
      "287082",
      "359152",
      "969429",
      "520489",
    ]);
  });

  it("matches the RFC 6238 SHA-1 test values (8 digits)", () => {
    // RFC 6238 Appendix B: T = 59 s → 94287082, T = 1111111109 → 07081804.
    expect(hotp(sha1, RFC_KEY, Math.floor(59 / 30), 8)).toBe("94287082");
    expect(hotp(sha1, RFC_KEY, Math.floor(1111111109 / 30), 8)).toBe("07081804");
  });

  it("accepts one step of clock drift and nothing further", () => {
    const now = 1_800_000_000_000;
    const code = hotp(sha1, RFC_KEY, Math.floor(now / 30_000));
    expect(totpMatches(sha1, RFC_KEY, code, now + 30_000)).toBe(true);
    expect(totpMatches(sha1, RFC_KEY, code, now + 90_000)).toBe(false);
    expect(totpMatches(sha1, RFC_KEY, "12345", now)).toBe(false);
  });

  it("round-trips base32 (RFC 4648 vectors)", () => {
    expect(base32Encode(new TextEncoder().encode("foobar"))).toBe("MZXW6YTBOI");
    expect(new TextDecoder().decode(base32Decode("MZXW6YTBOI"))).toBe("foobar");
  });
});
