/**
 * Checks for the identifiers a holder types in (card-tech.md §3.3 and §5). Each check normalises
 * what it accepts, so that the same card typed twice compares equal, and says precisely why it
 * rejects, so that a typo is caught before it costs a week in a review queue.
 *
 * Failures carry a stable `code` plus an English `reason` and a zh-CN `reasonZh`; warnings are
 * stable codes (see IDENTIFIER_WARNING_TEXTS) for input that is accepted but worth a second look.
 */
import { zonedIsoDate } from "./zoned-time.js";

export const IDENTIFIER_ERROR_CODES = [
  "ID_NUMBER_FORMAT",
  "ID_NUMBER_REGION",
  "ID_NUMBER_BIRTH_DATE",
  "ID_NUMBER_CHECKSUM",
  "ICCID_FORMAT",
  "ICCID_LENGTH",
  "ICCID_PREFIX",
  "MOBILE_FORMAT",
  "MOBILE_BLOCK",
  "EID_FORMAT",
  "EID_CHECKSUM",
  "BANK_CARD_FORMAT",
  "IMSI_FORMAT",
  "IMEI_FORMAT",
  "IMEI_CHECKSUM",
] as const;
export type IdentifierErrorCode = (typeof IDENTIFIER_ERROR_CODES)[number];

export const IDENTIFIER_WARNINGS = [
  "ID_NUMBER_LEGACY_15",
  "ICCID_LUHN",
  "ICCID_LETTER",
  "BANK_CARD_LUHN",
  "IMSI_UNKNOWN_MNC",
  "IMEISV_UNCHECKED",
] as const;
export type IdentifierWarning = (typeof IDENTIFIER_WARNINGS)[number];

/** Display texts for warnings, so every client words them the same way. */
export const IDENTIFIER_WARNING_TEXTS: Readonly<Record<IdentifierWarning, { "zh-CN": string; en: string }>> =
  {
    ID_NUMBER_LEGACY_15: {
      "zh-CN": "这是旧版15位身份证号码，没有校验位；如已换领18位身份证，请使用新号码",
      en: "This is a legacy 15-digit ID number without a check digit; use the 18-digit number if you have one",
    },
    ICCID_LUHN: {
      "zh-CN": "ICCID 校验位不符合 Luhn 规则；部分国内卡如此印制，请核对卡上号码",
      en: "The ICCID does not pass the Luhn check; some Chinese cards are printed this way, please compare with the card",
    },
    ICCID_LETTER: {
      "zh-CN": "ICCID 含字母，无法校验；请核对卡上号码",
      en: "The ICCID contains a letter and cannot be checked; please compare with the card",
    },
    BANK_CARD_LUHN: {
      "zh-CN": "卡号未通过 Luhn 校验，请核对是否输错",
      en: "The card number does not pass the Luhn check; please check for a typo",
    },
    IMSI_UNKNOWN_MNC: {
      "zh-CN": "IMSI 的网络代码不在已知的中国运营商列表中",
      en: "The IMSI's network code is not a known Chinese operator",
    },
    IMEISV_UNCHECKED: {
      "zh-CN": "这是16位 IMEISV，没有校验位，无法校验",
      en: "This is a 16-digit IMEISV, which has no check digit to verify",
    },
  };

export interface IdentifierOk {
  ok: true;
  value: string;
  warnings: IdentifierWarning[];
}
export interface IdentifierError {
  ok: false;
  code: IdentifierErrorCode;
  /** English explanation with a hint where one helps. */
  reason: string;
  /** The same in zh-CN. */
  reasonZh: string;
}
/** Outcome of an identifier check; `Extra` adds fields to the success case only. */
export type IdentifierResult<Extra extends object = Record<never, never>> =
  | (IdentifierOk & Extra)
  | IdentifierError;

function fail(code: IdentifierErrorCode, reason: string, reasonZh: string): IdentifierError {
  return { ok: false, code, reason, reasonZh };
}

/** Removes the separators people type or copy along with a number. */
function compact(input: string): string {
  return input.replace(/[\s\u3000\-‐–—]/g, "");
}

/** Luhn (ISO/IEC 7812-1) over a string of digits, check digit included. */
export function luhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  return luhnSum(digits, false) % 10 === 0;
}

/** The Luhn digit to append to `payload` (digits only). */
export function luhnCheckDigit(payload: string): string {
  if (!/^\d+$/.test(payload)) throw new RangeError("luhnCheckDigit: digits only");
  return String((10 - (luhnSum(payload, true) % 10)) % 10);
}

