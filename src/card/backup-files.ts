/**
 * The files `zhuxiao card backup` writes, and the counter console attaches to the application:
 * contacts as vCard 3.0 (`contacts.vcf`, what phones import best) and 4.0 (`contacts-v4.vcf`),
 * messages as SMS Backup & Restore XML (`sms.xml`), and a summary (`backup.json`).
 */
import type { SimBackup } from "./sim-read.js";
import { writeSmsBackupXml } from "./sms-backup-xml.js";
import { writeVCards } from "./vcard-write.js";

export interface BackupFile {
  name: string;
  content: string;
}

export const BACKUP_FILE_NAMES = {
  contacts: "contacts.vcf",
  contactsV4: "contacts-v4.vcf",
  sms: "sms.xml",
  summary: "backup.json",
} as const;

/** Digits of a number for matching: `+86`/`0086` dropped, separators ignored. */
function numberKey(n: string): string {
  return n.replace(/[^\d+]/g, "").replace(/^(\+86|0086)/, "");
}

export function backupFiles(b: SimBackup, o: { backupSet: string; backupDate: Date }): BackupFile[] {
  const names = new Map<string, string>();
  for (const c of b.contacts) for (const p of c.phones) if (c.name) names.set(numberKey(p.number), c.name);
  const summary = {
    format: "zhuxiao.sim-backup/1",
    readAt: o.backupDate.toISOString(),
    reader: b.reader,
    atr: b.atr,
    iccid: b.iccid,
    imsi: b.imsi,
    msisdn: b.msisdn,
    contacts: b.contacts.length,
    phonebook: b.phonebook,
    messages: b.messages.length,
    sms: b.sms,
    files: [BACKUP_FILE_NAMES.contacts, BACKUP_FILE_NAMES.contactsV4, BACKUP_FILE_NAMES.sms],
    warnings: b.warnings,
  };
  return [
    { name: BACKUP_FILE_NAMES.contacts, content: writeVCards(b.contacts, "3.0") },
    { name: BACKUP_FILE_NAMES.contactsV4, content: writeVCards(b.contacts, "4.0") },
    {
      name: BACKUP_FILE_NAMES.sms,
      content: writeSmsBackupXml(b.messages, {
        backupSet: o.backupSet,
        backupDate: o.backupDate.getTime(),
        contactName: (address) => names.get(numberKey(address)) ?? null,
      }),
    },
    { name: BACKUP_FILE_NAMES.summary, content: `${JSON.stringify(summary, null, 2)}\n` },
  ];
}
