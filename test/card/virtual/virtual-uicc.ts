/**
 * A virtual UICC for tests: a file system of DFs and EFs with access conditions, PIN1 with its
 * retry counter, logical channels, T=0-style answers (`61xx` then GET RESPONSE, `6Cxx` for a
 * wrong Le) and applications selected by AID that take STORE DATA (the eUICC's ISD-R).
 * It answers APDU bytes with response bytes, so it serves both a direct transport and vpcd.
 */
import { channelOf } from "../../../src/card/apdu.js";
import { concatBytes, toHex } from "../../../src/card/bytes.js";
import { tlv } from "../../../src/card/tlv.js";

export type Access = "always" | "pin1" | "never";

export interface VirtualEf {
  kind: "ef";
  fid: number;
  sfi?: number;
  structure: "transparent" | "linear_fixed";
  recordLength?: number;
  records?: Uint8Array[];
  data?: Uint8Array;
  read: Access;
  parent?: VirtualDf;
}

export interface VirtualDf {
  kind: "df";
  fid: number;
  aid?: Uint8Array;
  children: Array<VirtualDf | VirtualEf>;
  parent?: VirtualDf;
  /** An application answering STORE DATA (ES10 for the ISD-R). */
  storeData?: (request: Uint8Array) => Uint8Array;
}

export function ef(fid: number, opts: Omit<VirtualEf, "kind" | "fid">): VirtualEf {
  return { kind: "ef", fid, ...opts };
}

export function df(
  fid: number,
  children: Array<VirtualDf | VirtualEf>,
  opts: Partial<VirtualDf> = {},
): VirtualDf {
  const d: VirtualDf = { kind: "df", fid, children, ...opts };
  for (const c of children) c.parent = d;
  return d;
}

interface ChannelState {
  df: VirtualDf;
  ef: VirtualEf | null;
  pending: Uint8Array | null;
  store: Uint8Array[];
}

const SW = (sw: number) => Uint8Array.of(sw >> 8, sw & 0xff);
const OK = SW(0x9000);
/** Largest chunk handed out per GET RESPONSE, below 256 like the rest of our answers. */
const CHUNK = 0xf0;

export interface PinState {
  enabled: boolean;
  value: string;
  tries: number;
  puk: string;
  pukTries: number;
}

export class VirtualUicc {
  readonly log: Array<{ command: string; response: string }> = [];
  private channels = new Map<number, ChannelState>();
  private verified = false;
  readonly pin: PinState;

  constructor(
    readonly atr: Uint8Array,
    readonly mf: VirtualDf,
    pin: Partial<PinState> = {},
  ) {
    this.pin = { enabled: true, value: "1234", tries: 3, puk: "12345678", pukTries: 10, ...pin };
    this.reset();
  }

  /** Power cycle: channels closed, PIN verification forgotten, MF selected. */
  reset(): void {
    this.verified = false;
    this.channels = new Map([[0, { df: this.mf, ef: null, pending: null, store: [] }]]);
  }

  /** Every ADF (child of the MF with an AID). */
  private get adfs(): VirtualDf[] {
    return this.mf.children.filter((c): c is VirtualDf => c.kind === "df" && !!c.aid);
  }

  handle(apdu: Uint8Array): Uint8Array {
    const r = this.dispatch(apdu);
    this.log.push({ command: toHex(apdu), response: toHex(r) });
    return r;
  }

  private dispatch(apdu: Uint8Array): Uint8Array {
    if (apdu.length < 4) return SW(0x6700);
    const [cla, ins, p1, p2] = apdu as unknown as [number, number, number, number];
    if (cla === 0xa0) return SW(0x6e00);
    let data = new Uint8Array();
    let le: number | null = null;
    if (apdu.length === 5) le = apdu[4] as number;
    else if (apdu.length > 5) {
      const lc = apdu[4] as number;
      data = apdu.slice(5, 5 + lc);
      if (apdu.length === 6 + lc) le = apdu[5 + lc] as number;
    }
    const ch = this.channels.get(channelOf(cla));
    if (!ch) return SW(0x6881);
    if (ins !== 0xc0) ch.pending = null;
    switch (ins) {
      case 0xa4:
        return this.select(ch, p1, p2, data);
      case 0xb2:
        return this.readRecord(ch, p1, p2, le);
      case 0xb0:
        return this.readBinary(ch, p1, p2, le);
      case 0x20:
        return this.verify(p2, data);
      case 0x2c:
        return this.unblock(p2, data);
      case 0x70:
        return this.manageChannel(p1, p2);
      case 0xc0:
        return this.getResponse(ch, le ?? 0);
      case 0xe2:
        return this.storeData(ch, p1, data);
      case 0xf2:
        return OK;
      // TERMINATE CARD USAGE and GP SET STATUS need keys this card will never see.
      case 0xfe:
      case 0xf0:
        return SW(0x6982);
      default:
        return SW(0x6d00);
    }
  }