function luhnSum(digits: string, doubleFirstFromRight: boolean): number {
  let sum = 0;
  let double = doubleFirstFromRight;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum;
}

// ---------------------------------------------------------------------------------------------
// ID number (GB 11643-1999)

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const ID_CHECK_CHARS = "10X98765432";

/**
 * Province-level prefixes of GB/T 2260, plus 71 Taiwan, 81 Hong Kong and 82 Macao (residence
 * permits) and 83 (Taiwan residents' residence permit).
 */
const PROVINCES =
  "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65";
const ID_PROVINCES = new Set(`${PROVINCES} 71 81 82 83`.split(" "));

/** The ISO 7064 MOD 11-2 check character for the first 17 digits of an ID number. */
export function idNumberCheckChar(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new RangeError("idNumberCheckChar: expected 17 digits");
  let s = 0;
  for (let i = 0; i < 17; i++) s += (first17.charCodeAt(i) - 48) * (ID_WEIGHTS[i] as number);
  return ID_CHECK_CHARS[s % 11] as string;
}

/** Time zone in which an ID number's birth date is a calendar date. */
const ID_ZONE = "Asia/Shanghai";

function validCalendarDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  return d <= new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/**
 * Checks a resident identity card number: 18 characters (GB 11643-1999) or, with the
 * `ID_NUMBER_LEGACY_15` warning, the pre-1999 15-digit form. A lowercase `x` becomes `X`.
 * With `now`, a birth date after today (in China) is rejected.
 */
export function checkIdNumber(input: string, now?: Date): IdentifierResult {
  const id = compact(input).toUpperCase();
  let birth: string;
  const warnings: IdentifierWarning[] = [];
  if (/^\d{17}[\dX]$/.test(id)) {
    birth = id.slice(6, 14);
  } else if (/^\d{15}$/.test(id)) {
    // Legacy numbers carry a two-digit year; they were only issued to people born in the 1900s.
    birth = `19${id.slice(6, 12)}`;
    warnings.push("ID_NUMBER_LEGACY_15");
  } else {
    return fail(
      "ID_NUMBER_FORMAT",
      `An ID number has 18 characters (17 digits and a digit or X); got ${id.length}`,
      `身份证号码应为18位（前17位为数字，最后一位为数字或X），当前为${id.length}位`,
    );
  }
  // Foreigners' permanent residence cards since 2023 start with 9 and reuse the same layout.
  if (!ID_PROVINCES.has(id.slice(0, 2)) && !(id.length === 18 && id[0] === "9")) {
    return fail(
      "ID_NUMBER_REGION",
      `The first two digits (${id.slice(0, 2)}) are not a province code`,
      `前两位（${id.slice(0, 2)}）不是有效的省级行政区划代码`,
    );
  }
  const y = Number(birth.slice(0, 4));
  const m = Number(birth.slice(4, 6));
  const d = Number(birth.slice(6, 8));
  const birthIso = `${birth.slice(0, 4)}-${birth.slice(4, 6)}-${birth.slice(6, 8)}`;
  if (y < 1850 || !validCalendarDate(y, m, d)) {
    return fail(
      "ID_NUMBER_BIRTH_DATE",
      `The birth date ${birthIso} is not a valid date`,
      `出生日期 ${birthIso} 不是有效日期`,
    );
  }
  if (now && birthIso > zonedIsoDate(now, ID_ZONE)) {
    return fail(
      "ID_NUMBER_BIRTH_DATE",
      `The birth date ${birthIso} is in the future`,
      `出生日期 ${birthIso} 晚于今天`,
    );
  }
  if (id.length === 18) {
    const expected = idNumberCheckChar(id.slice(0, 17));
    if (id[17] !== expected) {
      return fail(
        "ID_NUMBER_CHECKSUM",
        "The last character does not match the others; one of the 18 characters is probably mistyped",
        "校验位与前17位不符，可能有某一位输入错误",
      );
    }
  }
  return { ok: true, value: id, warnings };
}

/** Birth date (`YYYY-MM-DD`) encoded in an ID number, or null when it is not a valid ID number. */
export function idNumberBirthDate(id: string): string | null {
  const r = checkIdNumber(id);
  if (!r.ok) return null;
  const b = r.value.length === 18 ? r.value.slice(6, 14) : `19${r.value.slice(6, 12)}`;
  return `${b.slice(0, 4)}-${b.slice(4, 6)}-${b.slice(6, 8)}`;
}

