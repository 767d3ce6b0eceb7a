/** Byte helpers shared by the card codecs: hex in and out, concatenation. Pure, no Buffer needed. */

/** Lowercase hex of `bytes`. */
export function toHex(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += b.toString(16).padStart(2, "0");
  return s;
}

/** Bytes of a hex string; spaces are ignored, anything else that is not hex is an error. */
export function fromHex(hex: string): Uint8Array {
  const h = hex.replace(/\s+/g, "");
  if (h.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(h)) throw new RangeError(`not a hex string: ${hex}`);
  const out = new Uint8Array(h.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(h.slice(2 * i, 2 * i + 2), 16);
  return out;
}

export function concatBytes(...parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** `n` copies of `value` (0xFF pads free space on a card). */
export function filled(n: number, value = 0xff): Uint8Array {
  return new Uint8Array(n).fill(value);
}

/** Whether every byte is 0xFF: an erased record. */
export function isErased(bytes: Uint8Array): boolean {
  return bytes.every((b) => b === 0xff);
}

/** `bytes` padded with `pad` up to `length`; longer input is an error, since it would be cut. */
export function padTo(bytes: Uint8Array, length: number, pad = 0xff): Uint8Array {
  if (bytes.length > length) throw new RangeError(`${bytes.length} bytes do not fit in ${length}`);
  const out = filled(length, pad);
  out.set(bytes);
  return out;
}
