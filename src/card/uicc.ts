/**
 * Reading a UICC's file system (TS 102 221 §11, CLA `00`): SELECT by FID, path or AID with the
 * FCP returned, READ RECORD and READ BINARY, and the PIN by the safety rule of `pin.ts`.
 */
import {
  pinStatusCommand,
  readBinaryCommand,
  readRecordCommand,
  SELECT_BY_AID,
  SELECT_BY_FID,
  SW_OK,
  selectCommand,
  verifyCommand,
} from "./apdu.js";
import { decodeIccid } from "./bcd.js";
import { isErased, toHex } from "./bytes.js";
import { CardError, statusError } from "./errors.js";
import { type Fcp, parseFcp } from "./fcp.js";
import { decidePin, PIN1, type PinStatus, pinStatusFromSw } from "./pin.js";
import { findTlv, parseTlvs } from "./tlv.js";
import type { CardChannel } from "./transport.js";

/** File identifiers used here (card-tech.md §1.1). */
export const FID = {
  MF: 0x3f00,
  DIR: 0x2f00,
  ICCID: 0x2fe2,
  TELECOM: 0x7f10,
  ADN: 0x6f3a,
  MSISDN: 0x6f40,
  EXT1: 0x6f4a,
  SMS: 0x6f3c,
  PHONEBOOK: 0x5f3a,
  PBR: 0x4f30,
  IMSI: 0x6f07,
  ADF: 0x7fff,
} as const;

/** USIM application AIDs start with this RID + application code (TS 101 220 Annex E). */
export const USIM_AID_PREFIX = "a0000000871002";

/** READ BINARY chunk: below 256 so that no response needs a three-byte length. */
const BINARY_CHUNK = 0xf0;

function fidBytes(fid: number): Uint8Array {
  return Uint8Array.of(fid >> 8, fid & 0xff);
}

/** SELECT answers that still selected the file: ok, deactivated (`6283`), terminated (`6284`). */
function selected(sw: number): boolean {
  return sw === SW_OK || sw === 0x6283 || sw === 0x6284;
}

export class Uicc {
  private usimAid: Uint8Array | null | undefined;

  constructor(readonly channel: CardChannel) {}

  /** SELECT by FID relative to the current DF; null when the card has no such file. */
  async trySelect(fid: number): Promise<Fcp | null> {
    const r = await this.channel.send(selectCommand(SELECT_BY_FID, fidBytes(fid)));
    if (r.sw === 0x6e00) throw new CardError("NOT_A_UICC");
    if (r.sw === 0x6a82) return null;
    if (!selected(r.sw)) throw statusError(r.sw, `SELECT ${fid.toString(16).toUpperCase()}`);
    return parseFcp(r.data);
  }

  async select(fid: number): Promise<Fcp> {
    const fcp = await this.trySelect(fid);
    if (!fcp) throw statusError(0x6a82, `SELECT ${fid.toString(16).toUpperCase()}`);
    return fcp;
  }

  /**
   * Selects a path of FIDs from the MF, one SELECT each (as pySim does), so that cards without
   * path selection work too. `ADF` (7FFF) in a path means the USIM application. Null when a
   * file on the way does not exist.
   */
  async trySelectPath(path: readonly number[]): Promise<Fcp | null> {
    let fcp = await this.trySelect(FID.MF);
    for (const fid of path) {
      if (!fcp) return null;
      fcp = fid === FID.ADF ? await this.trySelectUsim() : await this.trySelect(fid);
    }
    return fcp;
  }

  async selectAid(aid: Uint8Array): Promise<Fcp | null> {
    const r = await this.channel.send(selectCommand(SELECT_BY_AID, aid));
    if (r.sw === 0x6a82) return null;
    if (!selected(r.sw)) throw statusError(r.sw, `SELECT ${toHex(aid).toUpperCase()}`);
    return parseFcp(r.data);
  }

