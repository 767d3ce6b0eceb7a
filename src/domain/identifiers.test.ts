import { describe, expect, it } from "vitest";
import {
  checkBankCardNumber,
  checkEid,
  checkIccid,
  checkIdNumber,
  checkImei,
  checkImsi,
  checkMobile,
  eidCheckDigits,
  IDENTIFIER_WARNING_TEXTS,
  IDENTIFIER_WARNINGS,
  idNumberBirthDate,
  idNumberCheckChar,
  isMinorOn,
  luhnCheckDigit,
  luhnValid,
} from "./identifiers.js";

/** Independent Luhn completion, written differently from the code under test on purpose. */
function withLuhn(payload: string): string {
  for (let d = 0; d <= 9; d++) {
    const s = payload + d;
    const sum = [...s]
      .reverse()
      .map((c, i) => (i % 2 === 1 ? [0, 2, 4, 6, 8, 1, 3, 5, 7, 9][Number(c)]! : Number(c)))
      .reduce((a, b) => a + b, 0);
    if (sum % 10 === 0) return s;
  }
  throw new Error("unreachable");
}

/** Replaces the last character with another digit so the check fails. */
function breakLast(s: string): string {
  const last = s.at(-1)!;
  return s.slice(0, -1) + (last === "1" ? "2" : "1");
}

// Known-valid numbers: the GB 11643-1999 example, a widely published sample, and a leap-day birth.
const VALID_IDS = ["11010519491231002X", "440524188001010014", "110101199003074477", "320102200802290011"];

describe("checkIdNumber", () => {
  it.each(VALID_IDS)("accepts the valid ID number %s", (id) => {
    expect(checkIdNumber(id)).toEqual({ ok: true, value: id, warnings: [] });
  });

  it.each(VALID_IDS)("rejects %s with its check character changed", (id) => {
    const r = checkIdNumber(breakLast(id));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.code).toBe("ID_NUMBER_CHECKSUM");
  });

  it("normalises a lowercase x and stray spaces", () => {
    expect(checkIdNumber(" 110105 19491231 002x ")).toEqual({
      ok: true,
      value: "11010519491231002X",
      warnings: [],
    });
  });

  it("rejects an X anywhere but the last position, and wrong lengths", () => {
    for (const bad of ["1101051949123100X2", "1101051949123100", "11010519491231002XX", "abc"]) {
      const r = checkIdNumber(bad);
      expect(r.ok, bad).toBe(false);
      if (!r.ok) expect(r.code).toBe("ID_NUMBER_FORMAT");
    }
  });

  it("rejects an impossible birth date even when the check character fits", () => {
    // 2023-02-29 does not exist; build the check char so only the date is wrong.
    const first17 = "11010520230229001";
    const r = checkIdNumber(first17 + idNumberCheckChar(first17));
    expect(r).toMatchObject({ ok: false, code: "ID_NUMBER_BIRTH_DATE" });
  });

  it("rejects a birth date after today only when now is given, judged in China time", () => {
    const first17 = "11010520240601001";
    const id = first17 + idNumberCheckChar(first17);
    expect(checkIdNumber(id).ok).toBe(true);
    // 2024-05-31T16:00Z is already 1 June in Shanghai: born today, fine.
    expect(checkIdNumber(id, new Date("2024-05-31T16:00:00Z")).ok).toBe(true);
    expect(checkIdNumber(id, new Date("2024-05-31T15:59:00Z"))).toMatchObject({
      ok: false,
      code: "ID_NUMBER_BIRTH_DATE",
    });
  });

  it("rejects an unknown province code", () => {
    const first17 = "00010519491231002";
    expect(checkIdNumber(first17 + idNumberCheckChar(first17))).toMatchObject({
      ok: false,
      code: "ID_NUMBER_REGION",
    });
  });

  it("accepts a legacy 15-digit number with a warning", () => {
    const r = checkIdNumber("110105491231002");
    expect(r).toEqual({ ok: true, value: "110105491231002", warnings: ["ID_NUMBER_LEGACY_15"] });
  });

  it("rejects a legacy 15-digit number with an impossible date", () => {
    expect(checkIdNumber("110105491331002")).toMatchObject({ ok: false, code: "ID_NUMBER_BIRTH_DATE" });
  });

  it("gives bilingual reasons", () => {
    const r = checkIdNumber("11010519491231002");
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.reason).toMatch(/18/);
      expect(r.reasonZh).toMatch(/18位/);
    }
  });
});

