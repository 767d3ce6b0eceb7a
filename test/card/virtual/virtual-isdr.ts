/**
 * A virtual eUICC ISD-R answering the ES10 calls of the deletion flow: GetEID, GetProfilesInfo,
 * Enable/Disable/DeleteProfile, ListNotification, RetrieveNotificationsList and
 * RemoveNotificationFromList. Notifications are signed with the eUICC's ECDSA P-256 key over the
 * DER of their metadata (raw r‖s, as SGP.22 encodes signatures), so a test SM-DP+ holding the
 * public key can check them.
 */
import { createPublicKey, generateKeyPairSync, type KeyObject, sign } from "node:crypto";
import { decodeIccid, encodeIccid } from "../../../src/card/bcd.js";
import { fromHex, toHex } from "../../../src/card/bytes.js";
import { bitString, NOTIFICATION_EVENTS, type NotificationEvent } from "../../../src/card/es10.js";
import { childrenOf, findTlv, intBytes, parseOneTlv, readInt, type Tlv, tlv } from "../../../src/card/tlv.js";
import { df, VirtualUicc } from "./virtual-uicc.js";

export const ISD_R_AID = fromHex("a0000005591010ffffffff8900000100");
const EUICC_ATR = fromHex("3b9f97c00a3fc6828031e073fe211f65d002341512810f51");

export interface VirtualProfile {
  iccid: string;
  aid: string;
  state: "enabled" | "disabled";
  profileClass: 0 | 1 | 2;
  name: string;
  serviceProvider: string;
  ppr: { disable: boolean; delete: boolean };
  /** Events for which the profile asks for a notification, and the SM-DP+ to send it to. */
  notify: { events: NotificationEvent[]; address: string } | null;
}

interface StoredNotification {
  seq: number;
  event: NotificationEvent;
  address: string;
  iccid: string;
  der: Uint8Array;
}

const utf8 = (s: string) => new TextEncoder().encode(s);

export class VirtualIsdR {
  readonly notifications: StoredNotification[] = [];
  readonly publicKey: KeyObject;
  private readonly privateKey: KeyObject;
  private seq = 4;

  constructor(
    readonly eid: string,
    readonly profiles: VirtualProfile[],
  ) {
    const pair = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
    this.privateKey = pair.privateKey;
    this.publicKey = createPublicKey(pair.privateKey);
  }

  private find(id: Tlv | undefined): VirtualProfile | undefined {
    if (!id) return undefined;
    if (id.tag === 0x5a) return this.profiles.find((p) => p.iccid === decodeIccid(id.value));
    if (id.tag === 0x4f) return this.profiles.find((p) => p.aid === toHex(id.value));
    return undefined;
  }

  private queue(p: VirtualProfile, event: NotificationEvent): void {
    if (!p.notify?.events.includes(event)) return;
    const seq = ++this.seq;
    const metadata = tlv(0xbf2f, [
      tlv(0x80, intBytes(seq)),
      tlv(0x81, bitString([NOTIFICATION_EVENTS.indexOf(event)], 4)),
      tlv(0x0c, utf8(p.notify.address)),
      tlv(0x5a, encodeIccid(p.iccid)),
    ]);
    const signature = sign("sha256", metadata, { key: this.privateKey, dsaEncoding: "ieee-p1363" });
    const spki = this.publicKey.export({ type: "spki", format: "der" });
    // The two certificate slots hold the eUICC's public key; a real eUICC has its EUM-signed chain there.
    const der = tlv(0x30, [metadata, tlv(0x5f37, signature), new Uint8Array(spki), new Uint8Array(spki)]);
    this.notifications.push({ seq, event, address: p.notify.address, iccid: p.iccid, der });
  }

  private result(tag: number, code: number): Uint8Array {
    return tlv(tag, tlv(0x80, intBytes(code)));
  }

  handle(request: Uint8Array): Uint8Array {
    const req = parseOneTlv(request);
    const body = req.value.length ? childrenOf(req) : [];
    switch (req.tag) {
      case 0xbf3e:
        return tlv(0xbf3e, tlv(0x5a, fromHex(this.eid)));
      case 0xbf2d:
        return tlv(
          0xbf2d,
          tlv(
            0xa0,
            this.profiles.map((p) => this.profileInfo(p)),
          ),
        );
      case 0xbf31:
      case 0xbf32: {
        const enable = req.tag === 0xbf31;
        const choice = findTlv(body, 0xa0);
        const p = this.find(choice ? childrenOf(choice)[0] : undefined);
        if (!p) return this.result(req.tag, 1);
        if (p.state !== (enable ? "disabled" : "enabled")) return this.result(req.tag, 2);
        if (!enable && p.ppr.disable) return this.result(req.tag, 3);
        p.state = enable ? "enabled" : "disabled";
        this.queue(p, enable ? "enable" : "disable");
        return this.result(req.tag, 0);
      }
      case 0xbf33: {
        const p = this.find(body[0]);
        if (!p) return this.result(0xbf33, 1);
        if (p.state !== "disabled") return this.result(0xbf33, 2);
        if (p.ppr.delete) return this.result(0xbf33, 3);
        this.profiles.splice(this.profiles.indexOf(p), 1);
        this.queue(p, "delete");
        return this.result(0xbf33, 0);
      }
      case 0xbf28:
        return tlv(
          0xbf28,
          tlv(
            0xa0,
            this.notifications
              .map((n) => childrenOf(parseOneTlv(n.der))[0] as Tlv)
              .map((m) => tlv(m.tag, m.value)),
          ),
        );
      case 0xbf2b: {
        const criteria = findTlv(body, 0xa0);
        const seq = criteria ? findTlv(childrenOf(criteria), 0x80) : undefined;
        const list = this.notifications.filter((n) => !seq || n.seq === readInt(seq.value));
        return tlv(
          0xbf2b,
          tlv(
            0xa0,
            list.map((n) => n.der),
          ),
        );
      }
      case 0xbf30: {
        const seq = readInt(findTlv(body, 0x80)?.value ?? new Uint8Array());
        const i = this.notifications.findIndex((n) => n.seq === seq);
        if (i < 0) return this.result(0xbf30, 1);
        this.notifications.splice(i, 1);
        return this.result(0xbf30, 0);
      }
      default:
        throw new Error(`unsupported ES10 request ${req.tag.toString(16)}`);
    }
  }

  private profileInfo(p: VirtualProfile): Uint8Array {
    const ppr = [...(p.ppr.disable ? [1] : []), ...(p.ppr.delete ? [2] : [])];
    return tlv(0xe3, [
      tlv(0x5a, encodeIccid(p.iccid)),
      tlv(0x4f, fromHex(p.aid)),
      tlv(0x9f70, Uint8Array.of(p.state === "enabled" ? 1 : 0)),
      tlv(0x90, utf8(p.name)),
      tlv(0x91, utf8(p.serviceProvider)),
      tlv(0x92, utf8(p.name)),
      tlv(0x95, Uint8Array.of(p.profileClass)),
      ...(ppr.length ? [tlv(0x99, bitString(ppr, 3))] : []),
    ]);
  }
}

/** A card that is only an eUICC's ISD-R (no USIM file system needed for the deletion flow). */
export function buildEuicc(isdr: VirtualIsdR): VirtualUicc {
  const isdrDf = df(0x7fff, [], { aid: ISD_R_AID, storeData: (r) => isdr.handle(r) });
  return new VirtualUicc(EUICC_ATR, df(0x3f00, [isdrDf]), { enabled: false });
}
