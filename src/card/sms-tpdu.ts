/**
 * SMS-DELIVER and SMS-SUBMIT TPDUs (TS 23.040 §9.2.2): decoding, with the user-data header and
 * its concatenation elements, and encoding (for virtual cards, tests and round trips).
 *
 * Field order — DELIVER: FO, OA, PID, DCS, SCTS(7), UDL, UD. SUBMIT: FO, MR, DA, PID, DCS, VP, UDL, UD.
 */
import { concatBytes } from "./bytes.js";
import { decodeGsm7Septets, encodeGsm7Septets, packSeptets, unpackSeptets } from "./gsm7.js";
import {
  type DataCoding,
  decodeDcs,
  decodeScts,
  decodeTpAddress,
  encodeDcs,
  encodeScts,
  encodeTpAddress,
  relativeValidityMinutes,
  type SmsAlphabet,
  SmsDecodeError,
  type SmsTimestamp,
} from "./sms-fields.js";

export interface UdhElement {
  iei: number;
  data: Uint8Array;
}

/** One part of a concatenated message (IE `00`: 8-bit reference, IE `08`: 16-bit reference). */
export interface ConcatPart {
  ref: number;
  total: number;
  seq: number;
  refBits: 8 | 16;
}

export type ValidityPeriod =
  | { format: "relative"; minutes: number }
  | { format: "absolute"; timestamp: SmsTimestamp | null }
  | { format: "enhanced"; raw: Uint8Array };

interface TpduCommon {
  pid: number;
  dcs: number;
  coding: DataCoding;
  /** The decoded text; 8-bit data is shown byte for byte as Latin-1. */
  text: string;
  udh: UdhElement[];
  concat: ConcatPart | null;
}

export interface DeliverTpdu extends TpduCommon {
  type: "deliver";
  originator: string;
  originatorTonNpi: number;
  timestamp: SmsTimestamp | null;
  replyPath: boolean;
  statusReportIndication: boolean;
}

export interface SubmitTpdu extends TpduCommon {
  type: "submit";
  messageReference: number;
  destination: string;
  destinationTonNpi: number;
  validity: ValidityPeriod | null;
  rejectDuplicates: boolean;
  statusReportRequest: boolean;
}

export type Tpdu = DeliverTpdu | SubmitTpdu;

const MTI_DELIVER = 0x00;
const MTI_SUBMIT = 0x01;

export function parseUdh(header: Uint8Array): { elements: UdhElement[]; concat: ConcatPart | null } {
  const elements: UdhElement[] = [];
  let concat: ConcatPart | null = null;
  let i = 0;
  while (i + 1 < header.length) {
    const iei = header[i] as number;
    const len = header[i + 1] as number;
    const data = header.subarray(i + 2, i + 2 + len);
    if (data.length < len) throw new SmsDecodeError("user data header truncated");
    elements.push({ iei, data });
    if (iei === 0x00 && len === 3) {
      concat = { ref: data[0] as number, total: data[1] as number, seq: data[2] as number, refBits: 8 };
    } else if (iei === 0x08 && len === 4) {
      concat = {
        ref: ((data[0] as number) << 8) | (data[1] as number),
        total: data[2] as number,
        seq: data[3] as number,
        refBits: 16,
      };
    }
    i += 2 + len;
  }
  return { elements, concat };
}

function decodeUcs2(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i + 1 < bytes.length; i += 2)
    s += String.fromCharCode(((bytes[i] as number) << 8) | (bytes[i + 1] as number));
  return s;
}

function latin1(bytes: Uint8Array): string {
  return String.fromCharCode(...bytes);
}