  /** Answers with data the T=0 way: `61xx`, the data waiting for GET RESPONSE. */
  private withData(ch: ChannelState, data: Uint8Array): Uint8Array {
    if (data.length === 0) return OK;
    ch.pending = data;
    return SW(0x6100 | Math.min(data.length, CHUNK));
  }

  private getResponse(ch: ChannelState, le: number): Uint8Array {
    const pending = ch.pending;
    if (!pending) return SW(0x6985);
    const want = le === 0 ? 256 : le;
    if (want > pending.length) return SW(0x6c00 | Math.min(pending.length, CHUNK));
    const out = pending.subarray(0, want);
    const rest = pending.subarray(want);
    if (rest.length === 0) {
      ch.pending = null;
      return concatBytes(out, OK);
    }
    ch.pending = rest;
    return concatBytes(out, SW(0x6100 | Math.min(rest.length, CHUNK)));
  }

  private fcp(node: VirtualDf | VirtualEf): Uint8Array {
    const fid = Uint8Array.of(node.fid >> 8, node.fid & 0xff);
    if (node.kind === "df") {
      return tlv(0x62, [
        tlv(0x82, Uint8Array.of(0x78, 0x21)),
        tlv(0x83, fid),
        ...(node.aid ? [tlv(0x84, node.aid)] : []),
        tlv(0x8a, Uint8Array.of(0x05)),
      ]);
    }
    const size =
      node.structure === "transparent"
        ? (node.data?.length ?? 0)
        : (node.recordLength ?? 0) * (node.records?.length ?? 0);
    const descriptor =
      node.structure === "transparent"
        ? Uint8Array.of(0x41, 0x21)
        : Uint8Array.of(0x42, 0x21, 0x00, node.recordLength ?? 0, node.records?.length ?? 0);
    return tlv(0x62, [
      tlv(0x82, descriptor),
      tlv(0x83, fid),
      tlv(0x8a, Uint8Array.of(0x05)),
      tlv(0x80, Uint8Array.of(size >> 8, size & 0xff)),
      ...(node.sfi ? [tlv(0x88, Uint8Array.of(node.sfi << 3))] : []),
    ]);
  }

  private findByFid(ch: ChannelState, fid: number): VirtualDf | VirtualEf | null {
    if (fid === 0x3f00) return this.mf;
    if (fid === 0x7fff) {
      let d: VirtualDf | undefined = ch.df;
      while (d && !d.aid) d = d.parent;
      return d ?? null;
    }
    const cur = ch.df;
    const child = cur.children.find((c) => c.fid === fid);
    if (child) return child;
    if (cur.fid === fid) return cur;
    if (cur.parent?.fid === fid) return cur.parent;
    return cur.parent?.children.find((c) => c.kind === "df" && c.fid === fid) ?? null;
  }

  private select(ch: ChannelState, p1: number, p2: number, data: Uint8Array): Uint8Array {
    let node: VirtualDf | VirtualEf | null = null;
    if (p1 === 0x00 && data.length === 2)
      node = this.findByFid(ch, ((data[0] as number) << 8) | (data[1] as number));
    else if (p1 === 0x04) node = this.adfs.find((a) => a.aid && toHex(a.aid).startsWith(toHex(data))) ?? null;
    else if (p1 === 0x08) {
      node = this.mf;
      for (let i = 0; i + 1 < data.length && node; i += 2) {
        const fid = ((data[i] as number) << 8) | (data[i + 1] as number);
        node = node.kind === "df" ? (node.children.find((c) => c.fid === fid) ?? null) : null;
      }
    } else return SW(0x6a86);
    if (!node) return SW(0x6a82);
    if (node.kind === "df") {
      ch.df = node;
      ch.ef = null;
    } else {
      ch.df = node.parent ?? this.mf;
      ch.ef = node;
    }
    if ((p2 & 0x0c) === 0x0c) return OK;
    return this.withData(ch, this.fcp(node));
  }

