import { describe, expect, it } from "vitest";
import { fromHex, toHex } from "./bytes.js";
import { decodePbrRecord, encodePbrRecord } from "./pbr.js";

// A real EF.PBR record from pySim's sanitized card dump (card-tech.md §1.2).
const PYSIM_PBR =
  "a81ec0034f3a01c1034f3202c3034f5414c5034f0904c6034f5212c9034f2109a90ac4034f1108ca034f500daa14c2034f4a03c7034f4b06c8034f5313cb034f4f16ffffff";

describe("EF.PBR", () => {
  it("decodes the pySim record into its three templates", () => {
    const files = decodePbrRecord(fromHex(PYSIM_PBR));
    const show = (type: number) =>
      files
        .filter((f) => f.type === type)
        .map(
          (f) =>
            `${f.kind} ${f.fid.toString(16).toUpperCase()}/${f.sfi?.toString(16).padStart(2, "0").toUpperCase()}`,
        );
    expect(show(1)).toEqual([
      "ADN 4F3A/01",
      "IAP 4F32/02",
      "SNE 4F54/14",
      "PBC 4F09/04",
      "GRP 4F52/12",
      "UID 4F21/09",
    ]);
    expect(show(2)).toEqual(["ANR 4F11/08", "EMAIL 4F50/0D"]);
    expect(show(3)).toEqual(["EXT1 4F4A/03", "AAS 4F4B/06", "GAS 4F53/13", "CCP1 4F4F/16"]);
    // Type-2 files are addressed by their position in EF.IAP.
    expect(files.filter((f) => f.type === 2).map((f) => f.iapIndex)).toEqual([0, 1]);
  });

  it("encodes the same record back", () => {
    const files = decodePbrRecord(fromHex(PYSIM_PBR)).map(({ iapIndex: _, ...f }) => f);
    expect(toHex(encodePbrRecord(files, PYSIM_PBR.length / 2))).toBe(PYSIM_PBR);
  });

  it("reads a free record as no files", () => {
    expect(decodePbrRecord(fromHex("ff".repeat(64)))).toEqual([]);
  });
});
