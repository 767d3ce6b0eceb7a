import { describe, expect, it } from "vitest";
import { concatBytes, fromHex, toHex } from "./bytes.js";
import {
  decodeDcs,
  decodeScAddress,
  decodeScts,
  decodeTpAddress,
  encodeScAddress,
  encodeScts,
  encodeTpAddress,
  relativeValidityMinutes,
  relativeValidityValue,
} from "./sms-fields.js";
import {
  type DeliverTpdu,
  decodeTpdu,
  encodeDeliver,
  encodeSubmit,
  parseUdh,
  type SubmitTpdu,
  splitText,
} from "./sms-tpdu.js";

const hex = (b: Uint8Array) => toHex(b).toUpperCase();

/** A PDU as a modem prints it: service centre address, then the TPDU. */
function decodeWithSc(pduHex: string) {
  const bytes = fromHex(pduHex);
  const sc = decodeScAddress(bytes, 0);
  return { sc: sc.value?.address ?? null, tpdu: decodeTpdu(bytes.subarray(sc.size)) };
}

describe("the built DELIVER vector of card-tech.md §1.5", () => {
  const PDU = "0891683108100005F0040D91683108108300F0000842501021436523044F60597D";

  it("decodes SMSC, sender, +08:00 time stamp and the UCS2 text 你好", () => {
    const { sc, tpdu } = decodeWithSc(PDU);
    expect(sc).toBe("+8613800100500");
    const d = tpdu as DeliverTpdu;
    expect(d).toMatchObject({ type: "deliver", originator: "+8613800138000", text: "你好", concat: null });
    expect(d.coding.alphabet).toBe("ucs2");
    expect(d.timestamp?.iso).toBe("2024-05-01T12:34:56+08:00");
    expect(new Date(d.timestamp?.epochMs ?? 0).toISOString()).toBe("2024-05-01T04:34:56.000Z");
  });

  it("is what the encoder writes for the same message", () => {
    const tpdu = encodeDeliver({
      originator: "+8613800138000",
      text: "你好",
      alphabet: "ucs2",
      epochMs: Date.parse("2024-05-01T04:34:56Z"),
      offsetMinutes: 480,
    });
    expect(hex(concatBytes(encodeScAddress("+8613800100500"), tpdu))).toBe(PDU);
  });
});

