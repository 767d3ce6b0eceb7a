import { describe, expect, it } from "vitest";
import { decodeAlpha, encodeAlpha, encodeAlphaAs } from "./alpha.js";
import { fromHex, toHex } from "./bytes.js";

describe("alpha identifiers", () => {
  // AOSP SimUtilsTest (adnStringFieldToString) and python-gsmmodem examples.
  it.each([
    ["566f696365204d61696cffff", "Voice Mail"],
    ["809673539A5764002F004DFFFFFFFFFF", "\u9673\u539A\u5764/M"],
    ["810A01566fec6365204de0696cFFFFFF", "Vo\u00ECce M\u00E0il"],
    ["820505302D82d32d31", "-\u0532\u0583-1"],
    ["810602A46563746F72FF", "\u0124ector"],
    ["8102135395", "S\u0995"],
    ["805F204E09FFFFFFFFFFFFFFFFFFFFFFFFFFFFFF", "张三"],
    ["FFFFFFFFFF", ""],
  ])("decodes %s", (hex, text) => {
    expect(decodeAlpha(fromHex(hex))).toBe(text);
  });

  it("decodes GSM escapes in an unpacked name", () => {
    expect(decodeAlpha(fromHex("1B65203130FFFF"))).toBe("€ 10");
  });

  it("chooses GSM when it fits, then the shortest UCS2 form", () => {
    expect(toHex(encodeAlpha("Alice"))).toBe("416c696365");
    expect(toHex(encodeAlpha("张三")).toUpperCase()).toBe("805F204E09");
    // Ten Cyrillic letters share one 128-character page: 81 saves nine bytes over 80.
    const russian = "Екатерина";
    expect(encodeAlpha(russian)[0]).toBe(0x81);
    expect(decodeAlpha(encodeAlpha(russian))).toBe(russian);
  });

  it("round-trips each coding it can produce", () => {
    for (const [text, coding] of [
      ["王玉", "ucs2-82"],
      ["王玉", "ucs2"],
      ["Jörg Ähm", "gsm"],
      ["Ĥector", "ucs2-81"],
      ["-Բփ-1", "ucs2-82"],
    ] as const) {
      const bytes = encodeAlphaAs(text, coding);
      expect(bytes, `${text} as ${coding}`).not.toBeNull();
      expect(decodeAlpha(bytes as Uint8Array)).toBe(text);
    }
  });

  it("refuses 81 and 82 when the characters span more than one page", () => {
    expect(encodeAlphaAs("张三", "ucs2-81")).toBeNull();
    expect(encodeAlphaAs("张三", "ucs2-82")).toBeNull();
  });
});