  private readable(ef: VirtualEf): boolean {
    if (ef.read === "always") return true;
    if (ef.read === "never") return false;
    return !this.pin.enabled || this.verified;
  }

  private efBySfi(ch: ChannelState, sfi: number): VirtualEf | null {
    const found = ch.df.children.find((c): c is VirtualEf => c.kind === "ef" && c.sfi === sfi) ?? null;
    if (found) ch.ef = found;
    return found;
  }

  private readRecord(ch: ChannelState, p1: number, p2: number, le: number | null): Uint8Array {
    const sfi = p2 >> 3;
    const file = sfi ? this.efBySfi(ch, sfi) : ch.ef;
    if ((p2 & 0x07) !== 0x04) return SW(0x6a86);
    if (file?.structure !== "linear_fixed") return SW(0x6986);
    if (!this.readable(file)) return SW(0x6982);
    const rec = file.records?.[p1 - 1];
    if (!rec) return SW(0x6a83);
    if (le === null || (le === 0 ? 256 : le) !== rec.length) return SW(0x6c00 | rec.length);
    return concatBytes(rec, OK);
  }

  private readBinary(ch: ChannelState, p1: number, p2: number, le: number | null): Uint8Array {
    const file = p1 & 0x80 ? this.efBySfi(ch, p1 & 0x1f) : ch.ef;
    if (file?.structure !== "transparent") return SW(0x6986);
    if (!this.readable(file)) return SW(0x6982);
    const body = file.data ?? new Uint8Array();
    const offset = p1 & 0x80 ? p2 : ((p1 & 0x7f) << 8) | p2;
    if (offset >= body.length) return SW(0x6b00);
    const want = le === null || le === 0 ? 256 : le;
    const available = body.length - offset;
    if (want > available) return SW(0x6c00 | available);
    return concatBytes(body.subarray(offset, offset + want), OK);
  }

  private verify(ref: number, data: Uint8Array): Uint8Array {
    if (ref !== 0x01) return SW(0x6a88);
    if (data.length === 0) {
      if (!this.pin.enabled || this.verified) return OK;
      return this.pin.tries === 0 ? SW(0x6983) : SW(0x63c0 | this.pin.tries);
    }
    if (this.pin.tries === 0) return SW(0x6983);
    const given = new TextDecoder().decode(data.filter((b) => b !== 0xff));
    if (data.length === 8 && given === this.pin.value) {
      this.pin.tries = 3;
      this.verified = true;
      return OK;
    }
    this.pin.tries--;
    return SW(0x63c0 | this.pin.tries);
  }

  private unblock(ref: number, data: Uint8Array): Uint8Array {
    if (ref !== 0x01 || data.length !== 16) return SW(0x6a88);
    if (this.pin.pukTries === 0) return SW(0x6983);
    const text = (b: Uint8Array) => new TextDecoder().decode(b.filter((x) => x !== 0xff));
    if (text(data.subarray(0, 8)) !== this.pin.puk) {
      this.pin.pukTries--;
      return SW(0x63c0 | this.pin.pukTries);
    }
    this.pin.value = text(data.subarray(8));
    this.pin.tries = 3;
    this.pin.pukTries = 10;
    this.verified = true;
    return OK;
  }

  private manageChannel(p1: number, p2: number): Uint8Array {
    if (p1 === 0x80) {
      if (p2 === 0 || !this.channels.delete(p2)) return SW(0x6a86);
      return OK;
    }
    for (let n = 1; n <= 3; n++) {
      if (!this.channels.has(n)) {
        this.channels.set(n, { df: this.mf, ef: null, pending: null, store: [] });
        return Uint8Array.of(n, 0x90, 0x00);
      }
    }
    return SW(0x6a81);
  }

  private storeData(ch: ChannelState, p1: number, data: Uint8Array): Uint8Array {
    const app = ch.df.storeData ? ch.df : null;
    if (!app?.storeData) return SW(0x6985);
    ch.store.push(data);
    if (!(p1 & 0x80)) return OK;
    const request = concatBytes(...ch.store);
    ch.store = [];
    return this.withData(ch, app.storeData(request));
  }

  /** Whether any VERIFY carried a PIN (for the "never sent with one try left" assertions). */
  pinWasSent(): boolean {
    return this.log.some((e) => e.command.startsWith("00200001") && e.command.length > 8);
  }
}
