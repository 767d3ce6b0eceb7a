import { describe, expect, it } from "vitest";
import { checkIccid, checkImsi } from "../domain/identifiers.js";
import {
  decodeDiallingDigits,
  decodeIccid,
  decodeImsi,
  encodeDiallingDigits,
  encodeIccid,
  encodeImsi,
} from "./bcd.js";
import { fromHex, toHex } from "./bytes.js";

describe("swapped BCD", () => {
  // python-gsmmodem TestSemiOctets.
  it.each([
    ["15125551234", "51215515 32f4"],
    ["123", "21f3"],
    ["1234", "2143"],
  ])("encodes and decodes %s", (digits, hex) => {
    expect(toHex(encodeDiallingDigits(digits))).toBe(hex.replace(/\s/g, ""));
    expect(decodeDiallingDigits(fromHex(hex))).toBe(digits);
  });

  it("maps A–D to * # , N and back", () => {
    expect(decodeDiallingDigits(fromHex("1A2B3C4D"))).toBe("*1#2,3N4");
    expect(toHex(encodeDiallingDigits("*1#2,3N4"))).toBe("1a2b3c4d");
    expect(() => encodeDiallingDigits("12x")).toThrow(/dialling digit/);
  });

  it("reads EF.ICCID as AOSP does (SimUtilsTest) and checks it with the domain rule", () => {
    const iccid = decodeIccid(fromHex("981062400510444868f2"));
    expect(iccid).toBe("8901260450014484862");
    expect(checkIccid(iccid)).toMatchObject({ ok: true, warnings: [] });
    expect(toHex(encodeIccid(iccid))).toBe("981062400510444868f2");
  });

  it("keeps a letter in an ICCID, which the domain check turns into a warning", () => {
    const iccid = decodeIccid(encodeIccid("8986031A234567890123"));
    expect(iccid).toBe("8986031A234567890123");
    expect(checkIccid(iccid)).toMatchObject({ ok: true, warnings: ["ICCID_LETTER"] });
  });

  it("reads EF.IMSI with its parity nibble", () => {
    const bytes = encodeImsi("460001234567890");
    expect(toHex(bytes)).toBe("084906002143658709");
    const imsi = decodeImsi(bytes);
    expect(imsi).toBe("460001234567890");
    expect(checkImsi(imsi as string)).toMatchObject({ ok: true, operator: { nameEn: "China Mobile" } });
    expect(decodeImsi(encodeImsi("46015123456789"))).toBe("46015123456789");
    expect(decodeImsi(fromHex("ffffffffffffffffff"))).toBeNull();
  });
});