describe("idNumberBirthDate and isMinorOn", () => {
  it("reads the birth date from 18- and 15-digit numbers", () => {
    expect(idNumberBirthDate("11010519491231002X")).toBe("1949-12-31");
    expect(idNumberBirthDate("110105491231002")).toBe("1949-12-31");
    expect(idNumberBirthDate("11010519491231002A")).toBeNull();
  });

  it("turns 18 on the birthday in China, not a day earlier", () => {
    const first17 = "11010520060315001";
    const id = first17 + idNumberCheckChar(first17);
    expect(isMinorOn(id, new Date("2024-03-14T12:00:00+08:00"))).toBe(true);
    expect(isMinorOn(id, new Date("2024-03-15T00:00:00+08:00"))).toBe(false);
    // 2024-03-14T20:00Z is already 15 March in Shanghai.
    expect(isMinorOn(id, new Date("2024-03-14T20:00:00Z"))).toBe(false);
  });

  it("makes someone born on 29 February an adult on 1 March of a common year", () => {
    const first17 = "11010520040229001";
    const id = first17 + idNumberCheckChar(first17);
    expect(isMinorOn(id, new Date("2022-02-28T12:00:00+08:00"))).toBe(true);
    expect(isMinorOn(id, new Date("2022-03-01T12:00:00+08:00"))).toBe(false);
  });

  it("throws for an invalid ID number", () => {
    expect(() => isMinorOn("123", new Date())).toThrow(RangeError);
  });
});

describe("checkIccid", () => {
  const valid20 = withLuhn("8986001234567890123");
  const valid19 = withLuhn("898601123456789012");

  it("accepts 19- and 20-digit Luhn-valid ICCIDs without warnings", () => {
    expect(checkIccid(valid20)).toEqual({ ok: true, value: valid20, warnings: [] });
    expect(checkIccid(valid19)).toEqual({ ok: true, value: valid19, warnings: [] });
  });

  it("accepts a Luhn failure with the ICCID_LUHN warning", () => {
    expect(checkIccid(breakLast(valid20))).toEqual({
      ok: true,
      value: breakLast(valid20),
      warnings: ["ICCID_LUHN"],
    });
  });

  it("accepts a printed letter, uppercased, with ICCID_LETTER and no Luhn check", () => {
    expect(checkIccid("8986031a123456789012")).toEqual({
      ok: true,
      value: "8986031A123456789012",
      warnings: ["ICCID_LETTER"],
    });
  });

  it("strips spaces people copy from the card", () => {
    const spaced = valid20.replace(/(\d{4})/g, "$1 ");
    expect(checkIccid(spaced)).toMatchObject({ ok: true, value: valid20 });
  });

  it("rejects 18 digits with a hint that includes the completed number", () => {
    const r = checkIccid("898600123456789012");
    expect(r).toMatchObject({ ok: false, code: "ICCID_LENGTH" });
    if (!r.ok) expect(r.reason).toContain(withLuhn("898600123456789012"));
  });

  it("rejects other lengths, a wrong prefix and punctuation", () => {
    expect(checkIccid("898600123456789012345")).toMatchObject({ ok: false, code: "ICCID_LENGTH" });
    expect(checkIccid(withLuhn("1986001234567890123"))).toMatchObject({ ok: false, code: "ICCID_PREFIX" });
    expect(checkIccid("89860012345678.01234")).toMatchObject({ ok: false, code: "ICCID_FORMAT" });
  });
});

describe("checkMobile", () => {
  it.each([
    ["13800138000", "13800138000"],
    ["+86 138-0013-8000", "13800138000"],
    ["8613800138000", "13800138000"],
    ["0086 13800138000", "13800138000"],
    ["19212345678", "19212345678"],
    ["16612345678", "16612345678"],
  ])("normalises %s to %s", (input, value) => {
    expect(checkMobile(input)).toEqual({ ok: true, value, warnings: [] });
  });

  it.each(["12800138000", "1380013800", "138001380001", "+85213800138000", "1380013800a"])(
    "rejects %s as MOBILE_FORMAT",
    (input) => {
      expect(checkMobile(input)).toMatchObject({ ok: false, code: "MOBILE_FORMAT" });
    },
  );

  it("rejects the 140 and 194 blocks, which are not phone numbers", () => {
    expect(checkMobile("14012345678")).toMatchObject({ ok: false, code: "MOBILE_BLOCK" });
    expect(checkMobile("19412345678")).toMatchObject({ ok: false, code: "MOBILE_BLOCK" });
  });
});

