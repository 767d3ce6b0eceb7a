/**
 * Command and response APDUs (ISO 7816-4, TS 102 221 §10): building the commands this tool sends,
 * splitting responses into data and status word, and the logical-channel bits of CLA.
 */
import { concatBytes, toHex } from "./bytes.js";

export interface ResponseApdu {
  data: Uint8Array;
  /** SW1 << 8 | SW2. */
  sw: number;
}

export const SW_OK = 0x9000;

export function parseResponse(bytes: Uint8Array): ResponseApdu {
  if (bytes.length < 2) throw new RangeError(`response of ${bytes.length} bytes has no status word`);
  const n = bytes.length;
  return { data: bytes.slice(0, n - 2), sw: ((bytes[n - 2] as number) << 8) | (bytes[n - 1] as number) };
}

export function swHex(sw: number): string {
  return sw.toString(16).toUpperCase().padStart(4, "0");
}

/** What common status words mean, for messages (TS 102 221 §10.2.1). */
export function swMeaning(sw: number): string {
  const known: Record<number, string> = {
    36864: "ok",
    27010: "security status not satisfied (PIN or ADM needed)",
    27011: "authentication method blocked",
    27013: "conditions of use not satisfied",
    27266: "file or application not found",
    27267: "record not found",
    27270: "incorrect P1-P2",
    27272: "referenced data not found",
    25219: "selected file deactivated",
    25220: "selected file terminated",
    27904: "instruction not supported",
    28160: "class not supported",
    26753: "logical channel not supported",
  };
  if ((sw & 0xfff0) === 0x63c0) return `verification failed, ${sw & 0x0f} tries left`;
  return known[sw] ?? "unknown status";
}

/** Builds a command: header, then Lc + data when there is data, then Le when one is expected. */
export function command(
  cla: number,
  ins: number,
  p1: number,
  p2: number,
  data?: Uint8Array | null,
  le?: number | null,
): Uint8Array {
  const parts: Uint8Array[] = [Uint8Array.of(cla, ins, p1, p2)];
  if (data && data.length > 0) {
    if (data.length > 255) throw new RangeError("short APDUs carry at most 255 bytes");
    parts.push(Uint8Array.of(data.length), data);
  }
  if (le !== undefined && le !== null) parts.push(Uint8Array.of(le & 0xff));
  return concatBytes(...parts);
}

/** The logical channel a CLA byte addresses (ISO 7816-4 §5.4.1). */
export function channelOf(cla: number): number {
  return cla & 0x40 ? 4 + (cla & 0x0f) : cla & 0x03;
}

/** `cla` moved to logical channel `ch` (0–19), keeping its class (interindustry or proprietary). */
export function onChannel(cla: number, ch: number): number {
  if (ch < 4) return (cla & 0xfc) | ch;
  return (cla & 0x80) | 0x40 | (ch - 4);
}

/** A short description of a command for messages and logs, e.g. `SELECT 6F3A`. */
export function describeCommand(apdu: Uint8Array): string {
  const ins = apdu[1] ?? 0;
  const names: Record<number, string> = {
    164: "SELECT",
    178: "READ RECORD",
    176: "READ BINARY",
    32: "VERIFY",
    44: "UNBLOCK PIN",
    192: "GET RESPONSE",
    112: "MANAGE CHANNEL",
    226: "STORE DATA",
    254: "TERMINATE CARD USAGE",
    240: "SET STATUS",
    242: "STATUS",
  };
  const name = names[ins] ?? `INS ${ins.toString(16).toUpperCase()}`;
  if (ins === 0xa4 && apdu.length > 5)
    return `${name} ${toHex(apdu.subarray(5, 5 + (apdu[4] ?? 0))).toUpperCase()}`;
  if (ins === 0xb2) return `${name} ${apdu[2]}`;
  return name;
}

// ---------------------------------------------------------------------------------------------
// Commands (TS 102 221 §11, TS 102 222, GP Card Spec §11)

export const SELECT_BY_FID = 0x00;
export const SELECT_BY_AID = 0x04;
export const SELECT_BY_PATH = 0x08;
export const SELECT_RETURN_FCP = 0x04;
export const SELECT_NO_DATA = 0x0c;

export function selectCommand(p1: number, id: Uint8Array, p2 = SELECT_RETURN_FCP, cla = 0x00): Uint8Array {
  return command(cla, 0xa4, p1, p2, id, p2 === SELECT_NO_DATA ? null : 0x00);
}

export function readRecordCommand(record: number, length: number, sfi?: number, cla = 0x00): Uint8Array {
  const p2 = sfi === undefined ? 0x04 : (sfi << 3) | 0x04;
  return command(cla, 0xb2, record, p2, null, length);
}

export function readBinaryCommand(offset: number, length: number, cla = 0x00): Uint8Array {
  return command(cla, 0xb0, (offset >> 8) & 0x7f, offset & 0xff, null, length);
}

/** VERIFY without data: asks for the retry counter without using a try. */
export function pinStatusCommand(keyRef: number): Uint8Array {
  return command(0x00, 0x20, 0x00, keyRef);
}

/** VERIFY with the PIN in ASCII, padded with `FF` to 8 bytes ("1234" → `31323334FFFFFFFF`). */
export function verifyCommand(keyRef: number, pin: string): Uint8Array {
  const block = new Uint8Array(8).fill(0xff);
  for (let i = 0; i < pin.length; i++) block[i] = pin.charCodeAt(i);
  return command(0x00, 0x20, 0x00, keyRef, block);
}

export function manageChannelOpenCommand(): Uint8Array {
  return command(0x00, 0x70, 0x00, 0x00, null, 0x01);
}

export function manageChannelCloseCommand(ch: number): Uint8Array {
  return command(0x00, 0x70, 0x80, ch);
}

export function getResponseCommand(cla: number, le: number): Uint8Array {
  return command(onChannel(0x00, channelOf(cla)), 0xc0, 0x00, 0x00, null, le);
}

/** TERMINATE CARD USAGE (TS 102 222 §6.10): irreversible. */
export function terminateCardUsageCommand(): Uint8Array {
  return command(0x00, 0xfe, 0x00, 0x00);
}

/** GP SET STATUS of the issuer security domain (P1 `80`) to TERMINATED (`FF`). */
export function setCardTerminatedCommand(): Uint8Array {
  return command(0x80, 0xf0, 0x80, 0xff);
}
