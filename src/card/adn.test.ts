import { describe, expect, it } from "vitest";
import {
  decodeAdnRecord,
  decodeAnrRecord,
  decodeExt1Record,
  decodeGrpRecord,
  decodeTextRecord,
  encodeAdnRecord,
  encodeAnrRecord,
  encodeExt1Record,
  encodeTextRecord,
  splitNumber,
} from "./adn.js";
import { fromHex, toHex } from "./bytes.js";

const hex = (b: Uint8Array) => toHex(b).toUpperCase();

describe("ADN records", () => {
  it("decodes and rebuilds the built 34-byte vectors of card-tech.md §1.3", () => {
    const zhang = "805F204E09FFFFFFFFFFFFFFFFFFFFFFFFFFFFFF07813108108300F0FFFFFFFFFFFF";
    const alice = "416C696365FFFFFFFFFFFFFFFFFFFFFFFFFFFFFF0891683108108300F0FFFFFFFFFF";
    expect(decodeAdnRecord(fromHex(zhang))).toMatchObject({ name: "张三", number: "13800138000", ext: null });
    expect(decodeAdnRecord(fromHex(alice))).toMatchObject({
      name: "Alice",
      number: "+8613800138000",
      tonNpi: 0x91,
    });
    expect(hex(encodeAdnRecord({ name: "张三", number: "13800138000" }, 34))).toBe(zhang);
    expect(hex(encodeAdnRecord({ name: "Alice", number: "+8613800138000" }, 34))).toBe(alice);
  });

  // AOSP AdnRecordTest.
  it.each([
    ["566F696365204D61696C07918150367742F3FFFFFFFFFFFF", "Voice Mail", "+18056377243"],
    ["566F696365204D61696C07FF8150367742F3FFFFFFFFFFFF", "Voice Mail", "18056377243"],
    ["566F696365204D61696C07818150367742F3FFFFFFFFFFFF", "Voice Mail", "18056377243"],
    ["566F696365204D61696C0F918150367742F3FFFFFFFFFFFF", "Voice Mail", ""],
    ["566F696365204D61696C00918150367742F3FFFFFFFFFFFF", "Voice Mail", ""],
    ["566F696365204D61696C0291FF50367742F3FFFFFFFFFFFF", "Voice Mail", ""],
    ["566F696365204D61696C0291F150367742F3FFFFFFFFFFFF", "Voice Mail", "+1"],
  ])("reads %s as AOSP does", (record, name, number) => {
    expect(decodeAdnRecord(fromHex(record))).toMatchObject({ name, number });
  });

  it("treats an erased or too short record as free", () => {
    expect(decodeAdnRecord(fromHex("FF".repeat(24)))).toBeNull();
    expect(decodeAdnRecord(fromHex("FF"))).toBeNull();
  });

  it("follows an EXT1 record (AOSP testExtendedRecord)", () => {
    const adn = decodeAdnRecord(fromHex("4164676A6DFFFFFFFFFFFFFFFFFFFFFF0B918188551512C221436587FF01"));
    expect(adn).toMatchObject({ name: "Adgjm", number: "+18885551212,12345678", ext: 1 });
    const ext = decodeExt1Record(fromHex("0206092143658709ffffffffff"));
    expect(`${adn?.number}${ext?.digits}`).toBe("+18885551212,12345678901234567890");
    // A record that is not "additional data", or claims more than ten bytes, is ignored.
    expect(decodeExt1Record(fromHex("0106092143658709ffffffffff"))).toBeNull();
    expect(decodeExt1Record(fromHex("020B092143658709ffffffffff"))).toBeNull();
  });

  it("splits a long number across the ADN record and EXT1 records", () => {
    const number = `+86${"1234567890".repeat(4)}`;
    const split = splitNumber(number);
    expect(split).toMatchObject({ tonNpi: 0x91, main: "86123456789012345678" });
    expect(split.extensions).toEqual(["90123456789012345678", "90"]);
    const adn = decodeAdnRecord(encodeAdnRecord({ name: "Long", number, ext: 3 }, 30));
    const e1 = decodeExt1Record(encodeExt1Record(split.extensions[0] as string, 4));
    const e2 = decodeExt1Record(encodeExt1Record(split.extensions[1] as string, null));
    expect(adn?.ext).toBe(3);
    expect(e1?.next).toBe(4);
    expect(`${adn?.number}${e1?.digits}${e2?.digits}`).toBe(number);
  });

  it("refuses a name that does not fit", () => {
    expect(() => encodeAdnRecord({ name: "A name far too long for this record", number: "1" }, 28)).toThrow(
      /needs 35 bytes/,
    );
  });
});

describe("USIM phonebook records", () => {
  it("round-trips ANR, EMAIL and SNE records, with and without the ADN link", () => {
    const anr = encodeAnrRecord("+8675512345678", 17, { adnSfi: 1, adnRecord: 7 });
    expect(decodeAnrRecord(anr)).toMatchObject({ number: "+8675512345678", aas: null });
    expect(anr.subarray(15)).toEqual(Uint8Array.of(1, 7));
    expect(
      decodeTextRecord(encodeTextRecord("li.na@example.cn", 40, { adnSfi: 1, adnRecord: 7 }), true),
    ).toBe("li.na@example.cn");
    expect(decodeTextRecord(encodeTextRecord("小李", 20), false)).toBe("小李");
    expect(decodeTextRecord(fromHex("FF".repeat(20)), false)).toBeNull();
  });

  it("lists group numbers, ignoring empty slots", () => {
    expect(decodeGrpRecord(fromHex("0200030000"))).toEqual([2, 3]);
  });
});