describe("checkEid and eidCheckDigits", () => {
  const GSMA_EXAMPLE = "89049032123451234512345678901235";

  it("accepts the GSMA SGP.29 example EID", () => {
    expect(checkEid(GSMA_EXAMPLE)).toEqual({ ok: true, value: GSMA_EXAMPLE, warnings: [] });
  });

  it("computes the example's check digits from its first 30 digits", () => {
    expect(eidCheckDigits(GSMA_EXAMPLE.slice(0, 30))).toBe("35");
  });

  it("pads single-digit check values and round-trips through checkEid", () => {
    // Find a payload whose check value is below 10 to prove the zero padding.
    let first30 = "";
    for (let i = 0; i < 200; i++) {
      const candidate = `890490321234512345123456${String(i).padStart(6, "0")}`;
      if (eidCheckDigits(candidate).startsWith("0")) {
        first30 = candidate;
        break;
      }
    }
    expect(first30).not.toBe("");
    expect(eidCheckDigits(first30)).toMatch(/^0\d$/);
    expect(checkEid(first30 + eidCheckDigits(first30)).ok).toBe(true);
  });

  it("rejects a mistyped digit and a transposition", () => {
    expect(checkEid(breakLast(GSMA_EXAMPLE))).toMatchObject({ ok: false, code: "EID_CHECKSUM" });
    const swapped = `${GSMA_EXAMPLE.slice(0, 10)}${GSMA_EXAMPLE[11]}${GSMA_EXAMPLE[10]}${GSMA_EXAMPLE.slice(12)}`;
    expect(swapped).not.toBe(GSMA_EXAMPLE);
    expect(checkEid(swapped)).toMatchObject({ ok: false, code: "EID_CHECKSUM" });
  });

  it("rejects wrong lengths", () => {
    expect(checkEid(GSMA_EXAMPLE.slice(0, 31))).toMatchObject({ ok: false, code: "EID_FORMAT" });
    expect(() => eidCheckDigits("123")).toThrow(RangeError);
  });
});

describe("checkBankCardNumber", () => {
  const valid = withLuhn("622202123456789012");

  it("accepts a Luhn-valid 19-digit UnionPay number, separators removed", () => {
    expect(valid).toHaveLength(19);
    expect(checkBankCardNumber(valid.replace(/(\d{4})/g, "$1 "))).toEqual({
      ok: true,
      value: valid,
      warnings: [],
    });
  });

  it("accepts a Luhn failure with the BANK_CARD_LUHN warning", () => {
    expect(checkBankCardNumber(breakLast(valid))).toMatchObject({ ok: true, warnings: ["BANK_CARD_LUHN"] });
  });

  it("rejects fewer than 16 or more than 19 digits", () => {
    expect(checkBankCardNumber("622202123456789")).toMatchObject({ ok: false, code: "BANK_CARD_FORMAT" });
    expect(checkBankCardNumber("62220212345678901234")).toMatchObject({
      ok: false,
      code: "BANK_CARD_FORMAT",
    });
  });
});

describe("checkImsi", () => {
  it.each([
    ["460001234567890", "China Mobile", "中国移动"],
    ["460011234567890", "China Unicom", "中国联通"],
    ["460111234567890", "China Telecom", "中国电信"],
    ["460151234567890", "China Broadnet", "中国广电"],
    ["460201234567890", "Tietong", "中国铁通"],
  ])("names the operator of %s", (imsi, nameEn, nameZh) => {
    const r = checkImsi(imsi);
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.operator).toMatchObject({ mcc: "460", mnc: imsi.slice(3, 5), nameEn, nameZh });
  });

  it("accepts a foreign IMSI with no operator and a Chinese one with an unknown MNC with a warning", () => {
    expect(checkImsi("310260123456789")).toEqual({
      ok: true,
      value: "310260123456789",
      warnings: [],
      operator: null,
    });
    expect(checkImsi("460991234567890")).toMatchObject({
      ok: true,
      warnings: ["IMSI_UNKNOWN_MNC"],
      operator: null,
    });
  });

  it("rejects more than 15 digits and non-digits", () => {
    expect(checkImsi("4600012345678901")).toMatchObject({ ok: false, code: "IMSI_FORMAT" });
    expect(checkImsi("46000abc")).toMatchObject({ ok: false, code: "IMSI_FORMAT" });
  });
});

describe("checkImei", () => {
  it("accepts the well-known valid IMEI 490154203237518", () => {
    expect(checkImei("49-015420-323751-8")).toEqual({ ok: true, value: "490154203237518", warnings: [] });
  });

  it("rejects a 15-digit IMEI whose check digit is wrong", () => {
    expect(checkImei("490154203237519")).toMatchObject({ ok: false, code: "IMEI_CHECKSUM" });
  });

  it("accepts a 16-digit IMEISV without a check, saying so", () => {
    expect(checkImei("4901542032375101")).toEqual({
      ok: true,
      value: "4901542032375101",
      warnings: ["IMEISV_UNCHECKED"],
    });
  });

  it("rejects other lengths", () => {
    expect(checkImei("49015420323751")).toMatchObject({ ok: false, code: "IMEI_FORMAT" });
  });
});

describe("Luhn helpers and warning texts", () => {
  it("agree with the independent helper", () => {
    for (const p of ["7992739871", "898600123456789012", "0", "4901542032375"]) {
      expect(p + luhnCheckDigit(p)).toBe(withLuhn(p));
      expect(luhnValid(withLuhn(p))).toBe(true);
      expect(luhnValid(breakLast(withLuhn(p)))).toBe(false);
    }
  });

  it("has zh-CN and English text for every warning", () => {
    for (const w of IDENTIFIER_WARNINGS) {
      expect(IDENTIFIER_WARNING_TEXTS[w]["zh-CN"].length, w).toBeGreaterThan(0);
      expect(IDENTIFIER_WARNING_TEXTS[w].en.length, w).toBeGreaterThan(0);
    }
  });
});
