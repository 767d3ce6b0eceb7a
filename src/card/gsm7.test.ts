import { describe, expect, it } from "vitest";
import { fromHex, toHex } from "./bytes.js";
import { decodeGsm7Septets, encodeGsm7Septets, isGsm7, packSeptets, unpackSeptets } from "./gsm7.js";

// Vectors from python-gsmmodem test/test_pdu.py (TestGsm7): text, unpacked septets, packed octets.
const GSM7_VECTORS: Array<[string, number[], number[]]> = [
  ["123", [0x31, 0x32, 0x33], [49, 217, 12]],
  [
    "Hello World!",
    [0x48, 0x65, 0x6c, 0x6c, 0x6f, 0x20, 0x57, 0x6f, 0x72, 0x6c, 0x64, 0x21],
    [200, 50, 155, 253, 6, 93, 223, 114, 54, 57, 4],
  ],
  [
    "[{abc}]~",
    [0x1b, 0x3c, 0x1b, 0x28, 0x61, 0x62, 0x63, 0x1b, 0x29, 0x1b, 0x3e, 0x1b, 0x3d],
    [27, 222, 6, 21, 22, 143, 55, 169, 141, 111, 211, 3],
  ],
  [
    "{åΦΓΛΩΠΨΣΘ€}",
    [27, 40, 15, 18, 19, 20, 21, 22, 23, 24, 25, 27, 101, 27, 41],
    [27, 212, 67, 50, 161, 84, 44, 23, 76, 102, 83, 222, 164, 0],
  ],
  ["a[]{}€", [97, 27, 60, 27, 62, 27, 40, 27, 41, 27, 101], [225, 13, 111, 227, 219, 160, 54, 169, 77, 25]],
];

describe("GSM 7-bit default alphabet", () => {
  it('packs "Hello World!" to C8329BFD065DDF72363904 (card-tech.md §1.5)', () => {
    expect(toHex(packSeptets(encodeGsm7Septets("Hello World!"))).toUpperCase()).toBe(
      "C8329BFD065DDF72363904",
    );
  });

  it.each(GSM7_VECTORS)(
    "encodes, packs and reads back %s (python-gsmmodem vectors)",
    (text, septets, packed) => {
      expect(encodeGsm7Septets(text)).toEqual(septets);
      expect([...packSeptets(septets)]).toEqual(packed);
      expect(unpackSeptets(Uint8Array.from(packed), septets.length)).toEqual(septets);
      expect(decodeGsm7Septets(septets)).toBe(text);
    },
  );

  it("maps every code of the table in card-tech.md that differs from ASCII", () => {
    // biome-ignore format: laid out like the table
    const table: Record<number, string> = {
      0: "@", 1: "£", 2: "$", 3: "¥", 4: "è", 5: "é", 6: "ù", 7: "ì",
      8: "ò", 9: "Ç", 11: "Ø", 12: "ø", 14: "Å", 15: "å", 16: "Δ", 17: "_",
      18: "Φ", 19: "Γ", 20: "Λ", 21: "Ω", 22: "Π", 23: "Ψ", 24: "Σ", 25: "Θ",
      26: "Ξ", 28: "Æ", 29: "æ", 30: "ß", 31: "É", 36: "¤", 64: "¡", 91: "Ä",
      92: "Ö", 93: "Ñ", 94: "Ü", 95: "§", 96: "¿", 123: "ä", 124: "ö", 125: "ñ",
      126: "ü", 127: "à",
    };
    for (const [code, ch] of Object.entries(table)) {
      expect(decodeGsm7Septets([Number(code)]), `0x${Number(code).toString(16)}`).toBe(ch);
      expect(encodeGsm7Septets(ch)).toEqual([Number(code)]);
    }
    const escapes: Record<number, string> = {
      20: "^",
      40: "{",
      41: "}",
      47: "\\",
      60: "[",
      61: "~",
      62: "]",
      64: "|",
      101: "€",
    };
    for (const [code, ch] of Object.entries(escapes))
      expect(decodeGsm7Septets([0x1b, Number(code)])).toBe(ch);
  });

  it("shows the default character for an escape without an extension character", () => {
    expect(decodeGsm7Septets([0x1b, 0x41])).toBe("A");
  });

  it("refuses text outside the alphabet and says so", () => {
    expect(isGsm7("世界您好！")).toBe(false);
    expect(() => encodeGsm7Septets("你好")).toThrow(/GSM 7-bit/);
  });

  it("honours fill bits after a user-data header", () => {
    const septets = encodeGsm7Septets("Hi there");
    for (let fill = 0; fill < 7; fill++) {
      expect(unpackSeptets(packSeptets(septets, fill), septets.length, fill)).toEqual(septets);
    }
    expect(() => unpackSeptets(fromHex("C8"), 3)).toThrow(/ends before septet/);
  });
});
