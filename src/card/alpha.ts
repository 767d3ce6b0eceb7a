/**
 * Alpha identifiers: the names in EF.ADN, EF.SNE, EF.EMAIL and EF.GAS (TS 51.011 Annex B,
 * TS 102 221 Annex A; AOSP `IccUtils.adnStringFieldToString`). Four codings:
 *
 * - GSM default alphabet, one septet per byte (bit 8 = 0), padded with `FF`;
 * - `80` + UCS2 big-endian, trailing `FFFF` trimmed (how phones store Chinese names);
 * - `81` + count + one base byte (base = byte << 7): a byte with bit 8 set is base + (b & 0x7F),
 *   any other byte a GSM character;
 * - `82` + count + a 16-bit base, then as `81`.
 */
import { decodeGsm7Septets, GSM7_ESCAPE, gsm7Septets } from "./gsm7.js";

export type AlphaCoding = "gsm" | "ucs2" | "ucs2-81" | "ucs2-82";

/** GSM text from unpacked septets, stopping at `FF` padding. */
function gsmUnpacked(bytes: Uint8Array): string {
  const septets: number[] = [];
  for (const b of bytes) {
    if (b === 0xff) break;
    septets.push(b & 0x7f);
  }
  return decodeGsm7Septets(septets);
}

/** `81`/`82` text: bytes with bit 8 set are offsets from `base`; runs of others are GSM. */
function pagedText(bytes: Uint8Array, base: number): string {
  let s = "";
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] as number;
    if (b & 0x80) {
      s += String.fromCharCode(base + (b & 0x7f));
      i++;
      continue;
    }
    let j = i;
    while (j < bytes.length && !((bytes[j] as number) & 0x80)) j++;
    s += gsmUnpacked(bytes.subarray(i, j));
    i = j;
  }
  return s;
}

/** Decodes an alpha identifier of any coding; an erased field is the empty string. */
export function decodeAlpha(bytes: Uint8Array): string {
  if (bytes.length === 0) return "";
  const first = bytes[0] as number;
  if (first === 0x80) {
    let units = Math.floor((bytes.length - 1) / 2);
    while (units > 0 && bytes[2 * units - 1] === 0xff && bytes[2 * units] === 0xff) units--;
    let s = "";
    for (let k = 0; k < units; k++)
      s += String.fromCharCode(((bytes[1 + 2 * k] as number) << 8) | (bytes[2 + 2 * k] as number));
    return s;
  }
  if (first === 0x81 && bytes.length >= 3) {
    const count = Math.min(bytes[1] as number, bytes.length - 3);
    return pagedText(bytes.subarray(3, 3 + count), (bytes[2] as number) << 7);
  }
  if (first === 0x82 && bytes.length >= 4) {
    const count = Math.min(bytes[1] as number, bytes.length - 4);
    return pagedText(bytes.subarray(4, 4 + count), ((bytes[2] as number) << 8) | (bytes[3] as number));
  }
  return gsmUnpacked(bytes);
}

/** The GSM byte for a character usable inside `81`/`82` text (no escapes there), or undefined. */
function plainGsm(c: string): number | undefined {
  const s = gsm7Septets(c);
  return s && s.length === 1 && s[0] !== GSM7_ESCAPE ? s[0] : undefined;
}

function encodePaged(text: string, coding: "ucs2-81" | "ucs2-82"): Uint8Array | null {
  const units = [...text].map((c) => ({ c, gsm: plainGsm(c), code: c.codePointAt(0) as number }));
  const wide = units.filter((u) => u.gsm === undefined).map((u) => u.code);
  if (wide.length === 0 || wide.some((code) => code > 0xffff)) return null;
  const min = Math.min(...wide);
  const max = Math.max(...wide);
  let base: number;
  if (coding === "ucs2-81") {
    base = (min >> 7) << 7;
    if (base > 0x7f80 || max >= base + 0x80) return null;
  } else {
    base = min;
    if (max - min > 0x7f) return null;
  }
  const body = units.map((u) => (u.gsm !== undefined ? u.gsm : 0x80 | (u.code - base)));
  if (body.length > 0xff) return null;
  const head =
    coding === "ucs2-81" ? [0x81, body.length, base >> 7] : [0x82, body.length, base >> 8, base & 0xff];
  return Uint8Array.from([...head, ...body]);
}

/** Encodes `text` in one coding, or returns null when that coding cannot hold it. */
export function encodeAlphaAs(text: string, coding: AlphaCoding): Uint8Array | null {
  if (coding === "gsm") {
    const s = gsm7Septets(text);
    return s ? Uint8Array.from(s) : null;
  }
  if (coding === "ucs2") {
    const out = new Uint8Array(1 + text.length * 2);
    out[0] = 0x80;
    for (let i = 0; i < text.length; i++) {
      const u = text.charCodeAt(i);
      out[1 + 2 * i] = u >> 8;
      out[2 + 2 * i] = u & 0xff;
    }
    return out;
  }
  return encodePaged(text, coding);
}

/**
 * The shortest coding of `text` (GSM when it fits; then `80`, `81`, `82` by size, `80` on a tie
 * because every phone reads it). Unpadded: the record writer pads with `FF`.
 */
export function encodeAlpha(text: string): Uint8Array {
  const candidates = (["gsm", "ucs2", "ucs2-81", "ucs2-82"] as const)
    .map((c) => encodeAlphaAs(text, c))
    .filter((b): b is Uint8Array => b !== null);
  return candidates.reduce((best, b) => (b.length < best.length ? b : best));
}
