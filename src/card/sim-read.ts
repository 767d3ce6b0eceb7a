/**
 * Reading a holder's SIM at the counter: what `zhuxiao card info` shows (no PIN needed) and what
 * `zhuxiao card backup` takes off the card (contacts, SMS, own number) once the PIN allows it.
 */
import { decodeAdnRecord } from "./adn.js";
import { decodeImsi } from "./bcd.js";
import { toHex } from "./bytes.js";
import { CardError } from "./errors.js";
import type { BackupWarning, Contact, SmsMessage } from "./model.js";
import { type PhonebookSource, phonebookCapacity, readPhonebook } from "./phonebook.js";
import { describePinStatus, type PinStatus } from "./pin.js";
import {
  decodeSmsRecord,
  isFreeSmsRecord,
  joinSmsRecords,
  type SmsRecord,
  undecodableRecord,
} from "./sms-record.js";
import type { CardChannel } from "./transport.js";
import { FID, Uicc } from "./uicc.js";

export interface CardInfo {
  reader: string;
  atr: string;
  iccid: string;
  /** Null when EF.IMSI needs the PIN (most cards) or is missing. */
  imsi: string | null;
  pin: PinStatus;
  pinText: string;
  phonebook: { source: PhonebookSource; records: number } | null;
}

/** What can be learnt without a PIN. Sends no PIN and uses no try. */
export async function readCardInfo(channel: CardChannel): Promise<CardInfo> {
  const uicc = new Uicc(channel);
  const iccid = await uicc.readIccid();
  const pin = await uicc.pinStatus();
  const imsiBytes = await uicc.tryReadTransparent([FID.ADF, FID.IMSI]);
  let phonebook: CardInfo["phonebook"] = null;
  try {
    phonebook = await phonebookCapacity(uicc);
  } catch (err) {
    if (!(err instanceof CardError)) throw err;
  }
  return {
    reader: channel.transport.readerName,
    atr: toHex(channel.transport.atr),
    iccid,
    imsi: imsiBytes ? decodeImsi(imsiBytes) : null,
    pin,
    pinText: describePinStatus(pin),
    phonebook,
  };
}

/** Reads EF.SMS (DF.TELECOM, else ADF.USIM): used records decoded, broken ones reported. */
export async function readSmsRecords(
  uicc: Uicc,
): Promise<{ records: SmsRecord[]; capacity: number; warnings: BackupWarning[] }> {
  const fcp =
    (await uicc.trySelectPath([FID.TELECOM, FID.SMS])) ?? (await uicc.trySelectPath([FID.ADF, FID.SMS]));
  if (!fcp) return { records: [], capacity: 0, warnings: [] };
  const records: SmsRecord[] = [];
  const warnings: BackupWarning[] = [];
  const raw = await uicc.readRecords(fcp);
  raw.forEach((bytes, i) => {
    if (isFreeSmsRecord(bytes)) return;
    try {
      const r = decodeSmsRecord(bytes, i + 1);
      if (r) records.push(r);
    } catch (err) {
      warnings.push(undecodableRecord(i + 1, bytes, err));
    }
  });
  return { records, capacity: raw.length, warnings };
}

export interface SimBackup {
  reader: string;
  atr: string;
  iccid: string;
  imsi: string | null;
  /** The card's own number(s) from EF.MSISDN, often empty. */
  msisdn: string[];
  contacts: Contact[];
  messages: SmsMessage[];
  phonebook: { source: PhonebookSource; capacity: number };
  sms: { capacity: number; used: number };
  warnings: BackupWarning[];
}

/**
 * Reads everything worth keeping. The PIN is verified first when the card asks for it, by the
 * safety rule (never with one try left); `pin` null reads only if the PIN is off.
 */
export async function readSimBackup(channel: CardChannel, opts: { pin: string | null }): Promise<SimBackup> {
  const uicc = new Uicc(channel);
  const iccid = await uicc.readIccid();
  await uicc.verifyPin(opts.pin);
  const imsiBytes = await uicc.tryReadTransparent([FID.ADF, FID.IMSI]);
  const phonebook = await readPhonebook(uicc);
  const sms = await readSmsRecords(uicc);
  const joined = joinSmsRecords(sms.records);
  const msisdn: string[] = [];
  const msisdnFcp = await uicc.trySelectPath([FID.TELECOM, FID.MSISDN]);
  if (msisdnFcp) {
    for (const rec of await uicc.readRecords(msisdnFcp)) {
      const m = decodeAdnRecord(rec);
      if (m?.number) msisdn.push(m.number);
    }
  }
  return {
    reader: channel.transport.readerName,
    atr: toHex(channel.transport.atr),
    iccid,
    imsi: imsiBytes ? decodeImsi(imsiBytes) : null,
    msisdn,
    contacts: phonebook.contacts,
    messages: joined.messages,
    phonebook: { source: phonebook.source, capacity: phonebook.capacity },
    sms: { capacity: sms.capacity, used: sms.records.length },
    warnings: [...phonebook.warnings, ...sms.warnings, ...joined.warnings],
  };
}