// python-gsmmodem test/test_pdu.py (TestSmsPdu.test_decode and friends).
describe("published PDU vectors (python-gsmmodem)", () => {
  it("decodes a GSM 7-bit DELIVER with a +2 h time stamp", () => {
    const { sc, tpdu } = decodeWithSc("06917228195339040B917228214365F700003130805120618005D4F29C2E03");
    expect(sc).toBe("+2782913593");
    expect(tpdu).toMatchObject({ type: "deliver", originator: "+27821234567", text: "Test2" });
    expect((tpdu as DeliverTpdu).timestamp?.iso).toBe("2013-03-08T15:02:16+02:00");
  });

  it("decodes a longer GSM 7-bit text with a +8 h zone", () => {
    const { tpdu } = decodeWithSc(
      "07915892000000F0040B915892214365F700007040213252242331493A283D0795C3F33C88FE06C9CB6132885EC6D341EDF27C1E3E97E7207B3A0C0A5241E377BB1D7693E72E",
    );
    expect(tpdu.text).toBe("It is easy to read text messages via AT commands.");
    expect((tpdu as DeliverTpdu).timestamp?.iso).toBe("2007-04-12T23:25:42+08:00");
  });

  it("decodes escapes and accented letters", () => {
    expect(
      decodeWithSc("06917228195339040B917228214365F70000313062315352800A800D8A5E98D337A910").tpdu.text,
    ).toBe("@{tést}!");
  });

  it("decodes a SUBMIT with a relative validity period of three days", () => {
    const { sc, tpdu } = decodeWithSc(
      "07911326040000F0310D0B911326880736F40000A90FF7FBDD454E87CDE1B0DB357EB701",
    );
    expect(sc).toBe("+31624000000");
    expect(tpdu).toMatchObject({ type: "submit", destination: "+31628870634", text: "www.diafaan.com" });
    expect((tpdu as SubmitTpdu).validity).toEqual({ format: "relative", minutes: 3 * 24 * 60 });
  });

  it("decodes a concatenated DELIVER with a national sender", () => {
    const { sc, tpdu } = decodeWithSc(
      "0591721891F1400781721881F800003160526104848059050003C30101916536FB1DCABEEB2074D85E064941B19CAB060319A5C522289C96D3D3ED32286C0FA7D96131BBEC024941B19CAB0603DDD36C36A88C87A7E565D0DB0D82C55EB0DB4B068BCD5C20",
    );
    expect(sc).toBe("+2781191");
    expect(tpdu).toMatchObject({
      originator: "2781188",
      text: "Hello!You have R 19.50 FREE airtime available. R 19.50 will expire on 01/07/2013. ",
      concat: { ref: 0xc3, total: 1, seq: 1, refBits: 8 },
    });
  });

  it("decodes UCS2 and 8-bit SUBMITs", () => {
    expect(decodeWithSc("07914346466554F601000B914316565811F9000806304253F68449").tpdu.text).toBe("あ叶葉");
    expect(decodeWithSc("0591721891F101000B917228214365F700040C48656C6C6F20776F726C6421").tpdu).toMatchObject(
      {
        text: "Hello world!",
        coding: { alphabet: "8bit" },
      },
    );
  });

  it("decodes an absolute validity period", () => {
    const t = decodeTpdu(
      fromHex("19000B917228001011F100003170013193008017D474BB3CA787DB70903DCC4E93D3F43C885E9ED301"),
    );
    expect(t.text).toBe("Timestamp validity test");
    expect((t as SubmitTpdu).validity).toMatchObject({
      format: "absolute",
      timestamp: { iso: "2013-07-10T13:39:00+02:00" },
    });
  });

  it("encodes SUBMITs byte for byte", () => {
    expect(hex(encodeSubmit({ destination: "+27820001111", text: "Hello World!", alphabet: "gsm7" }))).toBe(
      "01000B917228001011F100000CC8329BFD065DDF72363904",
    );
    const ucs2 = encodeSubmit({
      destination: "+123456789",
      text: "世界您好！",
      alphabet: "ucs2",
      relativeValidity: relativeValidityValue(52 * 7 * 24 * 60),
    });
    expect(hex(concatBytes(encodeScAddress("+44000000000"), ucs2))).toBe(
      "07914400000000F01100099121436587F90008F40A4E16754C60A8597DFF01",
    );
  });

  it("splits and encodes a long text into the three concatenated SUBMITs python-gsmmodem publishes", () => {
    const text =
      "Lorem ipsum dolor sit amet, consectetur adipisicing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua.Ut enim ad minim veniam, quinostrud exercitation ullamco laboris nisi ut aliquip ex ea commodo consequat.Duis aute irure dolor in reprehenderit in voluptate velit esse cillum doloe eu fugiat nulla pariatur.Excepteur sint occaecat cupidatat non proident, sunt in culpa qui officia deserunt mollit anim id est laborum";
    const expected = [
      "0045000B915121551532F40000A0050003000301986F79B90D4AC3E7F53688FC66BFE5A0799A0E0AB7CB741668FC76CFCB637A995E9783C2E4343C3D4F8FD3EE33A8CC4ED359A079990C22BF41E5747DDE7E9341F4721BFE9683D2EE719A9C26D7DD74509D0E6287C56F791954A683C86FF65B5E06B5C36777181466A7E3F5B0AB4A0795DDE936284C06B5D3EE741B642FBBD3E1360B14AFA7DD",
      "0045000B915121551532F40000A0050003000302DE73BABC4E0695F165F9384D0FD3D36F37A8CE6687DBE337881D16BFE5E939C89D9EA741753A28CC4EC7EB6938A88C0795C3A0F1BBDD7E93DFA0F1DB3D2FC7EB61BA8B584FCF41E13ABD0C4ACBEBF23288FC66BFE5A0B41B242FC3E56574D94D2ECBD37450DA0DB2BFD975383D4C2F83EC65769A0E2ACFE765D038CD66D7DB20F29BFD2E83CA",
      "0045000B915121551532F400008C050003000303EA2073FD9C0ED341EE3A9B1D06C1C3F274985E97BB8AF871194E2FD7E5A079DA4D07BDC7E370791CA683C675789A1CA687E920F7DB0D82CBDF6972D94D6781E675371D947683C675363C0C8AD7D3A0B7D99C1EA7C32072795E96D7DD7450FBCD66A7E9A0B03BDD06A5C9A0F29C0E6287C56F79BD0D",
    ];
    const parts = splitText(text, "gsm7");
    expect(parts.map((p) => p.length)).toEqual([153, 153, text.length - 306]);
    const pdus = parts.map(
      (p, i) =>
        `00${hex(
          encodeSubmit({
            destination: "+15125551234",
            text: p,
            alphabet: "gsm7",
            rejectDuplicates: true,
            concat: { ref: 0, total: parts.length, seq: i + 1, refBits: 8 },
          }),
        )}`,
    );
    expect(pdus).toEqual(expected);
    expect(pdus.map((p) => decodeWithSc(p).tpdu.text).join("")).toBe(text);
  });
});