/** User data: the header (when UDHI is set) and the text, in septets or octets per the coding. */
function decodeUserData(
  pdu: Uint8Array,
  offset: number,
  udhi: boolean,
  coding: DataCoding,
): Pick<TpduCommon, "text" | "udh" | "concat"> {
  const udl = pdu[offset];
  if (udl === undefined) throw new SmsDecodeError("user data length missing");
  const ud = pdu.subarray(offset + 1);
  let headerOctets = 0;
  let udh: UdhElement[] = [];
  let concat: ConcatPart | null = null;
  if (udhi) {
    const udhl = ud[0];
    if (udhl === undefined) throw new SmsDecodeError("user data header missing");
    headerOctets = udhl + 1;
    ({ elements: udh, concat } = parseUdh(ud.subarray(1, headerOctets)));
  }
  if (coding.compressed) return { text: "", udh, concat };
  if (coding.alphabet === "gsm7") {
    const headerBits = headerOctets * 8;
    const headerSeptets = Math.ceil(headerBits / 7);
    const fillBits = headerSeptets * 7 - headerBits;
    const count = udl - headerSeptets;
    if (count < 0) throw new SmsDecodeError("user data length shorter than its header");
    const septets = unpackSeptets(ud.subarray(headerOctets), count, fillBits);
    return { text: decodeGsm7Septets(septets), udh, concat };
  }
  if (udl > ud.length)
    throw new SmsDecodeError(`user data length ${udl} exceeds the ${ud.length} bytes present`);
  const body = ud.subarray(headerOctets, udl);
  return { text: coding.alphabet === "ucs2" ? decodeUcs2(body) : latin1(body), udh, concat };
}

/** Decodes a DELIVER or SUBMIT TPDU (without the service centre address in front). */
export function decodeTpdu(pdu: Uint8Array): Tpdu {
  const fo = pdu[0];
  if (fo === undefined) throw new SmsDecodeError("empty TPDU");
  const mti = fo & 0x03;
  const udhi = (fo & 0x40) !== 0;
  if (mti === MTI_DELIVER) {
    const oa = decodeTpAddress(pdu, 1);
    let i = 1 + oa.size;
    const pid = pdu[i++] as number;
    const dcs = pdu[i++] as number;
    const timestamp = decodeScts(pdu.subarray(i, i + 7));
    i += 7;
    const coding = decodeDcs(dcs);
    return {
      type: "deliver",
      originator: oa.value.address,
      originatorTonNpi: oa.value.tonNpi,
      timestamp,
      replyPath: (fo & 0x80) !== 0,
      statusReportIndication: (fo & 0x20) !== 0,
      pid,
      dcs,
      coding,
      ...decodeUserData(pdu, i, udhi, coding),
    };
  }
  if (mti === MTI_SUBMIT) {
    const messageReference = pdu[1] as number;
    const da = decodeTpAddress(pdu, 2);
    let i = 2 + da.size;
    const pid = pdu[i++] as number;
    const dcs = pdu[i++] as number;
    const vpf = (fo >> 3) & 0x03;
    let validity: ValidityPeriod | null = null;
    if (vpf === 0b10) validity = { format: "relative", minutes: relativeValidityMinutes(pdu[i++] as number) };
    else if (vpf === 0b11) {
      validity = { format: "absolute", timestamp: decodeScts(pdu.subarray(i, i + 7)) };
      i += 7;
    } else if (vpf === 0b01) {
      validity = { format: "enhanced", raw: pdu.slice(i, i + 7) };
      i += 7;
    }
    const coding = decodeDcs(dcs);
    return {
      type: "submit",
      messageReference,
      destination: da.value.address,
      destinationTonNpi: da.value.tonNpi,
      validity,
      rejectDuplicates: (fo & 0x04) !== 0,
      statusReportRequest: (fo & 0x20) !== 0,
      pid,
      dcs,
      coding,
      ...decodeUserData(pdu, i, udhi, coding),
    };
  }
  throw new SmsDecodeError(
    `unsupported message type indicator ${mti} (only DELIVER and SUBMIT are stored as SMS)`,
  );
}

// ---------------------------------------------------------------------------------------------
// Encoding

function concatHeader(part: ConcatPart): Uint8Array {
  const ie =
    part.refBits === 16
      ? Uint8Array.of(0x08, 4, part.ref >> 8, part.ref & 0xff, part.total, part.seq)
      : Uint8Array.of(0x00, 3, part.ref & 0xff, part.total, part.seq);
  return Uint8Array.of(ie.length, ...ie);
}

function encodeUcs2(text: string): Uint8Array {
  const out = new Uint8Array(text.length * 2);
  for (let i = 0; i < text.length; i++) {
    out[2 * i] = text.charCodeAt(i) >> 8;
    out[2 * i + 1] = text.charCodeAt(i) & 0xff;
  }
  return out;
}

