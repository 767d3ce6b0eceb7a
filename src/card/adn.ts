/**
 * Phonebook records (TS 51.011 §10.5.1 and §10.5.10, TS 31.102 §4.4.2): EF.ADN (and EF.MSISDN,
 * same layout), their EF.EXT1 continuation records, and the USIM phonebook's EF.ANR, EF.EMAIL,
 * EF.SNE, EF.IAP, EF.GRP and EF.GAS records.
 *
 * ADN layout: `[alpha X][len][TON/NPI][BCD 10][CCP][EXT1]`; `len` counts TON/NPI plus BCD bytes.
 */
import { decodeAlpha, encodeAlpha } from "./alpha.js";
import { decodeDiallingDigits, encodeDiallingDigits } from "./bcd.js";
import { isErased, padTo } from "./bytes.js";

/** Bytes after the alpha identifier in an ADN record. */
export const ADN_TAIL = 14;
/** Digits that fit in an ADN record's BCD field; longer numbers continue in EXT1. */
export const ADN_MAX_DIGITS = 20;
/** Size of an EXT1 record. */
export const EXT1_RECORD_LENGTH = 13;
const EXT_TYPE_ADDITIONAL_DATA = 0x02;

export const TON_NPI_UNKNOWN = 0x81;
export const TON_NPI_INTERNATIONAL = 0x91;

export interface AdnRecord {
  name: string;
  /** Digits as dialled, with `+` when the TON is international; EXT1 digits not yet appended. */
  number: string;
  tonNpi: number;
  /** Record number of the first EXT1 record, or null. */
  ext: number | null;
}

function isInternational(tonNpi: number): boolean {
  return ((tonNpi >> 4) & 0x07) === 0x01;
}

/** The number part shared by ADN and ANR: `[len][TON/NPI][BCD 10]`. */
function decodeNumberPart(bytes: Uint8Array): { number: string; tonNpi: number } {
  const len = bytes[0] as number;
  const tonNpi = bytes[1] as number;
  // Longer than TON/NPI plus ten BCD bytes is invalid, as Android reads it.
  if (len === 0xff || len < 2 || len > 11) return { number: "", tonNpi };
  const digits = decodeDiallingDigits(bytes.subarray(2, 2 + Math.min(len - 1, 10)));
  return { number: isInternational(tonNpi) && digits ? `+${digits}` : digits, tonNpi };
}

/** Decodes an ADN (or MSISDN) record; null for a free record. */
export function decodeAdnRecord(record: Uint8Array): AdnRecord | null {
  if (record.length < ADN_TAIL || isErased(record)) return null;
  const x = record.length - ADN_TAIL;
  const name = decodeAlpha(record.subarray(0, x));
  const { number, tonNpi } = decodeNumberPart(record.subarray(x, x + 12));
  const extByte = record[x + 13] as number;
  if (!name && !number) return null;
  return { name, number, tonNpi, ext: extByte === 0xff || extByte === 0 ? null : extByte };
}

export interface Ext1Record {
  digits: string;
  next: number | null;
}

/** Decodes an EXT1 record; null when it is free or not a dialling-number extension. */
export function decodeExt1Record(record: Uint8Array): Ext1Record | null {
  if (record.length < EXT1_RECORD_LENGTH || isErased(record)) return null;
  if (((record[0] as number) & 0x03) !== EXT_TYPE_ADDITIONAL_DATA) return null;
  const len = record[1] as number;
  if (len > 10) return null;
  const next = record[12] as number;
  return {
    digits: decodeDiallingDigits(record.subarray(2, 2 + len)),
    next: next === 0xff || next === 0 ? null : next,
  };
}

/** Splits a number into the ADN part (TON/NPI and at most 20 digits) and EXT1 chunks of 20. */
export function splitNumber(number: string): { tonNpi: number; main: string; extensions: string[] } {
  const international = number.startsWith("+");
  const digits = international ? number.slice(1) : number;
  const extensions: string[] = [];
  for (let i = ADN_MAX_DIGITS; i < digits.length; i += ADN_MAX_DIGITS) {
    extensions.push(digits.slice(i, i + ADN_MAX_DIGITS));
  }
  return {
    tonNpi: international ? TON_NPI_INTERNATIONAL : TON_NPI_UNKNOWN,
    main: digits.slice(0, ADN_MAX_DIGITS),
    extensions,
  };
}