describe("TPDU fields", () => {
  // python-gsmmodem TestSmsPduAddressFields.
  it.each([
    ["+9876543210", "0A918967452301"],
    ["+987654321", "099189674523F1"],
    ["+27829135934", "0B917228195339F4"],
    ["abc", "06D061F118"],
    ["FRANCOIS", "0ED04669D0397C26A7"],
    ["a[]{}€", "14D0E10D6FE3DBA036A94D19"],
  ])("encodes and decodes the address %s", (address, h) => {
    expect(hex(encodeTpAddress(address))).toBe(h);
    expect(decodeTpAddress(fromHex(h), 0).value.address).toBe(address);
  });

  it("reads a national number without a plus", () => {
    expect(decodeTpAddress(fromHex("0AA11092997856"), 0).value.address).toBe("0129998765");
  });

  // python-gsmmodem TestTimestamp, and card-tech.md's zone rule (23 = +8 h, 2B = −8 h).
  it.each([
    ["51117200000000", "2015-11-27T00:00:00+00:00"],
    ["51117200000080", "2015-11-27T00:00:00+02:00"],
    ["70402132522423", "2007-04-12T23:25:42+08:00"],
    ["7040213252242B", "2007-04-12T23:25:42-08:00"],
  ])("reads the time stamp %s", (h, iso) => {
    const ts = decodeScts(fromHex(h));
    expect(ts?.iso).toBe(iso);
    expect(hex(encodeScts(ts?.epochMs ?? 0, ts?.offsetMinutes ?? 0))).toBe(h);
  });

  it("refuses an impossible time stamp instead of inventing one", () => {
    expect(decodeScts(fromHex("51137200000000"))).toBeNull();
    expect(decodeScts(fromHex("5111F200000000"))).toBeNull();
  });

  // python-gsmmodem TestRelativeValidityPeriod; A9 = 3 days (card-tech.md).
  it.each([
    [30, 5],
    [16 * 60, 151],
    [3 * 24 * 60, 0xa9],
    [5 * 7 * 24 * 60, 197],
  ])("maps %i minutes to TP-VP %i", (minutes, vp) => {
    expect(relativeValidityMinutes(vp)).toBe(minutes);
    expect(relativeValidityValue(minutes)).toBe(vp);
  });

  it("reads every data coding group", () => {
    expect(decodeDcs(0x00).alphabet).toBe("gsm7");
    expect(decodeDcs(0x04).alphabet).toBe("8bit");
    expect(decodeDcs(0x08).alphabet).toBe("ucs2");
    expect(decodeDcs(0x18)).toMatchObject({ alphabet: "ucs2", messageClass: 0 });
    expect(decodeDcs(0xf0)).toMatchObject({ alphabet: "gsm7", messageClass: 0 });
    expect(decodeDcs(0xf6)).toMatchObject({ alphabet: "8bit", messageClass: 2 });
    expect(decodeDcs(0xe0).alphabet).toBe("ucs2");
    expect(decodeDcs(0x28)).toMatchObject({ compressed: true });
  });

  // python-gsmmodem TestUdhConcatenation.
  it("reads 8- and 16-bit concatenation elements", () => {
    expect(parseUdh(fromHex("0003170301")).concat).toEqual({ ref: 23, seq: 1, total: 3, refBits: 8 });
    expect(parseUdh(fromHex("080401800402")).concat).toEqual({ ref: 384, seq: 2, total: 4, refBits: 16 });
  });

  it("round-trips 16-bit-reference UCS2 parts with emoji kept whole", () => {
    const text = `${"注销前请备份通讯录和短信😀".repeat(8)}。`;
    const parts = splitText(text, "ucs2", 16);
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts) expect(/[\ud800-\udbff]$/.test(p)).toBe(false);
    const decoded = parts.map((p, i) =>
      decodeTpdu(
        encodeDeliver({
          originator: "10086",
          text: p,
          alphabet: "ucs2",
          epochMs: 0,
          offsetMinutes: 480,
          concat: { ref: 0x1234, total: parts.length, seq: i + 1, refBits: 16 },
        }),
      ),
    );
    expect(decoded.map((d) => d.concat?.ref)).toEqual(parts.map(() => 0x1234));
    expect(decoded.map((d) => d.text).join("")).toBe(text);
  });

  it("never splits a GSM escape sequence", () => {
    const text = "€".repeat(100);
    const parts = splitText(text, "gsm7");
    expect(parts.join("")).toBe(text);
    for (const p of parts) expect([...p].every((c) => c === "€")).toBe(true);
  });
});
