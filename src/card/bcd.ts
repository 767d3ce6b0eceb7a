/**
 * Swapped ("nibble-reversed") BCD as SIM files and SMS addresses store digits: the low nibble
 * holds the first digit, `F` pads an odd count. Dialling numbers extend the digits with `*`, `#`,
 * pause and wild (TS 51.011 §10.5.1; AOSP `PhoneNumberUtils.calledPartyBCDToString`).
 */

/** Nibbles A–D of a dialling number; `E` is reserved and skipped. */
const EXTENDED_OUT: Record<number, string> = { 10: "*", 11: "#", 12: ",", 13: "N" };

function nibblesOf(bytes: Uint8Array): number[] {
  const out: number[] = [];
  for (const b of bytes) out.push(b & 0x0f, b >> 4);
  return out;
}

/**
 * Dialling digits from swapped BCD, stopping at the first `F`. `C` (pause) becomes `,` and `D`
 * (wild) becomes `N`, as Android writes them.
 */
export function decodeDiallingDigits(bytes: Uint8Array): string {
  let s = "";
  for (const n of nibblesOf(bytes)) {
    if (n === 0xf) break;
    if (n <= 9) s += String(n);
    else s += EXTENDED_OUT[n] ?? "";
  }
  return s;
}

function nibbleOf(c: string): number {
  if (c >= "0" && c <= "9") return c.charCodeAt(0) - 48;
  switch (c) {
    case "*":
      return 0xa;
    case "#":
      return 0xb;
    case ",":
    case "p":
    case "P":
      return 0xc;
    case "N":
    case "n":
    case "?":
    case "w":
    case "W":
      return 0xd;
    default:
      throw new RangeError(`"${c}" cannot be stored as a dialling digit`);
  }
}

/** Swapped BCD of dialling digits (0–9 * # , N), padded with `F`. */
export function encodeDiallingDigits(digits: string): Uint8Array {
  const nibbles = [...digits].map(nibbleOf);
  if (nibbles.length % 2 === 1) nibbles.push(0xf);
  const out = new Uint8Array(nibbles.length / 2);
  for (let i = 0; i < out.length; i++)
    out[i] = (nibbles[2 * i] as number) | ((nibbles[2 * i + 1] as number) << 4);
  return out;
}

/**
 * An ICCID from EF.ICCID (10 bytes). Nibbles A–E are kept as letters, because some Chinese cards
 * carry one; `F` pads a 19-digit ICCID.
 */
export function decodeIccid(bytes: Uint8Array): string {
  let s = "";
  for (const n of nibblesOf(bytes)) {
    if (n === 0xf) break;
    s += n.toString(16).toUpperCase();
  }
  return s;
}

/** EF.ICCID content for an ICCID of up to 20 digits (letters A–E allowed). */
export function encodeIccid(iccid: string): Uint8Array {
  if (!/^[0-9A-Ea-e]{1,20}$/.test(iccid)) throw new RangeError(`not an ICCID: ${iccid}`);
  const nibbles = [...iccid].map((c) => Number.parseInt(c, 16));
  while (nibbles.length < 20) nibbles.push(0xf);
  const out = new Uint8Array(10);
  for (let i = 0; i < 10; i++) out[i] = (nibbles[2 * i] as number) | ((nibbles[2 * i + 1] as number) << 4);
  return out;
}

/**
 * An IMSI from EF.IMSI (TS 31.102 §4.2.2): a length byte, then swapped BCD whose first nibble is
 * the parity indicator (`9` odd digit count, `1` even) instead of a digit. Null when the file is
 * empty (length `FF` or `00`).
 */
export function decodeImsi(bytes: Uint8Array): string | null {
  const len = bytes[0] ?? 0xff;
  if (len === 0xff || len === 0 || len > bytes.length - 1) return null;
  const nibbles = nibblesOf(bytes.subarray(1, 1 + len)).slice(1);
  let s = "";
  for (const n of nibbles) {
    if (n === 0xf) break;
    if (n > 9) return null;
    s += String(n);
  }
  return s;
}

/** EF.IMSI content (9 bytes) for an IMSI of up to 15 digits. */
export function encodeImsi(imsi: string): Uint8Array {
  if (!/^\d{6,15}$/.test(imsi)) throw new RangeError(`not an IMSI: ${imsi}`);
  const parity = imsi.length % 2 === 1 ? 0x9 : 0x1;
  const nibbles = [parity, ...[...imsi].map(Number)];
  while (nibbles.length < 16) nibbles.push(0xf);
  const body = new Uint8Array(8);
  for (let i = 0; i < 8; i++) body[i] = (nibbles[2 * i] as number) | ((nibbles[2 * i + 1] as number) << 4);
  const usedBytes = Math.ceil((imsi.length + 1) / 2);
  const out = new Uint8Array(9).fill(0xff);
  out[0] = usedBytes;
  out.set(body.subarray(0, usedBytes), 1);
  return out;
}