/**
 * Whether the holder of `id` is under 18 in whole years on `now` (China local date). Someone born
 * on 29 February comes of age on 1 March in common years.
 * @throws RangeError when `id` is not a valid ID number.
 */
export function isMinorOn(id: string, now: Date): boolean {
  const birth = idNumberBirthDate(id);
  if (birth === null) throw new RangeError("isMinorOn: not a valid ID number");
  const today = zonedIsoDate(now, ID_ZONE);
  const [by, bm, bd] = birth.split("-").map(Number) as [number, number, number];
  const [ty, tm, td] = today.split("-").map(Number) as [number, number, number];
  const hadBirthday = tm > bm || (tm === bm && td >= bd);
  const age = ty - by - (hadBirthday ? 0 : 1);
  return age < 18;
}

// ---------------------------------------------------------------------------------------------
// ICCID (ITU-T E.118)

/**
 * Checks an ICCID as printed on a SIM: 19 or 20 characters starting with `89`. A Luhn failure is
 * only a warning because Chinese operators print non-Luhn variants; a letter (some Unicom and
 * Telecom cards) is accepted with a warning and no Luhn check.
 */
export function checkIccid(input: string): IdentifierResult {
  const v = compact(input).toUpperCase();
  if (!/^[0-9A-Z]+$/.test(v)) {
    return fail(
      "ICCID_FORMAT",
      "An ICCID contains only digits (rarely one letter)",
      "ICCID 只能包含数字（极少数含一个字母）",
    );
  }
  if (!v.startsWith("89")) {
    return fail("ICCID_PREFIX", "An ICCID starts with 89", "ICCID 应以 89 开头");
  }
  if (v.length === 18 && /^\d+$/.test(v)) {
    const completed = v + luhnCheckDigit(v);
    return fail(
      "ICCID_LENGTH",
      `An ICCID has 19 or 20 digits; this one has 18, so a digit is probably missing (with its check digit it would be ${completed})`,
      `ICCID 应为19或20位，当前只有18位，可能漏了一位（如补上校验位则为 ${completed}）`,
    );
  }
  if (v.length !== 19 && v.length !== 20) {
    return fail(
      "ICCID_LENGTH",
      `An ICCID has 19 or 20 digits; got ${v.length}`,
      `ICCID 应为19或20位，当前为${v.length}位`,
    );
  }
  if (/[A-Z]/.test(v)) return { ok: true, value: v, warnings: ["ICCID_LETTER"] };
  return { ok: true, value: v, warnings: luhnValid(v) ? [] : ["ICCID_LUHN"] };
}

// ---------------------------------------------------------------------------------------------
// Mobile number

/** Blocks that match the mobile pattern but are not assigned to phones (IoT / data only). */
const NON_PHONE_BLOCKS = ["140", "194"];

/**
 * Checks a mainland China mobile number and normalises it to 11 digits, dropping separators and
 * a `+86`, `0086` or `86` country prefix.
 */
export function checkMobile(input: string): IdentifierResult {
  let v = compact(input).replace(/[()（）]/g, "");
  if (v.startsWith("+86")) v = v.slice(3);
  else if (v.startsWith("0086")) v = v.slice(4);
  // A bare 86 is only a prefix when 11 digits follow; otherwise it is part of a wrong number.
  else if (v.startsWith("86") && v.length === 13) v = v.slice(2);
  if (!/^1[3-9]\d{9}$/.test(v)) {
    return fail(
      "MOBILE_FORMAT",
      "A mainland mobile number has 11 digits and starts with 13–19",
      "手机号码应为11位数字，以13–19开头",
    );
  }
  const block = v.slice(0, 3);
  if (NON_PHONE_BLOCKS.includes(block)) {
    return fail(
      "MOBILE_BLOCK",
      `Numbers starting ${block} are IoT/data numbers, not phone numbers`,
      `${block} 号段为物联网/数据号段，不是手机号码`,
    );
  }
  return { ok: true, value: v, warnings: [] };
}

// ---------------------------------------------------------------------------------------------
// EID (SGP.29)

/** N mod 97 for a long digit string, in chunks so that it stays within safe integers. */
function mod97(digits: string): number {
  let r = 0;
  for (let i = 0; i < digits.length; i += 7) r = Number(String(r) + digits.slice(i, i + 7)) % 97;
  return r;
}

