/**
 * ES10 messages of SGP.22 (the LPA ↔ eUICC interface), DER-encoded: requests built and responses
 * read for the profile deletion flow. ASN.1 from pySim `pySim/esim/asn1/rsp/rsp.asn`
 * (AUTOMATIC TAGS, hence the context tags below).
 */
import { decodeIccid, encodeIccid } from "./bcd.js";
import { toHex } from "./bytes.js";
import { CardError } from "./errors.js";
import { childrenOf, findTlv, intBytes, parseOneTlv, parseTlvs, readInt, type Tlv, tlv } from "./tlv.js";

export const ISD_R_AID = "a0000005591010ffffffff8900000100";

export const ES10_TAGS = {
  getEid: 0xbf3e,
  getProfilesInfo: 0xbf2d,
  enableProfile: 0xbf31,
  disableProfile: 0xbf32,
  deleteProfile: 0xbf33,
  listNotification: 0xbf28,
  retrieveNotificationsList: 0xbf2b,
  removeNotificationFromList: 0xbf30,
  notificationMetadata: 0xbf2f,
  profileInstallationResult: 0xbf37,
  profileInfo: 0xe3,
} as const;

function expectTag(bytes: Uint8Array, tag: number, what: string): Tlv {
  let t: Tlv;
  try {
    t = parseOneTlv(bytes);
  } catch (err) {
    throw new CardError("ES10_ERROR", { detail: `${what}: ${(err as Error).message} (${toHex(bytes)})` });
  }
  if (t.tag !== tag) {
    throw new CardError("ES10_ERROR", {
      detail: `${what}: expected tag ${tag.toString(16)}, got ${t.tag.toString(16)}`,
    });
  }
  return t;
}

// ---------------------------------------------------------------------------------------------
// GetEID

export function getEidRequest(): Uint8Array {
  return tlv(ES10_TAGS.getEid, tlv(0x5c, Uint8Array.of(0x5a)));
}

export function parseGetEidResponse(bytes: Uint8Array): string {
  const t = expectTag(bytes, ES10_TAGS.getEid, "GetEID");
  const eid = findTlv(childrenOf(t), 0x5a);
  if (!eid) throw new CardError("ES10_ERROR", { detail: "GetEID: no EID (5A) in the answer" });
  return toHex(eid.value).toUpperCase();
}

// ---------------------------------------------------------------------------------------------
// GetProfilesInfo

export type ProfileState = "disabled" | "enabled";
export type ProfileClass = "test" | "provisioning" | "operational";

export interface ProfileInfo {
  iccid: string;
  aid: string | null;
  state: ProfileState;
  profileClass: ProfileClass | null;
  name: string | null;
  nickname: string | null;
  serviceProvider: string | null;
  /** Policy rules: ppr1 = may not be disabled, ppr2 = may not be deleted. */
  ppr: { disableNotAllowed: boolean; deleteNotAllowed: boolean };
}

export function getProfilesInfoRequest(): Uint8Array {
  return tlv(ES10_TAGS.getProfilesInfo);
}

const utf8 = new TextDecoder();
const PROFILE_CLASSES: ProfileClass[] = ["test", "provisioning", "operational"];

/** Bits of a DER BIT STRING, numbered from the first (most significant) bit as ASN.1 does. */
export function bitStringBits(value: Uint8Array): Set<number> {
  const bits = new Set<number>();
  const unused = value[0] ?? 0;
  const total = (value.length - 1) * 8 - unused;
  for (let i = 0; i < total; i++) if (((value[1 + (i >> 3)] ?? 0) >> (7 - (i & 7))) & 1) bits.add(i);
  return bits;
}

export function bitString(bits: readonly number[], width: number): Uint8Array {
  const bytes = new Uint8Array(Math.ceil(width / 8));
  for (const b of bits) bytes[b >> 3] = (bytes[b >> 3] as number) | (0x80 >> (b & 7));
  return Uint8Array.of(bytes.length * 8 - width, ...bytes);
}

export function parseProfilesInfoResponse(bytes: Uint8Array): ProfileInfo[] {
  const t = expectTag(bytes, ES10_TAGS.getProfilesInfo, "GetProfilesInfo");
  const body = childrenOf(t);
  const list = findTlv(body, 0xa0);
  if (!list) {
    const err = findTlv(body, 0x81);
    throw new CardError("ES10_ERROR", { detail: `GetProfilesInfo error ${err ? readInt(err.value) : "?"}` });
  }
  return childrenOf(list)
    .filter((p) => p.tag === ES10_TAGS.profileInfo)
    .map((p) => {
      const f = childrenOf(p);
      const text = (tag: number) => {
        const v = findTlv(f, tag)?.value;
        return v ? utf8.decode(v) : null;
      };
      const cls = findTlv(f, 0x95)?.value[0];
      const ppr = findTlv(f, 0x99);
      const pprBits = ppr ? bitStringBits(ppr.value) : new Set<number>();
      const iccid = findTlv(f, 0x5a)?.value;
      return {
        iccid: iccid ? decodeIccid(iccid) : "",
        aid: findTlv(f, 0x4f) ? toHex(findTlv(f, 0x4f)?.value ?? new Uint8Array()) : null,
        state: findTlv(f, 0x9f70)?.value[0] === 1 ? "enabled" : "disabled",
        profileClass: cls === undefined ? null : (PROFILE_CLASSES[cls] ?? null),
        name: text(0x92),
        nickname: text(0x90),
        serviceProvider: text(0x91),
        ppr: { disableNotAllowed: pprBits.has(1), deleteNotAllowed: pprBits.has(2) },
      } satisfies ProfileInfo;
    });
}

