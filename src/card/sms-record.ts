/**
 * EF.SMS records (TS 51.011 §10.5.3): `[status][SC address][TPDU][FF padding]`, 176 bytes, and how
 * their parts become messages: concatenated parts joined, status mapped to the phone's boxes.
 */
import { concatBytes, padTo, toHex } from "./bytes.js";
import type { BackupWarning, SmsBox, SmsMessage } from "./model.js";
import { decodeScAddress, encodeScAddress } from "./sms-fields.js";
import { type ConcatPart, decodeTpdu, type Tpdu } from "./sms-tpdu.js";

export const SMS_RECORD_LENGTH = 176;

/** Status byte values (b1 = 0 means the record is free). */
export const SMS_STATUS = {
  mtRead: 0x01,
  mtUnread: 0x03,
  moToBeSent: 0x07,
  moSentNoReport: 0x05,
  moSentReportPending: 0x0d,
  moSentReportNotStored: 0x15,
  moSentReportStored: 0x1d,
} as const;

export interface SmsRecord {
  /** Record number in EF.SMS. */
  record: number;
  status: number;
  serviceCenter: string | null;
  tpdu: Tpdu;
}

export function isFreeSmsRecord(record: Uint8Array): boolean {
  return ((record[0] ?? 0) & 0x01) === 0;
}

/** Decodes a used EF.SMS record; null for a free one. Throws `SmsDecodeError` for a broken TPDU. */
export function decodeSmsRecord(bytes: Uint8Array, record: number): SmsRecord | null {
  if (isFreeSmsRecord(bytes)) return null;
  const sc = decodeScAddress(bytes, 1);
  return {
    record,
    status: bytes[0] as number,
    serviceCenter: sc.value?.address ?? null,
    tpdu: decodeTpdu(bytes.subarray(1 + sc.size)),
  };
}

export function encodeSmsRecord(status: number, serviceCenter: string | null, tpdu: Uint8Array): Uint8Array {
  return padTo(concatBytes(Uint8Array.of(status), encodeScAddress(serviceCenter), tpdu), SMS_RECORD_LENGTH);
}

function boxOf(status: number): SmsBox {
  switch (status & 0x07) {
    case 0x01:
    case 0x03:
      return "inbox";
    case 0x07:
      return "outbox";
    default:
      return "sent";
  }
}

/** SMS Backup & Restore `status` for a sent message, from its status-report bits. */
function deliveryStatus(status: number): number {
  if ((status & 0x07) !== 0x05) return -1;
  if (status === SMS_STATUS.moSentReportPending) return 32;
  if (status === SMS_STATUS.moSentReportNotStored || status === SMS_STATUS.moSentReportStored) return 0;
  return -1;
}

function addressOf(t: Tpdu): string {
  return t.type === "deliver" ? t.originator : t.destination;
}

/**
 * Turns records into messages in record order: parts of a concatenated message (same party,
 * reference and count) are joined in sequence order where the first part was found. Missing parts
 * and messages without a time stamp (SUBMIT) are reported as warnings.
 */
export function joinSmsRecords(records: readonly SmsRecord[]): {
  messages: SmsMessage[];
  warnings: BackupWarning[];
} {
  const warnings: BackupWarning[] = [];
  const groups = new Map<string, { parts: Array<{ r: SmsRecord; c: ConcatPart }>; first: SmsRecord }>();
  const order: Array<{ single: SmsRecord } | { key: string }> = [];
  for (const r of records) {
    const c = r.tpdu.concat;
    if (!c || c.total <= 1) {
      order.push({ single: r });
      continue;
    }
    const key = `${r.tpdu.type}|${addressOf(r.tpdu)}|${c.refBits}|${c.ref}|${c.total}`;
    const g = groups.get(key);
    if (g) g.parts.push({ r, c });
    else {
      groups.set(key, { parts: [{ r, c }], first: r });
      order.push({ key });
    }
  }
  const messages: SmsMessage[] = [];
  const toMessage = (first: SmsRecord, body: string, allRead: boolean, where: string): SmsMessage => {
    const t = first.tpdu;
    const ts = t.type === "deliver" ? t.timestamp : null;
    if (!ts) {
      warnings.push({
        code: "SMS_NO_TIMESTAMP",
        where,
        detail: t.type === "submit" ? "a sent message on a SIM carries no time stamp" : "invalid time stamp",
      });
    }
    if (t.coding.compressed)
      warnings.push({ code: "SMS_COMPRESSED", where, detail: "compressed text is not supported" });
    return {
      address: addressOf(t),
      body,
      box: boxOf(first.status),
      read: allRead,
      date: ts?.epochMs ?? null,
      dateLocal: ts?.iso ?? null,
      serviceCenter: first.serviceCenter,
      status: deliveryStatus(first.status),
    };
  };
  for (const o of order) {
    if ("single" in o) {
      messages.push(
        toMessage(
          o.single,
          o.single.tpdu.text,
          o.single.status !== SMS_STATUS.mtUnread,
          `EF.SMS #${o.single.record}`,
        ),
      );
      continue;
    }
    const g = groups.get(o.key);
    if (!g) continue;
    const bySeq = new Map<number, SmsRecord>();
    for (const p of g.parts) if (!bySeq.has(p.c.seq)) bySeq.set(p.c.seq, p.r);
    const total = g.parts[0]?.c.total ?? 0;
    const missing: number[] = [];
    let body = "";
    for (let seq = 1; seq <= total; seq++) {
      const part = bySeq.get(seq);
      if (part) body += part.tpdu.text;
      else missing.push(seq);
    }
    const recordsUsed = [...bySeq.values()].map((r) => r.record);
    const where = `EF.SMS #${recordsUsed.join(",")}`;
    if (missing.length) {
      warnings.push({
        code: "SMS_PART_MISSING",
        where,
        detail: `part ${missing.join(", ")} of ${total} is not on the card; the text has a gap`,
      });
    }
    const first = bySeq.get(Math.min(...bySeq.keys())) ?? g.first;
    messages.push(
      toMessage(
        first,
        body,
        [...bySeq.values()].every((r) => r.status !== SMS_STATUS.mtUnread),
        where,
      ),
    );
  }
  return { messages, warnings };
}

/** A warning for a record that could not be decoded, keeping its bytes for a later look. */
export function undecodableRecord(record: number, bytes: Uint8Array, err: unknown): BackupWarning {
  return {
    code: "SMS_UNDECODABLE",
    where: `EF.SMS #${record}`,
    detail: `${err instanceof Error ? err.message : String(err)}; raw ${toHex(bytes)}`,
  };
}
