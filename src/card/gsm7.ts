/**
 * The GSM 7-bit default alphabet and its extension table (TS 23.038 §6.2.1), unpacked (one
 * septet per byte, as in SIM alpha identifiers) and packed (SMS user data, with the fill bits a
 * user-data header needs).
 */

/** Default alphabet, indexed by septet. 0x1B is the escape to the extension table. */
// biome-ignore format: the table reads as the standard prints it
const DEFAULT_ALPHABET = [
  "@", "£", "$", "¥", "è", "é", "ù", "ì", "ò", "Ç", "\n", "Ø", "ø", "\r", "Å", "å",
  "Δ", "_", "Φ", "Γ", "Λ", "Ω", "Π", "Ψ", "Σ", "Θ", "Ξ", "\u001b", "Æ", "æ", "ß", "É",
  " ", "!", '"', "#", "¤", "%", "&", "'", "(", ")", "*", "+", ",", "-", ".", "/",
  "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", ":", ";", "<", "=", ">", "?",
  "¡", "A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K", "L", "M", "N", "O",
  "P", "Q", "R", "S", "T", "U", "V", "W", "X", "Y", "Z", "Ä", "Ö", "Ñ", "Ü", "§",
  "¿", "a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o",
  "p", "q", "r", "s", "t", "u", "v", "w", "x", "y", "z", "ä", "ö", "ñ", "ü", "à",
] as const;

export const GSM7_ESCAPE = 0x1b;

/** Extension table: septet after the escape → character. */
const EXTENSION: ReadonlyMap<number, string> = new Map([
  [0x0a, "\f"],
  [0x14, "^"],
  [0x28, "{"],
  [0x29, "}"],
  [0x2f, "\\"],
  [0x3c, "["],
  [0x3d, "~"],
  [0x3e, "]"],
  [0x40, "|"],
  [0x65, "€"],
]);

const ENCODE_DEFAULT = new Map<string, number>();
DEFAULT_ALPHABET.forEach((c, i) => {
  if (i !== GSM7_ESCAPE) ENCODE_DEFAULT.set(c, i);
});
const ENCODE_EXTENSION = new Map<string, number>([...EXTENSION].map(([k, v]) => [v, k]));

/** Septets for `text`, or null when a character is in neither table. */
export function gsm7Septets(text: string): number[] | null {
  const out: number[] = [];
  for (const c of text) {
    const d = ENCODE_DEFAULT.get(c);
    if (d !== undefined) {
      out.push(d);
      continue;
    }
    const e = ENCODE_EXTENSION.get(c);
    if (e === undefined) return null;
    out.push(GSM7_ESCAPE, e);
  }
  return out;
}

export function isGsm7(text: string): boolean {
  return gsm7Septets(text) !== null;
}

/** Like `gsm7Septets` but refusing text outside the alphabet. */
export function encodeGsm7Septets(text: string): number[] {
  const s = gsm7Septets(text);
  if (!s) throw new RangeError(`not in the GSM 7-bit alphabet: ${JSON.stringify(text)}`);
  return s;
}

/**
 * Text from septets. An escape followed by a septet without an extension character shows the
 * default character instead (TS 23.038 §6.2.1.1); a trailing lone escape is dropped.
 */
export function decodeGsm7Septets(septets: readonly number[]): string {
  let s = "";
  for (let i = 0; i < septets.length; i++) {
    const v = (septets[i] as number) & 0x7f;
    if (v === GSM7_ESCAPE) {
      const next = septets[i + 1];
      if (next === undefined) break;
      i++;
      s += EXTENSION.get(next & 0x7f) ?? (next === GSM7_ESCAPE ? " " : DEFAULT_ALPHABET[next & 0x7f]);
      continue;
    }
    s += DEFAULT_ALPHABET[v];
  }
  return s;
}

/**
 * Packs septets LSB-first into octets. `fillBits` (0–6) skips bits first, so that packed text
 * after a user-data header starts on a septet boundary (TS 23.040 §9.2.3.24).
 */
export function packSeptets(septets: readonly number[], fillBits = 0): Uint8Array {
  const totalBits = fillBits + septets.length * 7;
  const out = new Uint8Array(Math.ceil(totalBits / 8));
  septets.forEach((v, i) => {
    const bit = fillBits + i * 7;
    const byte = bit >> 3;
    const shift = bit & 7;
    out[byte] = (out[byte] as number) | ((v << shift) & 0xff);
    if (shift > 1) out[byte + 1] = (out[byte + 1] as number) | (v >> (8 - shift));
  });
  return out;
}

/** The inverse of `packSeptets`: `count` septets starting `fillBits` into `bytes`. */
export function unpackSeptets(bytes: Uint8Array, count: number, fillBits = 0): number[] {
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    const bit = fillBits + i * 7;
    const byte = bit >> 3;
    const shift = bit & 7;
    if (byte >= bytes.length) throw new RangeError(`user data ends before septet ${i + 1} of ${count}`);
    let v = (bytes[byte] as number) >> shift;
    if (shift > 1) v |= (bytes[byte + 1] ?? 0) << (8 - shift);
    out.push(v & 0x7f);
  }
  return out;
}