/** UDL and UD for `text`; with a concatenation header when `concat` is given. */
function encodeUserData(text: string, alphabet: SmsAlphabet, concat: ConcatPart | null): Uint8Array {
  const header = concat ? concatHeader(concat) : new Uint8Array();
  if (alphabet === "gsm7") {
    const headerBits = header.length * 8;
    const headerSeptets = Math.ceil(headerBits / 7);
    const septets = encodeGsm7Septets(text);
    const packed = packSeptets(septets, headerSeptets * 7 - headerBits);
    return concatBytes(Uint8Array.of(headerSeptets + septets.length), header, packed);
  }
  const body =
    alphabet === "ucs2" ? encodeUcs2(text) : Uint8Array.from([...text].map((c) => c.charCodeAt(0) & 0xff));
  return concatBytes(Uint8Array.of(header.length + body.length), header, body);
}

export interface DeliverInput {
  originator: string;
  text: string;
  alphabet: SmsAlphabet;
  epochMs: number;
  offsetMinutes: number;
  concat?: ConcatPart | null;
  pid?: number;
}

export function encodeDeliver(m: DeliverInput): Uint8Array {
  const concat = m.concat ?? null;
  // MMS bit set: no more messages waiting at the service centre.
  const fo = MTI_DELIVER | 0x04 | (concat ? 0x40 : 0);
  return concatBytes(
    Uint8Array.of(fo),
    encodeTpAddress(m.originator),
    Uint8Array.of(m.pid ?? 0, encodeDcs(m.alphabet)),
    encodeScts(m.epochMs, m.offsetMinutes),
    encodeUserData(m.text, m.alphabet, concat),
  );
}

export interface SubmitInput {
  destination: string;
  text: string;
  alphabet: SmsAlphabet;
  messageReference?: number;
  /** Relative validity period as a TP-VP value (e.g. `0xA9` = 3 days); none when absent. */
  relativeValidity?: number;
  concat?: ConcatPart | null;
  rejectDuplicates?: boolean;
}

export function encodeSubmit(m: SubmitInput): Uint8Array {
  const concat = m.concat ?? null;
  const fo =
    MTI_SUBMIT |
    (m.rejectDuplicates ? 0x04 : 0) |
    (m.relativeValidity !== undefined ? 0x10 : 0) |
    (concat ? 0x40 : 0);
  return concatBytes(
    Uint8Array.of(fo, m.messageReference ?? 0),
    encodeTpAddress(m.destination),
    Uint8Array.of(0, encodeDcs(m.alphabet)),
    m.relativeValidity !== undefined ? Uint8Array.of(m.relativeValidity) : new Uint8Array(),
    encodeUserData(m.text, m.alphabet, concat),
  );
}

/** Room for text in one part, with and without a concatenation header of `refBits`. */
function partCapacity(alphabet: SmsAlphabet, refBits: 8 | 16 | null): number {
  const headerOctets = refBits === null ? 0 : refBits === 8 ? 6 : 7;
  if (alphabet === "gsm7") return 160 - Math.ceil((headerOctets * 8) / 7);
  return 140 - headerOctets;
}

/**
 * Splits `text` into the parts a phone would send: one part when it fits, else parts sized for a
 * concatenation header. Escape sequences and surrogate pairs are never cut in two.
 */
export function splitText(text: string, alphabet: SmsAlphabet, refBits: 8 | 16 = 8): string[] {
  const cost = (c: string) =>
    alphabet === "gsm7" ? encodeGsm7Septets(c).length : alphabet === "ucs2" ? c.length * 2 : 1;
  const total = [...text].reduce((n, c) => n + cost(c), 0);
  if (total <= partCapacity(alphabet, null)) return [text];
  const room = partCapacity(alphabet, refBits);
  const parts: string[] = [];
  let current = "";
  let used = 0;
  for (const c of text) {
    const k = cost(c);
    if (used + k > room) {
      parts.push(current);
      current = "";
      used = 0;
    }
    current += c;
    used += k;
  }
  if (current) parts.push(current);
  return parts;
}
