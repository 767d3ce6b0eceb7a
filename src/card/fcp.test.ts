import { describe, expect, it } from "vitest";
import { fromHex } from "./bytes.js";
import { lifeCycleOf, parseFcp } from "./fcp.js";

describe("FCP", () => {
  it("reads record length and count of EF.ADN (pySim dump: 250 records of 34 bytes)", () => {
    // The dump's FCP starts 6221820542210022fa83026f3a and has LCSI 05; the rest is filled in.
    const fcp = parseFcp(fromHex("621a820542210022fa83026f3a8a01058b036f060480022134880108"));
    expect(fcp).toMatchObject({
      structure: "linear_fixed",
      fid: 0x6f3a,
      recordLength: 34,
      recordCount: 250,
      lifeCycle: "activated",
      sfi: 1,
    });
  });

  it("reads a transparent file's size and an ADF's name", () => {
    expect(parseFcp(fromHex("620f8202412183022fe28a010580020010"))).toMatchObject({
      structure: "transparent",
      fid: 0x2fe2,
      size: 16,
    });
    expect(parseFcp(fromHex("6216820278218410a0000000871002ff86ffff89ffffffff"))).toMatchObject({
      structure: "df",
    });
  });

  it("classifies life cycle states as card-tech.md §2.1 lists them", () => {
    expect([0x01, 0x03, 0x05, 0x07, 0x04, 0x06, 0x0c, 0x0d, 0x0f].map(lifeCycleOf)).toEqual([
      "creation",
      "initialisation",
      "activated",
      "activated",
      "deactivated",
      "deactivated",
      "terminated",
      "terminated",
      "terminated",
    ]);
  });
});