/** The two MOD 97-10 check digits to append to the first 30 digits of an EID. */
export function eidCheckDigits(first30: string): string {
  if (!/^\d{30}$/.test(first30)) throw new RangeError("eidCheckDigits: expected 30 digits");
  return String(98 - mod97(`${first30}00`)).padStart(2, "0");
}

/** Checks an eUICC identifier: 32 digits whose value mod 97 is 1 (ISO 7064 MOD 97-10). */
export function checkEid(input: string): IdentifierResult {
  const v = compact(input);
  if (!/^\d{32}$/.test(v)) {
    return fail(
      "EID_FORMAT",
      `An EID has 32 digits; got ${v.length} characters`,
      `EID 应为32位数字，当前为${v.length}位`,
    );
  }
  if (mod97(v) !== 1) {
    return fail(
      "EID_CHECKSUM",
      "The EID's check digits do not match; a digit is probably mistyped",
      "EID 校验位不符，可能有某一位输入错误",
    );
  }
  return { ok: true, value: v, warnings: [] };
}

// ---------------------------------------------------------------------------------------------
// Bank card, IMSI, IMEI

/** Checks a bank card number: 16–19 digits; a Luhn failure is only a warning (card-tech.md §5). */
export function checkBankCardNumber(input: string): IdentifierResult {
  const v = compact(input);
  if (!/^\d{16,19}$/.test(v)) {
    return fail("BANK_CARD_FORMAT", "A bank card number has 16 to 19 digits", "银行卡号应为16至19位数字");
  }
  return { ok: true, value: v, warnings: luhnValid(v) ? [] : ["BANK_CARD_LUHN"] };
}

/** A mobile network known by its IMSI prefix. */
export interface ImsiOperator {
  mcc: string;
  mnc: string;
  nameZh: string;
  nameEn: string;
}

/** MCC 460 operators and their two-digit MNCs (card-tech.md §3.3). */
const CN_OPERATORS: readonly (Omit<ImsiOperator, "mnc" | "mcc"> & { mncs: readonly string[] })[] = [
  { nameZh: "中国移动", nameEn: "China Mobile", mncs: ["00", "02", "04", "07", "08"] },
  { nameZh: "中国联通", nameEn: "China Unicom", mncs: ["01", "06", "09"] },
  { nameZh: "中国电信", nameEn: "China Telecom", mncs: ["03", "05", "11"] },
  { nameZh: "中国广电", nameEn: "China Broadnet", mncs: ["15"] },
  { nameZh: "中国铁通", nameEn: "Tietong", mncs: ["20"] },
];

/**
 * Checks an IMSI (MCC + MNC + MSIN, at most 15 digits). For China (MCC 460) the operator is
 * named from the two-digit MNC; other countries are accepted with `operator: null`.
 */
export function checkImsi(input: string): IdentifierResult<{ operator: ImsiOperator | null }> {
  const v = compact(input);
  // MCC(3) + MNC(2–3) + at least one MSIN digit.
  if (!/^\d{6,15}$/.test(v)) {
    return fail("IMSI_FORMAT", "An IMSI has 6 to 15 digits", "IMSI 应为6至15位数字");
  }
  if (!v.startsWith("460")) return { ok: true, value: v, warnings: [], operator: null };
  const mnc = v.slice(3, 5);
  const op = CN_OPERATORS.find((o) => o.mncs.includes(mnc));
  if (!op) return { ok: true, value: v, warnings: ["IMSI_UNKNOWN_MNC"], operator: null };
  return {
    ok: true,
    value: v,
    warnings: [],
    operator: { mcc: "460", mnc, nameZh: op.nameZh, nameEn: op.nameEn },
  };
}

/** Checks an IMEI (15 digits, Luhn) or accepts a 16-digit IMEISV, which has no check digit. */
export function checkImei(input: string): IdentifierResult {
  const v = compact(input).replace(/\//g, "");
  if (/^\d{16}$/.test(v)) return { ok: true, value: v, warnings: ["IMEISV_UNCHECKED"] };
  if (!/^\d{15}$/.test(v)) {
    return fail("IMEI_FORMAT", "An IMEI has 15 digits (an IMEISV 16)", "IMEI 应为15位数字（IMEISV 为16位）");
  }
  if (!luhnValid(v)) {
    return fail(
      "IMEI_CHECKSUM",
      "The IMEI's check digit does not match; a digit is probably mistyped",
      "IMEI 校验位不符，可能有某一位输入错误",
    );
  }
  return { ok: true, value: v, warnings: [] };
}
