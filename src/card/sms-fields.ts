/**
 * The fields inside an SMS TPDU (TS 23.040 §9.1.2 and §9.2.3; TS 23.038 §4): addresses, the
 * service-centre time stamp with its zone, the relative validity period, the data coding scheme.
 */
import { decodeDiallingDigits, encodeDiallingDigits } from "./bcd.js";
import { decodeGsm7Septets, encodeGsm7Septets, packSeptets, unpackSeptets } from "./gsm7.js";

export class SmsDecodeError extends Error {
  override name = "SmsDecodeError";
}

// ---------------------------------------------------------------------------------------------
// Addresses

const TON_ALPHANUMERIC = 0x05;

export interface SmsAddress {
  /** `+` and digits for an international number, digits otherwise; the text of an alphanumeric sender. */
  address: string;
  tonNpi: number;
}

function tonOf(tonNpi: number): number {
  return (tonNpi >> 4) & 0x07;
}

/**
 * TP-OA / TP-DA: length in useful semi-octets, TON/NPI, then swapped BCD; or, with TON 101
 * (`D0`), GSM 7-bit text packed into the semi-octets. Returns the address and its size in bytes.
 */
export function decodeTpAddress(bytes: Uint8Array, offset: number): { value: SmsAddress; size: number } {
  const semiOctets = bytes[offset];
  const tonNpi = bytes[offset + 1];
  if (semiOctets === undefined || tonNpi === undefined) throw new SmsDecodeError("address truncated");
  const n = Math.ceil(semiOctets / 2);
  const body = bytes.subarray(offset + 2, offset + 2 + n);
  if (body.length < n) throw new SmsDecodeError("address truncated");
  let address: string;
  if (tonOf(tonNpi) === TON_ALPHANUMERIC) {
    address = decodeGsm7Septets(unpackSeptets(body, Math.floor((semiOctets * 4) / 7)));
  } else {
    const digits = decodeDiallingDigits(body).slice(0, semiOctets);
    address = tonOf(tonNpi) === 0x01 && digits ? `+${digits}` : digits;
  }
  return { value: { address, tonNpi }, size: 2 + n };
}

