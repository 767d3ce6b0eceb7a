import { describe, expect, it } from "vitest";
import type { Contact } from "./model.js";
import { parseVCards, telValue, VCardError } from "./vcard-read.js";
import { escapeText, foldLine, splitName, writeVCard, writeVCards } from "./vcard-write.js";

const contacts: Contact[] = [
  {
    name: "张三",
    phones: [
      { number: "+8613800138000", types: ["cell"] },
      { number: "01012345678", types: ["voice"] },
    ],
    emails: ["zhang.san@example.cn"],
    nickname: "小三",
    groups: ["家人", "VIP"],
    note: "注销前备份\n第二行",
  },
  {
    name: "Smith, John; Jr.",
    phones: [{ number: "*86#", types: ["cell"] }],
    emails: [],
    nickname: null,
    groups: ["A,B"],
    note: null,
  },
  {
    name: "",
    phones: [{ number: "+8613800138000,123", types: ["cell"] }],
    emails: [],
    nickname: null,
    groups: [],
    note: null,
  },
  { name: "欧阳娜娜", phones: [], emails: [], nickname: null, groups: [], note: "\\ back\\slash" },
];

describe("vCard", () => {
  it("writes RFC 6350 structure: BEGIN, VERSION next, FN, N, CRLF line ends", () => {
    const v4 = writeVCard(contacts[0] as Contact, "4.0");
    expect(v4.split("\r\n").slice(0, 4)).toEqual(["BEGIN:VCARD", "VERSION:4.0", "FN:张三", "N:张;三;;;"]);
    expect(v4).toContain("TEL;VALUE=uri;TYPE=cell:tel:+8613800138000\r\n");
    expect(v4).toContain("TEL;TYPE=voice:01012345678\r\n");
    expect(v4).toContain("NOTE:注销前备份\\n第二行\r\n");
    expect(v4.endsWith("END:VCARD\r\n")).toBe(true);
    expect(v4.replace(/\r\n/g, "")).not.toContain("\n");
    const v3 = writeVCard(contacts[0] as Contact, "3.0");
    expect(v3).toContain("TEL;TYPE=CELL:+8613800138000\r\n");
    expect(v3).toContain("EMAIL;TYPE=INTERNET:zhang.san@example.cn\r\n");
  });

  it("escapes backslash, comma, semicolon and newline", () => {
    expect(escapeText("a\\b,c;d\ne")).toBe("a\\\\b\\,c\\;d\\ne");
    expect(writeVCard(contacts[1] as Contact, "3.0")).toContain("FN:Smith\\, John\\; Jr.\r\n");
  });

  it("folds at 75 octets without cutting a UTF-8 character", () => {
    const line = `NOTE:${"注销".repeat(40)}`;
    const folded = foldLine(line);
    const lines = folded.split("\r\n");
    expect(lines.length).toBeGreaterThan(1);
    for (const l of lines) expect(Buffer.byteLength(l)).toBeLessThanOrEqual(75);
    for (const l of lines.slice(1)) expect(l.startsWith(" ")).toBe(true);
    expect(lines.map((l, i) => (i ? l.slice(1) : l)).join("")).toBe(line);
  });

  it.each(["3.0", "4.0"] as const)("round-trips every contact through vCard %s", (version) => {
    const text = writeVCards(contacts, version);
    expect(parseVCards(text)).toEqual({ contacts, versions: [version] });
  });

  it("splits Chinese names after the surname (compound surnames too) and Latin names before the last word", () => {
    expect(splitName("张三")).toEqual({ family: "张", given: "三" });
    expect(splitName("欧阳娜娜")).toEqual({ family: "欧阳", given: "娜娜" });
    expect(splitName("Mary Jane Smith")).toEqual({ family: "Smith", given: "Mary Jane" });
    expect(splitName("Alice")).toEqual({ family: "", given: "Alice" });
  });

  it("reads a phone's vCard 2.1 export: bare types, QUOTED-PRINTABLE UTF-8 with soft breaks, no FN", () => {
    const v21 = [
      "BEGIN:VCARD",
      "VERSION:2.1",
      "N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=E5=BC=A0;=E4=B8=89;;;",
      "TEL;CELL;PREF:138-0013-8000",
      "TEL;HOME:(010) 1234 5678",
      "NOTE;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=E5=A4=87=E6=B3=A8=",
      "=E4=B8=80",
      "END:VCARD",
      "",
    ].join("\r\n");
    expect(parseVCards(v21)).toEqual({
      versions: ["2.1"],
      contacts: [
        {
          name: "张三",
          phones: [
            { number: "13800138000", types: ["cell"] },
            { number: "01012345678", types: ["home"] },
          ],
          emails: [],
          nickname: null,
          groups: [],
          note: "备注一",
        },
      ],
    });
  });

  it("reads tel: URIs with visual separators and escapes, groups and LF-only files", () => {
    expect(telValue("tel:+86-138-0013-8000", true)).toBe("+8613800138000");
    expect(telValue("tel:*86%23;ext=1", false)).toBe("*86#");
    const text = "BEGIN:VCARD\nVERSION:4.0\nFN:Bob\nitem1.TEL;TYPE=work:tel:+1-202-555-0100\nEND:VCARD\n";
    expect(parseVCards(text).contacts[0]?.phones).toEqual([{ number: "+12025550100", types: ["work"] }]);
  });

  it("refuses text that is not a vCard, or one that is not closed", () => {
    expect(() => parseVCards("hello")).toThrow(VCardError);
    expect(() => parseVCards("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:x\r\n")).toThrow(/not closed/);
  });
});