function encodeNumberPart(number: string, tonNpi?: number): Uint8Array {
  if (!number) return Uint8Array.of(0xff, 0xff, ...new Uint8Array(10).fill(0xff));
  const split = splitNumber(number);
  const bcd = encodeDiallingDigits(split.main);
  return Uint8Array.of(bcd.length + 1, tonNpi ?? split.tonNpi, ...padTo(bcd, 10));
}

/**
 * Encodes an ADN record of `recordLength` bytes. Digits beyond 20 must be written to EXT1 by the
 * caller (see `splitNumber`), which passes the first EXT1 record number as `ext`.
 */
export function encodeAdnRecord(
  entry: { name: string; number: string; ext?: number | null },
  recordLength: number,
): Uint8Array {
  const x = recordLength - ADN_TAIL;
  const alpha = encodeAlpha(entry.name);
  if (alpha.length > x)
    throw new RangeError(`name "${entry.name}" needs ${alpha.length} bytes, the record has ${x}`);
  const out = new Uint8Array(recordLength).fill(0xff);
  out.set(alpha);
  out.set(encodeNumberPart(entry.number), x);
  out[x + 13] = entry.ext ?? 0xff;
  return out;
}

/** Encodes an EXT1 record holding up to 20 more digits, chained to `next`. */
export function encodeExt1Record(digits: string, next: number | null): Uint8Array {
  const bcd = encodeDiallingDigits(digits);
  if (bcd.length > 10) throw new RangeError("an EXT1 record holds at most 20 digits");
  return Uint8Array.of(EXT_TYPE_ADDITIONAL_DATA, bcd.length, ...padTo(bcd, 10), next ?? 0xff);
}

/** A type-2 record ends with the ADN file's SFI and record number it belongs to. */
export interface AdnLink {
  adnSfi: number;
  adnRecord: number;
}

export interface AnrRecord {
  number: string;
  tonNpi: number;
  /** Record in EF.AAS naming the number's type ("work", "home"), or null. */
  aas: number | null;
  ext: number | null;
}

/** EF.ANR: `[AAS][len][TON/NPI][BCD 10][CCP][EXT1]` plus the ADN link in a type-2 file. */
export function decodeAnrRecord(record: Uint8Array): AnrRecord | null {
  if (record.length < 15 || isErased(record.subarray(0, 15))) return null;
  const { number, tonNpi } = decodeNumberPart(record.subarray(1, 13));
  if (!number) return null;
  const aas = record[0] as number;
  const ext = record[14] as number;
  return { number, tonNpi, aas: aas === 0 || aas === 0xff ? null : aas, ext: ext === 0xff ? null : ext };
}

export function encodeAnrRecord(number: string, recordLength: number, link?: AdnLink): Uint8Array {
  const out = new Uint8Array(recordLength).fill(0xff);
  out[0] = 0x00;
  out.set(encodeNumberPart(number), 1);
  if (link) out.set([link.adnSfi, link.adnRecord], recordLength - 2);
  return out;
}

/**
 * Text records: EF.EMAIL, EF.SNE (alpha, plus the ADN link in a type-2 file) and EF.GAS (alpha).
 * `linked` says whether the last two bytes are the ADN link rather than text.
 */
export function decodeTextRecord(record: Uint8Array, linked: boolean): string | null {
  const text = linked ? record.subarray(0, Math.max(0, record.length - 2)) : record;
  if (isErased(text)) return null;
  const s = decodeAlpha(text);
  return s === "" ? null : s;
}

export function encodeTextRecord(text: string, recordLength: number, link?: AdnLink): Uint8Array {
  const room = link ? recordLength - 2 : recordLength;
  const alpha = encodeAlpha(text);
  if (alpha.length > room)
    throw new RangeError(`"${text}" needs ${alpha.length} bytes, the record has ${room}`);
  const out = new Uint8Array(recordLength).fill(0xff);
  out.set(alpha);
  if (link) out.set([link.adnSfi, link.adnRecord], recordLength - 2);
  return out;
}

/** EF.GRP: the group numbers (records of EF.GAS) an entry belongs to; `00` means none. */
export function decodeGrpRecord(record: Uint8Array): number[] {
  return [...record].filter((b) => b !== 0x00 && b !== 0xff);
}
