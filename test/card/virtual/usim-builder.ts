/**
 * Builds a virtual USIM from contacts and messages, laid out like the pySim card dump of
 * card-tech.md §1.2: EF.DIR and EF.ICCID in the MF; DF.TELECOM with EF.ADN, EF.EXT1, EF.SMS and
 * EF.MSISDN; DF.PHONEBOOK with EF.PBR (type 1 ADN/IAP/SNE/GRP, type 2 ANR/EMAIL, type 3
 * EXT1/GAS); ADF.USIM with EF.IMSI. DF.TELECOM's EF.ADN and EF.EXT1 share their records with the
 * phonebook's, as on real cards.
 */
import {
  EXT1_RECORD_LENGTH,
  encodeAdnRecord,
  encodeAnrRecord,
  encodeExt1Record,
  encodeTextRecord,
  splitNumber,
} from "../../../src/card/adn.js";
import { encodeIccid, encodeImsi } from "../../../src/card/bcd.js";
import { fromHex } from "../../../src/card/bytes.js";
import type { Contact } from "../../../src/card/model.js";
import { encodePbrRecord } from "../../../src/card/pbr.js";
import { encodeSmsRecord, SMS_RECORD_LENGTH } from "../../../src/card/sms-record.js";
import { encodeDeliver, encodeSubmit } from "../../../src/card/sms-tpdu.js";
import { tlv } from "../../../src/card/tlv.js";
import { localToEpoch, partsOf, SERVICE_CENTRE, type SmsSpec } from "./sim-fixtures.js";
import { df, ef, type PinState, VirtualUicc } from "./virtual-uicc.js";

export const USIM_AID = fromHex("a0000000871002ff86ffff89ffffffff");
/** The ATR of the pySim card dump (card-tech.md §1.2). */
export const USIM_ATR = fromHex("3b9f96801f878031e073fe211b674a4c753034054ba9");

const ADN_LENGTH = 34;
const ADN_SFI = 0x01;
const EMAIL_LENGTH = 42;
const ANR_LENGTH = 17;
const SNE_LENGTH = 20;
const GAS_LENGTH = 20;

export interface UsimOptions {
  iccid: string;
  imsi: string;
  msisdn: string;
  contacts: readonly Contact[];
  sms: readonly SmsSpec[];
  /** EF.SMS size; records after the messages (and every 13th) are left free. */
  smsRecords?: number;
  pin?: Partial<PinState>;
  /** Leave out DF.PHONEBOOK, so that DF.TELECOM's EF.ADN is the phonebook. */
  withoutPhonebook?: boolean;
}

function free(n: number, length: number): Uint8Array[] {
  return Array.from({ length: n }, () => new Uint8Array(length).fill(0xff));
}

/** EF.SMS records for the specs, with a free record every 13th slot to be skipped. */
export function smsRecords(specs: readonly SmsSpec[], total: number): Uint8Array[] {
  const used: Uint8Array[] = [];
  for (const spec of specs) {
    const parts = partsOf(spec);
    const encoded = parts.map((text, i) => {
      const concat = spec.concat
        ? { ref: spec.concat.ref, total: parts.length, seq: i + 1, refBits: spec.concat.refBits }
        : null;
      const tpdu =
        spec.box === "inbox"
          ? encodeDeliver({
              originator: spec.address,
              text,
              alphabet: spec.alphabet,
              epochMs: localToEpoch(spec.local as string, spec.offsetMinutes as number),
              offsetMinutes: spec.offsetMinutes as number,
              concat,
            })
          : encodeSubmit({
              destination: spec.address,
              text,
              alphabet: spec.alphabet,
              concat,
              relativeValidity: 0xa9,
            });
      // Parts of an unread message are all unread.
      return encodeSmsRecord(spec.status, SERVICE_CENTRE, tpdu);
    });
    used.push(...(spec.concat?.reverse ? encoded.reverse() : encoded));
  }
  const out: Uint8Array[] = [];
  for (let slot = 1; out.length < total; slot++) {
    if (slot % 13 === 0 || used.length === 0)
      out.push(Uint8Array.of(0x00, ...new Uint8Array(SMS_RECORD_LENGTH - 1).fill(0xff)));
    else out.push(used.shift() as Uint8Array);
  }
  if (used.length) throw new Error(`${used.length} SMS records do not fit in ${total}`);
  return out;
}