// ---------------------------------------------------------------------------------------------
// Enable / Disable / Delete

/** DisableProfileRequest: `[0]` CHOICE holding the ICCID, then refreshFlag `[1]` BOOLEAN. */
export function disableProfileRequest(iccid: string, refresh = false): Uint8Array {
  return tlv(ES10_TAGS.disableProfile, [
    tlv(0xa0, tlv(0x5a, encodeIccid(iccid))),
    tlv(0x81, Uint8Array.of(refresh ? 0xff : 0x00)),
  ]);
}

/** DeleteProfileRequest is the CHOICE itself: `BF33 0C 5A 0A <ICCID>`. */
export function deleteProfileRequest(iccid: string): Uint8Array {
  return tlv(ES10_TAGS.deleteProfile, tlv(0x5a, encodeIccid(iccid)));
}

export const DISABLE_RESULTS: Record<number, string> = {
  0: "ok",
  1: "iccidOrAidNotFound",
  2: "profileNotInEnabledState",
  3: "disallowedByPolicy",
  5: "catBusy",
  127: "undefinedError",
};

export const DELETE_RESULTS: Record<number, string> = {
  0: "ok",
  1: "iccidOrAidNotFound",
  2: "profileNotInDisabledState",
  3: "disallowedByPolicy",
  127: "undefinedError",
};

/** The result INTEGER (`80`) of Enable/Disable/Delete and RemoveNotificationFromList answers. */
export function parseResultResponse(bytes: Uint8Array, tag: number, what: string): number {
  const t = expectTag(bytes, tag, what);
  const r = findTlv(childrenOf(t), 0x80);
  if (!r) throw new CardError("ES10_ERROR", { detail: `${what}: no result in the answer` });
  return readInt(r.value);
}

// ---------------------------------------------------------------------------------------------
// Notifications

export type NotificationEvent = "install" | "enable" | "disable" | "delete";
/** NotificationEvent bits in order: install 0, enable 1, disable 2, delete 3. */
export const NOTIFICATION_EVENTS: readonly NotificationEvent[] = ["install", "enable", "disable", "delete"];

export interface NotificationMetadata {
  seq: number;
  events: NotificationEvent[];
  /** Where to send it: the SM-DP+ FQDN. */
  address: string;
  iccid: string | null;
}

export function parseNotificationMetadata(t: Tlv): NotificationMetadata {
  const f = childrenOf(t);
  const seq = findTlv(f, 0x80);
  const pmo = findTlv(f, 0x81);
  const address = findTlv(f, 0x0c);
  const iccid = findTlv(f, 0x5a);
  const bits = pmo ? bitStringBits(pmo.value) : new Set<number>();
  return {
    seq: seq ? readInt(seq.value) : -1,
    events: NOTIFICATION_EVENTS.filter((_, i) => bits.has(i)),
    address: address ? utf8.decode(address.value) : "",
    iccid: iccid ? decodeIccid(iccid.value) : null,
  };
}

/** ListNotificationRequest: all notifications (no filter). */
export function listNotificationRequest(): Uint8Array {
  return tlv(ES10_TAGS.listNotification);
}

export function parseListNotificationResponse(bytes: Uint8Array): NotificationMetadata[] {
  const t = expectTag(bytes, ES10_TAGS.listNotification, "ListNotification");
  const body = childrenOf(t);
  const list = findTlv(body, 0xa0);
  if (!list) throw new CardError("ES10_ERROR", { detail: "ListNotification returned an error" });
  return childrenOf(list)
    .filter((m) => m.tag === ES10_TAGS.notificationMetadata)
    .map(parseNotificationMetadata);
}

/** RetrieveNotificationsListRequest for one sequence number: searchCriteria `[0]` { seqNumber `[0]` }. */
export function retrieveNotificationRequest(seq: number): Uint8Array {
  return tlv(ES10_TAGS.retrieveNotificationsList, tlv(0xa0, tlv(0x80, intBytes(seq))));
}

export interface PendingNotification {
  metadata: NotificationMetadata;
  /** The PendingNotification as the eUICC signed it, to be sent base64-encoded to the SM-DP+. */
  der: Uint8Array;
}

function tlvBytes(t: Tlv): Uint8Array {
  return tlv(t.tag, t.value);
}

export function parseRetrieveNotificationsResponse(bytes: Uint8Array): PendingNotification[] {
  const t = expectTag(bytes, ES10_TAGS.retrieveNotificationsList, "RetrieveNotificationsList");
  const list = findTlv(childrenOf(t), 0xa0);
  if (!list) throw new CardError("ES10_ERROR", { detail: "RetrieveNotificationsList returned an error" });
  return childrenOf(list).map((n) => {
    // OtherSignedNotification is a SEQUENCE starting with its metadata; an installation result
    // (BF37) carries the metadata one level deeper, inside its signed data (BF27).
    const inner = childrenOf(n);
    const meta =
      findTlv(inner, ES10_TAGS.notificationMetadata) ??
      parseTlvs(findTlv(inner, 0xbf27)?.value ?? new Uint8Array()).find(
        (x) => x.tag === ES10_TAGS.notificationMetadata,
      );
    if (!meta) throw new CardError("ES10_ERROR", { detail: "a pending notification has no metadata" });
    return { metadata: parseNotificationMetadata(meta), der: tlvBytes(n) };
  });
}

/** NotificationSentRequest (RemoveNotificationFromList): `BF30 03 80 01 <seq>`. */
export function removeNotificationRequest(seq: number): Uint8Array {
  return tlv(ES10_TAGS.removeNotificationFromList, tlv(0x80, intBytes(seq)));
}
