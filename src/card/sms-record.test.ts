import { describe, expect, it } from "vitest";
import { fromHex, toHex } from "./bytes.js";
import {
  decodeSmsRecord,
  encodeSmsRecord,
  joinSmsRecords,
  SMS_RECORD_LENGTH,
  type SmsRecord,
} from "./sms-record.js";
import { encodeDeliver, encodeSubmit, splitText } from "./sms-tpdu.js";

const PDU = "0891683108100005F0040D91683108108300F0000842501021436523044F60597D";

function deliverRecord(
  n: number,
  status: number,
  text: string,
  concat?: { ref: number; total: number; seq: number },
) {
  const tpdu = encodeDeliver({
    originator: "+8613800138000",
    text,
    alphabet: "ucs2",
    epochMs: Date.parse("2024-05-01T04:34:56Z") + n * 1000,
    offsetMinutes: 480,
    concat: concat ? { ...concat, refBits: 8 } : null,
  });
  return decodeSmsRecord(encodeSmsRecord(status, "+8613800100500", tpdu), n) as SmsRecord;
}

describe("EF.SMS records", () => {
  it("reads the built record of card-tech.md §1.5: 01 + PDU, FF-padded to 176 bytes", () => {
    const bytes = fromHex(`01${PDU}${"FF".repeat(SMS_RECORD_LENGTH - 1 - PDU.length / 2)}`);
    const r = decodeSmsRecord(bytes, 1);
    expect(r).toMatchObject({
      record: 1,
      status: 0x01,
      serviceCenter: "+8613800100500",
      tpdu: { text: "你好" },
    });
    const { messages, warnings } = joinSmsRecords([r as SmsRecord]);
    expect(warnings).toEqual([]);
    expect(messages).toEqual([
      {
        address: "+8613800138000",
        body: "你好",
        box: "inbox",
        read: true,
        date: Date.parse("2024-05-01T04:34:56Z"),
        dateLocal: "2024-05-01T12:34:56+08:00",
        serviceCenter: "+8613800100500",
        status: -1,
      },
    ]);
  });

  it("treats a record whose status has b1 = 0 as free (00 + 175 × FF)", () => {
    expect(decodeSmsRecord(fromHex(`00${"FF".repeat(175)}`), 3)).toBeNull();
  });

  it("writes a record that reads back the same", () => {
    const tpdu = fromHex(PDU).subarray(9);
    const rec = encodeSmsRecord(0x03, "+8613800100500", tpdu);
    expect(rec.length).toBe(176);
    expect(toHex(rec.subarray(0, 1 + PDU.length / 2)).toUpperCase()).toBe(`03${PDU}`);
  });

  it("joins concatenated parts in sequence order wherever they are stored, and marks a gap", () => {
    const text = "注销前请备份通讯录和短信。".repeat(12);
    const parts = splitText(text, "ucs2");
    expect(parts.length).toBe(3);
    const recs = [
      deliverRecord(1, 0x01, parts[2] as string, { ref: 7, total: 3, seq: 3 }),
      deliverRecord(2, 0x01, "Single"),
      deliverRecord(3, 0x01, parts[0] as string, { ref: 7, total: 3, seq: 1 }),
      deliverRecord(4, 0x03, parts[1] as string, { ref: 7, total: 3, seq: 2 }),
    ];
    const { messages, warnings } = joinSmsRecords(recs);
    expect(messages.map((m) => [m.body, m.read])).toEqual([
      [text, false],
      ["Single", true],
    ]);
    expect(warnings).toEqual([]);
    // The same message with part 2 missing: joined with a gap, and said so.
    const gap = joinSmsRecords([recs[0] as SmsRecord, recs[2] as SmsRecord]);
    expect(gap.messages[0]?.body).toBe(`${parts[0]}${parts[2]}`);
    expect(gap.warnings).toMatchObject([{ code: "SMS_PART_MISSING", where: "EF.SMS #1,3" }]);
  });

  it("maps MO statuses to sent/outbox with the delivery status, and flags the missing time", () => {
    const submit = encodeSubmit({ destination: "10086", text: "CXYE", alphabet: "gsm7" });
    const recs = [0x05, 0x0d, 0x15, 0x1d, 0x07].map(
      (status, i) => decodeSmsRecord(encodeSmsRecord(status, null, submit), i + 1) as SmsRecord,
    );
    const { messages, warnings } = joinSmsRecords(recs);
    expect(messages.map((m) => [m.box, m.status, m.date])).toEqual([
      ["sent", -1, null],
      ["sent", 32, null],
      ["sent", 0, null],
      ["sent", 0, null],
      ["outbox", -1, null],
    ]);
    expect(warnings.every((w) => w.code === "SMS_NO_TIMESTAMP")).toBe(true);
  });
});
