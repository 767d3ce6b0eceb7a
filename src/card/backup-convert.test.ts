import { describe, expect, it } from "vitest";
import { readBackup, writeBackup } from "./backup-convert.js";
import type { Contact, SmsMessage } from "./model.js";
import { writeSmsBackupXml } from "./sms-backup-xml.js";
import { writeVCards } from "./vcard-write.js";

const contacts: Contact[] = [
  {
    name: "王芳",
    phones: [{ number: "13912345678", types: ["cell"] }],
    emails: ["wf@example.cn"],
    nickname: null,
    groups: ["同事"],
    note: null,
  },
];
const messages: SmsMessage[] = [
  {
    address: "95588",
    body: "您的账户余额变动",
    box: "inbox",
    read: false,
    date: 1_714_538_096_000,
    dateLocal: "2024-05-01T12:34:56+08:00",
    serviceCenter: "+8613800100500",
    status: -1,
  },
];
const OPTS = { backupSet: "set", backupDate: 1 };

describe("backup conversion", () => {
  it("converts vCard 3.0 to 4.0 by default and back, keeping every field", () => {
    const v3 = writeVCards(contacts, "3.0");
    const v4 = writeBackup(readBackup(v3, "in.vcf"), "out.vcf", OPTS);
    expect(v4).toContain("VERSION:4.0");
    const back = writeBackup(readBackup(v4, "out.vcf"), "again.vcf", OPTS);
    expect(back).toBe(v3);
  });

  it("converts SMS XML to JSON and back", () => {
    const xml = writeSmsBackupXml(messages, OPTS);
    const json = writeBackup(readBackup(xml, "sms.xml"), "sms.json", OPTS);
    expect(JSON.parse(json)).toEqual({ format: "zhuxiao.sms/1", messages });
    expect(writeBackup(readBackup(json, "sms.json"), "sms.xml", OPTS)).toBe(xml);
  });

  it("detects by content, not by name", () => {
    expect(readBackup(writeVCards(contacts, "4.0"), "misnamed.xml").kind).toBe("contacts");
    expect(readBackup(writeSmsBackupXml(messages, OPTS), "misnamed.vcf").kind).toBe("sms");
  });

  it("refuses unknown input and an output that cannot hold the kind", () => {
    expect(() => readBackup("hello", "a.txt")).toThrow(/BACKUP|neither/);
    expect(() => readBackup('{"format":"other"}', "a.json")).toThrow();
    expect(() => writeBackup(readBackup(writeVCards(contacts, "3.0"), "a.vcf"), "b.xml", OPTS)).toThrow(
      /\.vcf or \.json/,
    );
  });
});
