import { describe, expect, it } from "vitest";
import { checkEid } from "../domain/identifiers.js";
import { command } from "./apdu.js";
import { encodeIccid } from "./bcd.js";
import { fromHex, toHex } from "./bytes.js";
import {
  bitString,
  bitStringBits,
  deleteProfileRequest,
  disableProfileRequest,
  getEidRequest,
  listNotificationRequest,
  parseGetEidResponse,
  parseListNotificationResponse,
  parseProfilesInfoResponse,
  parseResultResponse,
  parseRetrieveNotificationsResponse,
  removeNotificationRequest,
  retrieveNotificationRequest,
} from "./es10.js";
import { tlv } from "./tlv.js";

const hex = (b: Uint8Array) => toHex(b).toUpperCase();

describe("ES10 requests", () => {
  it("builds the DeleteProfile STORE DATA of card-tech.md §3.1 for ICCID 89000123456789012341", () => {
    const apdu = command(0x80, 0xe2, 0x91, 0x00, deleteProfileRequest("89000123456789012341"), 0x00);
    expect(hex(apdu)).toBe("80E291000FBF330C5A0A9800103254769810321400");
  });

  it("builds GetEID, RemoveNotificationFromList(5) and the other requests as pySim/lpac do", () => {
    expect(hex(getEidRequest())).toBe("BF3E035C015A");
    expect(hex(removeNotificationRequest(5))).toBe("BF3003800105");
    expect(hex(listNotificationRequest())).toBe("BF2800");
    expect(hex(retrieveNotificationRequest(5))).toBe("BF2B05A003800105");
    expect(hex(disableProfileRequest("89000123456789012341"))).toBe(
      "BF3211A00C5A0A98001032547698103214810100",
    );
  });
});

describe("ES10 answers", () => {
  it("reads the EID, which passes the MOD 97-10 check", () => {
    const eid = parseGetEidResponse(fromHex("BF3E125A1089086030000000000000123456789186"));
    expect(eid).toBe("89086030000000000000123456789186");
    expect(checkEid(eid).ok).toBe(true);
  });

  it("reads profile info: ICCID, state, class, names and policy rules", () => {
    const info = tlv(
      0xbf2d,
      tlv(0xa0, [
        tlv(0xe3, [
          tlv(0x5a, encodeIccid("89860011502408231275")),
          tlv(0x4f, fromHex("a0000005591010ffffffff8900001000")),
          tlv(0x9f70, Uint8Array.of(1)),
          tlv(0x90, new TextEncoder().encode("工作")),
          tlv(0x91, new TextEncoder().encode("China Mobile")),
          tlv(0x92, new TextEncoder().encode("5G")),
          tlv(0x95, Uint8Array.of(2)),
          tlv(0x99, bitString([2], 3)),
        ]),
      ]),
    );
    expect(parseProfilesInfoResponse(info)).toEqual([
      {
        iccid: "89860011502408231275",
        aid: "a0000005591010ffffffff8900001000",
        state: "enabled",
        profileClass: "operational",
        name: "5G",
        nickname: "工作",
        serviceProvider: "China Mobile",
        ppr: { disableNotAllowed: false, deleteNotAllowed: true },
      },
    ]);
  });

  it("reads a notification list and its PMO bit string (delete = 0x10)", () => {
    const meta = tlv(0xbf2f, [
      tlv(0x80, Uint8Array.of(5)),
      tlv(0x81, fromHex("0410")),
      tlv(0x0c, new TextEncoder().encode("smdp.example")),
      tlv(0x5a, encodeIccid("89000123456789012341")),
    ]);
    expect(parseListNotificationResponse(tlv(0xbf28, tlv(0xa0, meta)))).toEqual([
      { seq: 5, events: ["delete"], address: "smdp.example", iccid: "89000123456789012341" },
    ]);
    const signed = tlv(0x30, [
      meta,
      tlv(0x5f37, new Uint8Array(64)),
      tlv(0x30, new Uint8Array(3)),
      tlv(0x30, new Uint8Array(3)),
    ]);
    const [pending] = parseRetrieveNotificationsResponse(tlv(0xbf2b, tlv(0xa0, signed)));
    expect(pending?.metadata.seq).toBe(5);
    expect(hex(pending?.der ?? new Uint8Array())).toBe(hex(signed));
  });

  it("reads result codes", () => {
    expect(parseResultResponse(fromHex("BF3303800102"), 0xbf33, "DeleteProfile")).toBe(2);
    expect(() => parseResultResponse(fromHex("BF3203800100"), 0xbf33, "DeleteProfile")).toThrow(
      /expected tag bf33/,
    );
  });

  it("numbers bit string bits from the most significant bit", () => {
    expect([...bitStringBits(fromHex("0410"))]).toEqual([3]);
    expect(hex(bitString([1, 2], 3))).toBe("0560");
  });
});