export function buildUsim(o: UsimOptions): VirtualUicc {
  const n = o.contacts.length;
  const adn: Uint8Array[] = [];
  const ext1 = free(20, EXT1_RECORD_LENGTH);
  const iap = free(n, 2);
  const sne = free(n, SNE_LENGTH);
  const grp = free(n, 2).map((r) => r.fill(0));
  const anr = free(100, ANR_LENGTH);
  const email = free(100, EMAIL_LENGTH);
  const groupNames = [...new Set(o.contacts.flatMap((c) => c.groups))];
  const gas = free(Math.max(groupNames.length, 1), GAS_LENGTH);
  groupNames.forEach((g, i) => {
    gas[i] = encodeTextRecord(g, GAS_LENGTH);
  });
  let nextExt = 1;
  let nextAnr = 0;
  let nextEmail = 0;
  o.contacts.forEach((c, i) => {
    const record = i + 1;
    const link = { adnSfi: ADN_SFI, adnRecord: record };
    const [main, ...others] = c.phones;
    let ext: number | null = null;
    if (main) {
      const { extensions } = splitNumber(main.number);
      if (extensions.length) {
        ext = nextExt;
        extensions.forEach((digits, k) => {
          ext1[nextExt - 1] = encodeExt1Record(digits, k < extensions.length - 1 ? nextExt + 1 : null);
          nextExt++;
        });
      }
    }
    adn.push(encodeAdnRecord({ name: c.name, number: main?.number ?? "", ext }, ADN_LENGTH));
    const second = others[0];
    if (second) {
      anr[nextAnr] = encodeAnrRecord(second.number, ANR_LENGTH, link);
      (iap[i] as Uint8Array)[0] = ++nextAnr;
    }
    const mail = c.emails[0];
    if (mail) {
      email[nextEmail] = encodeTextRecord(mail, EMAIL_LENGTH, link);
      (iap[i] as Uint8Array)[1] = ++nextEmail;
    }
    if (c.nickname) sne[i] = encodeTextRecord(c.nickname, SNE_LENGTH);
    c.groups.forEach((g, k) => {
      (grp[i] as Uint8Array)[k] = groupNames.indexOf(g) + 1;
    });
  });

  const pbr = encodePbrRecord(
    [
      { kind: "ADN", fid: 0x4f3a, sfi: ADN_SFI, type: 1 },
      { kind: "IAP", fid: 0x4f32, sfi: 0x02, type: 1 },
      { kind: "SNE", fid: 0x4f54, sfi: 0x14, type: 1 },
      { kind: "GRP", fid: 0x4f52, sfi: 0x12, type: 1 },
      { kind: "ANR", fid: 0x4f11, sfi: 0x08, type: 2 },
      { kind: "EMAIL", fid: 0x4f50, sfi: 0x0d, type: 2 },
      { kind: "EXT1", fid: 0x4f4a, sfi: 0x03, type: 3 },
      { kind: "GAS", fid: 0x4f53, sfi: 0x13, type: 3 },
    ],
    64,
  );
  const linear = (fid: number, records: Uint8Array[], sfi?: number) =>
    ef(fid, { structure: "linear_fixed", recordLength: records[0]?.length ?? 0, records, read: "pin1", sfi });
  const phonebook = df(0x5f3a, [
    linear(0x4f30, [pbr, new Uint8Array(64).fill(0xff)]),
    linear(0x4f3a, adn, ADN_SFI),
    linear(0x4f32, iap, 0x02),
    linear(0x4f54, sne, 0x14),
    linear(0x4f52, grp, 0x12),
    linear(0x4f11, anr, 0x08),
    linear(0x4f50, email, 0x0d),
    linear(0x4f4a, ext1, 0x03),
    linear(0x4f53, gas, 0x13),
  ]);
  const telecom = df(0x7f10, [
    linear(0x6f3a, adn),
    linear(0x6f4a, ext1),
    linear(0x6f3c, smsRecords(o.sms, o.smsRecords ?? 40)),
    linear(0x6f40, [encodeAdnRecord({ name: "本机号码", number: o.msisdn }, 28)]),
    ...(o.withoutPhonebook ? [] : [phonebook]),
  ]);
  const usim = df(
    0x7fff,
    [ef(0x6f07, { structure: "transparent", data: encodeImsi(o.imsi), read: "pin1" })],
    {
      aid: USIM_AID,
    },
  );
  const dirRecord = tlv(0x61, [tlv(0x4f, USIM_AID), tlv(0x50, new TextEncoder().encode("USIM"))]);
  const mf = df(0x3f00, [
    ef(0x2f00, {
      structure: "linear_fixed",
      recordLength: 38,
      records: [Uint8Array.from([...dirRecord, ...new Uint8Array(38 - dirRecord.length).fill(0xff)])],
      read: "always",
    }),
    ef(0x2fe2, { structure: "transparent", data: encodeIccid(o.iccid), read: "always" }),
    telecom,
    usim,
  ]);
  return new VirtualUicc(USIM_ATR, mf, o.pin);
}
