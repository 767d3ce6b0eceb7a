/**
 * Android "SMS Backup & Restore" XML (synctech.com.au, card-tech.md §4.4): written from a SIM
 * backup so that the holder's new phone can restore it, and read from a phone-side backup.
 *
 * `<smses count backup_set backup_date type>` holding `<sms protocol address date type subject
 * body toa sc_toa service_center read status …/>`; MMS (`<mms>`) are counted, not read.
 */
import { SMS_BOXES, type SmsBox, type SmsMessage } from "./model.js";
import { escapeXmlAttr, XmlError, xmlEvents } from "./xml.js";

export interface SmsXmlOptions {
  /** `backup_set`, a UUID. */
  backupSet: string;
  /** `backup_date`, and the `date` written for a message without a time of its own. */
  backupDate: number;
  /** Names for addresses, to fill `contact_name` (the phone shows it in the restore preview). */
  contactName?: (address: string) => string | null;
}

function typeOf(box: SmsBox): number {
  return SMS_BOXES.indexOf(box) + 1;
}

export function writeSmsBackupXml(messages: readonly SmsMessage[], o: SmsXmlOptions): string {
  const lines = [
    "<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>",
    "<!--File Created By zhuxiao from a SIM card-->",
    `<smses count="${messages.length}" backup_set="${escapeXmlAttr(o.backupSet)}" backup_date="${o.backupDate}" type="full">`,
  ];
  for (const m of messages) {
    const attrs: Array<[string, string]> = [
      ["protocol", "0"],
      ["address", m.address],
      ["date", String(m.date ?? o.backupDate)],
      ["type", String(typeOf(m.box))],
      ["subject", "null"],
      ["body", m.body],
      ["toa", "null"],
      ["sc_toa", "null"],
      ["service_center", m.serviceCenter ?? "null"],
      ["read", m.read ? "1" : "0"],
      ["status", String(m.status)],
      ["locked", "0"],
      ["date_sent", String(m.box === "inbox" && m.date !== null ? m.date : 0)],
      ["readable_date", m.dateLocal ?? ""],
      ["contact_name", o.contactName?.(m.address) ?? "(Unknown)"],
    ];
    lines.push(`  <sms ${attrs.map(([k, v]) => `${k}="${escapeXmlAttr(v)}"`).join(" ")} />`);
  }
  lines.push("</smses>");
  return `${lines.join("\n")}\n`;
}

export interface ParsedSmsBackup {
  messages: SmsMessage[];
  /** `count` as the file declares it, to compare with what was found. */
  declaredCount: number | null;
  backupSet: string | null;
  backupDate: number | null;
  /** MMS in the file, which this reader does not convert. */
  mmsSkipped: number;
}

const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/;

function nullable(v: string | undefined): string | null {
  return v === undefined || v === "" || v === "null" ? null : v;
}

function intAttr(v: string | undefined, fallback: number): number {
  const n = Number(v);
  return v !== undefined && v !== "" && Number.isFinite(n) ? Math.trunc(n) : fallback;
}

/** Reads an SMS Backup & Restore file. Throws `XmlError` when it is not one. */
export function parseSmsBackupXml(xml: string): ParsedSmsBackup {
  const out: ParsedSmsBackup = {
    messages: [],
    declaredCount: null,
    backupSet: null,
    backupDate: null,
    mmsSkipped: 0,
  };
  let sawRoot = false;
  for (const e of xmlEvents(xml)) {
    if (e.kind !== "open") continue;
    if (e.name === "smses") {
      sawRoot = true;
      out.declaredCount = e.attrs.count === undefined ? null : intAttr(e.attrs.count, 0);
      out.backupSet = nullable(e.attrs.backup_set);
      out.backupDate = e.attrs.backup_date === undefined ? null : intAttr(e.attrs.backup_date, 0);
    } else if (e.name === "mms") out.mmsSkipped++;
    else if (e.name === "sms" && sawRoot) {
      const a = e.attrs;
      const type = intAttr(a.type, 1);
      const date = intAttr(a.date, 0);
      out.messages.push({
        address: a.address ?? "",
        body: a.body ?? "",
        box: SMS_BOXES[type - 1] ?? "inbox",
        read: a.read === "1",
        date: date > 0 ? date : null,
        // Our own files keep the service centre's local time here; phones write prose.
        dateLocal: ISO_WITH_ZONE.test(a.readable_date ?? "") ? (a.readable_date as string) : null,
        serviceCenter: nullable(a.service_center),
        status: intAttr(a.status, -1),
      });
    }
  }
  if (!sawRoot) throw new XmlError("no <smses> root element: not an SMS Backup & Restore file");
  return out;
}
