/**
 * BER-TLV (ISO/IEC 8825-1 as used by ISO 7816-4 and SGP.22): multi-byte tags such as `BF2D` or
 * `9F70`, short and long lengths. Tags are numbers holding their encoded bytes (0xBF2D), so they
 * read like the standards' tables.
 */
import { concatBytes } from "./bytes.js";

export interface Tlv {
  /** The tag as its encoded bytes, big-endian: `0x5A`, `0xBF33`. */
  tag: number;
  /** Bit 6 of the first tag byte: the value is itself a list of TLVs. */
  constructed: boolean;
  value: Uint8Array;
}

export class TlvError extends Error {
  override name = "TlvError";
}

function tagBytes(tag: number): Uint8Array {
  const out: number[] = [];
  let t = tag;
  do {
    out.unshift(t & 0xff);
    t = Math.floor(t / 256);
  } while (t > 0);
  return Uint8Array.from(out);
}

function lengthBytes(n: number): Uint8Array {
  if (n < 0x80) return Uint8Array.of(n);
  if (n < 0x100) return Uint8Array.of(0x81, n);
  if (n < 0x10000) return Uint8Array.of(0x82, n >> 8, n & 0xff);
  if (n < 0x1000000) return Uint8Array.of(0x83, n >> 16, (n >> 8) & 0xff, n & 0xff);
  throw new TlvError(`length ${n} too large`);
}

/** Encodes one TLV; a list of values is concatenated (the children of a constructed tag). */
export function tlv(tag: number, value: Uint8Array | readonly Uint8Array[] = new Uint8Array()): Uint8Array {
  const v = value instanceof Uint8Array ? value : concatBytes(...value);
  return concatBytes(tagBytes(tag), lengthBytes(v.length), v);
}

/** A DER INTEGER's content octets (minimal two's complement) for a non-negative number. */
export function intBytes(n: number): Uint8Array {
  if (!Number.isSafeInteger(n) || n < 0) throw new TlvError(`not a non-negative integer: ${n}`);
  const out: number[] = [];
  let v = n;
  do {
    out.unshift(v & 0xff);
    v = Math.floor(v / 256);
  } while (v > 0);
  if ((out[0] as number) & 0x80) out.unshift(0);
  return Uint8Array.from(out);
}

/** The value of a (non-negative) INTEGER's content octets. */
export function readInt(bytes: Uint8Array): number {
  let n = 0;
  for (const b of bytes) n = n * 256 + b;
  return n;
}

/**
 * Parses consecutive TLVs. `00` and `FF` where a tag would start are padding (ISO 7816-4 §5.2.2)
 * and are skipped, which is how records pad their unused tail.
 */
export function parseTlvs(bytes: Uint8Array): Tlv[] {
  const out: Tlv[] = [];
  let i = 0;
  while (i < bytes.length) {
    const first = bytes[i] as number;
    if (first === 0x00 || first === 0xff) {
      i++;
      continue;
    }
    let tag = first;
    i++;
    if ((first & 0x1f) === 0x1f) {
      let b: number;
      do {
        if (i >= bytes.length) throw new TlvError("truncated tag");
        b = bytes[i++] as number;
        tag = tag * 256 + b;
      } while (b & 0x80);
    }
    if (i >= bytes.length) throw new TlvError(`tag ${tag.toString(16)} has no length`);
    let len = bytes[i++] as number;
    if (len & 0x80) {
      const n = len & 0x7f;
      if (n === 0 || n > 3) throw new TlvError(`unsupported length form 0x${len.toString(16)}`);
      if (i + n > bytes.length) throw new TlvError("truncated length");
      len = 0;
      for (let k = 0; k < n; k++) len = len * 256 + (bytes[i++] as number);
    }
    if (i + len > bytes.length) {
      throw new TlvError(`tag ${tag.toString(16)}: ${len} bytes announced, ${bytes.length - i} present`);
    }
    out.push({ tag, constructed: (first & 0x20) !== 0, value: bytes.subarray(i, i + len) });
    i += len;
  }
  return out;
}

/** Parses exactly one TLV, refusing trailing bytes other than padding. */
export function parseOneTlv(bytes: Uint8Array): Tlv {
  const all = parseTlvs(bytes);
  if (all.length !== 1) throw new TlvError(`expected one TLV, found ${all.length}`);
  return all[0] as Tlv;
}

export function findTlv(list: readonly Tlv[], tag: number): Tlv | undefined {
  return list.find((t) => t.tag === tag);
}

/** The value of `tag` in `list`, or an error naming what was looked for. */
export function requireTlv(list: readonly Tlv[], tag: number, what: string): Tlv {
  const t = findTlv(list, tag);
  if (!t) throw new TlvError(`${what}: tag ${tag.toString(16).toUpperCase()} missing`);
  return t;
}

/** Children of a constructed TLV. */
export function childrenOf(t: Tlv): Tlv[] {
  return parseTlvs(t.value);
}
