import { describe, expect, it } from "vitest";
import { fromHex, toHex } from "./bytes.js";
import { childrenOf, intBytes, parseOneTlv, parseTlvs, readInt, TlvError, tlv } from "./tlv.js";

describe("BER-TLV", () => {
  it("reads two-byte tags and long lengths", () => {
    const long = new Uint8Array(300).fill(0xab);
    const t = parseOneTlv(
      tlv(0xbf2d, [tlv(0xa0, [tlv(0xe3, tlv(0x9f70, Uint8Array.of(1))), tlv(0x04, long)])]),
    );
    expect(t.tag).toBe(0xbf2d);
    expect(t.constructed).toBe(true);
    const list = childrenOf(childrenOf(t)[0]!);
    expect(list.map((x) => x.tag)).toEqual([0xe3, 0x04]);
    expect(childrenOf(list[0]!)[0]).toMatchObject({ tag: 0x9f70, value: Uint8Array.of(1) });
    expect(list[1]?.value.length).toBe(300);
  });

  it("encodes lengths in short and long form", () => {
    expect(toHex(tlv(0x5a, new Uint8Array(2)))).toBe("5a020000");
    expect(toHex(tlv(0x04, new Uint8Array(200))).slice(0, 6)).toBe("0481c8");
    expect(toHex(tlv(0x04, new Uint8Array(256))).slice(0, 8)).toBe("04820100");
  });

  it("skips 00/FF padding between and after objects", () => {
    expect(parseTlvs(fromHex("ff005a01aaffff")).map((t) => t.tag)).toEqual([0x5a]);
  });

  it("refuses truncated input", () => {
    expect(() => parseTlvs(fromHex("5a05aabb"))).toThrow(TlvError);
    expect(() => parseTlvs(fromHex("bf"))).toThrow(TlvError);
  });

  it("writes minimal non-negative INTEGER contents", () => {
    expect(toHex(intBytes(5))).toBe("05");
    expect(toHex(intBytes(128))).toBe("0080");
    expect(readInt(intBytes(70000))).toBe(70000);
  });
});