export function encodeTpAddress(address: string): Uint8Array {
  if (/^\+?[0-9*#]+$/.test(address) || address === "") {
    const international = address.startsWith("+");
    const digits = international ? address.slice(1) : address;
    return Uint8Array.of(digits.length, international ? 0x91 : 0x81, ...encodeDiallingDigits(digits));
  }
  const septets = encodeGsm7Septets(address);
  const packed = packSeptets(septets);
  return Uint8Array.of(Math.ceil((septets.length * 7) / 4), 0xd0, ...packed);
}

/** The service centre address before a TPDU: its length counts octets, TON/NPI included. */
export function decodeScAddress(
  bytes: Uint8Array,
  offset: number,
): { value: SmsAddress | null; size: number } {
  const len = bytes[offset];
  if (len === undefined) throw new SmsDecodeError("service centre address missing");
  if (len === 0 || len === 0xff) return { value: null, size: 1 };
  const tonNpi = bytes[offset + 1] as number;
  const digits = decodeDiallingDigits(bytes.subarray(offset + 2, offset + 1 + len));
  return { value: { address: tonOf(tonNpi) === 0x01 ? `+${digits}` : digits, tonNpi }, size: 1 + len };
}

export function encodeScAddress(address: string | null): Uint8Array {
  if (!address) return Uint8Array.of(0);
  const international = address.startsWith("+");
  const bcd = encodeDiallingDigits(international ? address.slice(1) : address);
  return Uint8Array.of(bcd.length + 1, international ? 0x91 : 0x81, ...bcd);
}

// ---------------------------------------------------------------------------------------------
// Time stamps

export interface SmsTimestamp {
  /** Local time at the service centre with its offset, e.g. `2024-05-01T12:34:56+08:00`. */
  iso: string;
  /** Milliseconds since the epoch (UTC). */
  epochMs: number;
  /** Offset from UTC in minutes, −8 h = −480. */
  offsetMinutes: number;
}

function swappedBcdByte(b: number): number | null {
  const lo = b & 0x0f;
  const hi = b >> 4;
  return lo > 9 || hi > 9 ? null : lo * 10 + hi;
}

function toSwappedBcd(n: number): number {
  return (Math.floor(n / 10) % 10) | ((n % 10) << 4);
}

function two(n: number): string {
  return String(n).padStart(2, "0");
}

/**
 * TP-SCTS (7 bytes of swapped BCD). The zone is in quarter hours; bit 3 of the raw zone octet is
 * its sign (`23` = +8 h, `2B` = −8 h). Two-digit years from 90 are 19xx, as Android reads them.
 * Null when a field is not valid BCD or not a real date.
 */
export function decodeScts(bytes: Uint8Array): SmsTimestamp | null {
  if (bytes.length < 7) return null;
  const f = [...bytes.subarray(0, 6)].map(swappedBcdByte);
  if (f.some((v) => v === null)) return null;
  const [yy, mo, d, h, mi, s] = f as number[] as [number, number, number, number, number, number];
  const tz = bytes[6] as number;
  const quarters = (tz & 0x07) * 10 + (tz >> 4);
  if (tz >> 4 > 9) return null;
  const offsetMinutes = (tz & 0x08 ? -1 : 1) * quarters * 15;
  const year = yy >= 90 ? 1900 + yy : 2000 + yy;
  const local = Date.UTC(year, mo - 1, d, h, mi, s);
  const check = new Date(local);
  if (check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) return null;
  const sign = offsetMinutes < 0 ? "-" : "+";
  const abs = Math.abs(offsetMinutes);
  const iso = `${year}-${two(mo)}-${two(d)}T${two(h)}:${two(mi)}:${two(s)}${sign}${two(Math.floor(abs / 60))}:${two(abs % 60)}`;
  return { iso, epochMs: local - offsetMinutes * 60_000, offsetMinutes };
}

/** TP-SCTS for an instant shown in a zone `offsetMinutes` from UTC (a multiple of 15). */
export function encodeScts(epochMs: number, offsetMinutes: number): Uint8Array {
  if (offsetMinutes % 15 !== 0 || Math.abs(offsetMinutes) > 79 * 15) {
    throw new RangeError(`zone offset ${offsetMinutes} min is not a whole number of quarter hours`);
  }
  const t = new Date(epochMs + offsetMinutes * 60_000);
  const quarters = Math.abs(offsetMinutes) / 15;
  return Uint8Array.of(
    toSwappedBcd(t.getUTCFullYear() % 100),
    toSwappedBcd(t.getUTCMonth() + 1),
    toSwappedBcd(t.getUTCDate()),
    toSwappedBcd(t.getUTCHours()),
    toSwappedBcd(t.getUTCMinutes()),
    toSwappedBcd(t.getUTCSeconds()),
    toSwappedBcd(quarters) | (offsetMinutes < 0 ? 0x08 : 0),
  );
}

// ---------------------------------------------------------------------------------------------
// Validity period

/** Minutes of a relative TP-VP (TS 23.040 §9.2.3.12.1). */
export function relativeValidityMinutes(vp: number): number {
  if (vp <= 143) return (vp + 1) * 5;
  if (vp <= 167) return 12 * 60 + (vp - 143) * 30;
  if (vp <= 196) return (vp - 166) * 24 * 60;
  return (vp - 192) * 7 * 24 * 60;
}

/** The smallest relative TP-VP that lasts at least `minutes` (capped at 63 weeks). */
export function relativeValidityValue(minutes: number): number {
  for (let vp = 0; vp <= 255; vp++) if (relativeValidityMinutes(vp) >= minutes) return vp;
  return 255;
}

// ---------------------------------------------------------------------------------------------
// Data coding scheme

export type SmsAlphabet = "gsm7" | "8bit" | "ucs2";

export interface DataCoding {
  alphabet: SmsAlphabet;
  /** Message class 0–3 when the scheme gives one. */
  messageClass: number | null;
  compressed: boolean;
}

/** TP-DCS by coding group (TS 23.038 §4). Reserved codings are read as GSM 7-bit, as the standard asks. */
export function decodeDcs(dcs: number): DataCoding {
  const group = dcs >> 4;
  if (group <= 0x7) {
    const bits = (dcs >> 2) & 0x03;
    return {
      alphabet: bits === 1 ? "8bit" : bits === 2 ? "ucs2" : "gsm7",
      messageClass: dcs & 0x10 ? dcs & 0x03 : null,
      compressed: (dcs & 0x20) !== 0,
    };
  }
  if (group === 0xe) return { alphabet: "ucs2", messageClass: null, compressed: false };
  if (group === 0xf)
    return { alphabet: dcs & 0x04 ? "8bit" : "gsm7", messageClass: dcs & 0x03, compressed: false };
  return { alphabet: "gsm7", messageClass: null, compressed: false };
}

export function encodeDcs(alphabet: SmsAlphabet): number {
  return alphabet === "gsm7" ? 0x00 : alphabet === "8bit" ? 0x04 : 0x08;
}
