/**
 * Backup files in and out: vCard (2.1/3.0/4.0), SMS Backup & Restore XML, and a JSON form of
 * either. The input kind is decided by content (falling back to the extension only for JSON);
 * the output kind by the output file's extension.
 */
import { extname } from "node:path";
import { z } from "zod";
import { CardError } from "./errors.js";
import { type Contact, PHONE_TYPES, SMS_BOXES, type SmsMessage } from "./model.js";
import { parseSmsBackupXml, writeSmsBackupXml } from "./sms-backup-xml.js";
import { parseVCards } from "./vcard-read.js";
import { type VCardVersion, writeVCards } from "./vcard-write.js";

const contactSchema = z
  .object({
    name: z.string(),
    phones: z.array(z.object({ number: z.string(), types: z.array(z.enum(PHONE_TYPES)) }).strict()),
    emails: z.array(z.string()),
    nickname: z.string().nullable(),
    groups: z.array(z.string()),
    note: z.string().nullable(),
  })
  .strict();

const smsSchema = z
  .object({
    address: z.string(),
    body: z.string(),
    box: z.enum(SMS_BOXES),
    read: z.boolean(),
    date: z.number().int().nullable(),
    dateLocal: z.string().nullable(),
    serviceCenter: z.string().nullable(),
    status: z.number().int(),
  })
  .strict();

const jsonBackupSchema = z.discriminatedUnion("format", [
  z.object({ format: z.literal("zhuxiao.contacts/1"), contacts: z.array(contactSchema) }).strict(),
  z.object({ format: z.literal("zhuxiao.sms/1"), messages: z.array(smsSchema) }).strict(),
]);

export type BackupDocument =
  | { kind: "contacts"; contacts: Contact[]; vcardVersions: string[] }
  | { kind: "sms"; messages: SmsMessage[]; mmsSkipped: number };

/** Reads a backup file's text; `file` names it in errors and breaks ties for JSON. */
export function readBackup(text: string, file: string): BackupDocument {
  const head = text.replace(/^\uFEFF/, "").trimStart();
  try {
    if (/^BEGIN:VCARD/i.test(head)) {
      const r = parseVCards(text);
      return { kind: "contacts", contacts: r.contacts, vcardVersions: r.versions };
    }
    if (head.startsWith("<")) {
      const r = parseSmsBackupXml(text);
      return { kind: "sms", messages: r.messages, mmsSkipped: r.mmsSkipped };
    }
    if (head.startsWith("{") || extname(file).toLowerCase() === ".json") {
      const doc = jsonBackupSchema.parse(JSON.parse(text));
      return doc.format === "zhuxiao.contacts/1"
        ? { kind: "contacts", contacts: doc.contacts, vcardVersions: [] }
        : { kind: "sms", messages: doc.messages, mmsSkipped: 0 };
    }
  } catch (err) {
    throw new CardError("BACKUP_FORMAT_INVALID", {
      file,
      detail: err instanceof Error ? err.message : String(err),
    });
  }
  throw new CardError("BACKUP_FORMAT_UNKNOWN", { file });
}

export interface WriteOptions {
  /** vCard version of a `.vcf` output; default: the other one of the input's (3.0 ↔ 4.0). */
  vcardVersion?: VCardVersion;
  backupSet: string;
  backupDate: number;
}

export function writeBackup(doc: BackupDocument, file: string, o: WriteOptions): string {
  const ext = extname(file).toLowerCase();
  if (ext === ".json") {
    const body =
      doc.kind === "contacts"
        ? { format: "zhuxiao.contacts/1", contacts: doc.contacts }
        : { format: "zhuxiao.sms/1", messages: doc.messages };
    return `${JSON.stringify(body, null, 2)}\n`;
  }
  if (ext === ".vcf" && doc.kind === "contacts") {
    const version = o.vcardVersion ?? (doc.vcardVersions.includes("4.0") ? "3.0" : "4.0");
    return writeVCards(doc.contacts, version);
  }
  if (ext === ".xml" && doc.kind === "sms") {
    return writeSmsBackupXml(doc.messages, { backupSet: o.backupSet, backupDate: o.backupDate });
  }
  throw new CardError("BACKUP_FORMAT_INVALID", {
    file,
    detail: `${doc.kind === "contacts" ? "contacts" : "messages"} can be written as ${doc.kind === "contacts" ? ".vcf" : ".xml"} or .json`,
  });
}