  /** The USIM's AID from EF.DIR (records `61` holding `4F`), or null on a card without one. */
  async findUsimAid(): Promise<Uint8Array | null> {
    if (this.usimAid !== undefined) return this.usimAid;
    this.usimAid = null;
    await this.select(FID.MF);
    const dir = await this.trySelect(FID.DIR);
    if (dir) {
      for (const rec of await this.readRecords(dir)) {
        const app = findTlv(parseTlvs(rec), 0x61);
        const aid = app && findTlv(parseTlvs(app.value), 0x4f)?.value;
        if (aid && toHex(aid).startsWith(USIM_AID_PREFIX)) {
          this.usimAid = aid.slice();
          break;
        }
      }
    }
    return this.usimAid;
  }

  async trySelectUsim(): Promise<Fcp | null> {
    const aid = await this.findUsimAid();
    return aid ? this.selectAid(aid) : null;
  }

  /** READ RECORD of the current EF; null for a record that is not there (`6A83`). */
  async readRecord(record: number, length: number): Promise<Uint8Array | null> {
    const r = await this.channel.send(readRecordCommand(record, length));
    if (r.sw === 0x6a83) return null;
    if (r.sw !== SW_OK) throw statusError(r.sw, `READ RECORD ${record}`);
    return r.data;
  }

  /** Every record of the current linear fixed EF, free ones included, in order. */
  async readRecords(fcp: Fcp): Promise<Uint8Array[]> {
    const out: Uint8Array[] = [];
    const length = fcp.recordLength ?? 0;
    for (let n = 1; n <= (fcp.recordCount ?? 0); n++) {
      const rec = await this.readRecord(n, length);
      if (!rec) break;
      out.push(rec);
    }
    return out;
  }

  /** READ BINARY of the whole current transparent EF (or its first `size` bytes). */
  async readBinary(size: number): Promise<Uint8Array> {
    const out = new Uint8Array(size);
    for (let offset = 0; offset < size; ) {
      const n = Math.min(BINARY_CHUNK, size - offset);
      const r = await this.channel.send(readBinaryCommand(offset, n));
      if (r.sw !== SW_OK) throw statusError(r.sw, `READ BINARY ${offset}`);
      if (r.data.length === 0) break;
      out.set(r.data.subarray(0, n), offset);
      offset += r.data.length;
    }
    return out;
  }

  /** EF.ICCID, readable without a PIN. */
  async readIccid(): Promise<string> {
    const fcp = await this.trySelectPath([FID.ICCID]);
    if (!fcp) throw statusError(0x6a82, "SELECT 2FE2 (EF.ICCID)");
    return decodeIccid(await this.readBinary(fcp.size ?? 10));
  }

  /** Reads a transparent EF after selecting `path`; null when absent or not readable yet (`6982`). */
  async tryReadTransparent(path: readonly number[]): Promise<Uint8Array | null> {
    const fcp = await this.trySelectPath(path);
    if (!fcp) return null;
    try {
      const data = await this.readBinary(fcp.size ?? 0);
      return isErased(data) ? null : data;
    } catch (err) {
      if (err instanceof CardError && err.params.sw === "6982") return null;
      throw err;
    }
  }

  /** The retry counter, read with VERIFY without data, which uses no try. */
  async pinStatus(keyRef = PIN1): Promise<PinStatus> {
    const r = await this.channel.send(pinStatusCommand(keyRef));
    return pinStatusFromSw(r.sw);
  }

  /**
   * Verifies the PIN when the card needs it. Reads the counter first and refuses to send with one
   * try left (`PIN_LAST_TRY`); a wrong PIN reports the tries that remain.
   */
  async verifyPin(pin: string | null, keyRef = PIN1): Promise<PinStatus> {
    const status = await this.pinStatus(keyRef);
    const decision = decidePin(status, pin);
    if (decision.action === "none") return status;
    const r = await this.channel.send(verifyCommand(keyRef, decision.pin));
    if (r.sw === SW_OK) return { state: "not_required" };
    const after = pinStatusFromSw(r.sw);
    if (after.state === "blocked") throw new CardError("PIN_BLOCKED");
    if (after.state === "required") throw new CardError("PIN_WRONG", { triesLeft: after.triesLeft });
    throw statusError(r.sw, "VERIFY");
  }
}
