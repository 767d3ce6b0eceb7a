/**
 * EF.PBR, the USIM phonebook's index (TS 31.102 §4.4.2.1; AOSP `UsimPhoneBookManager`). Each
 * record describes one ADN set: templates `A8` (type 1: record n belongs to ADN record n), `A9`
 * (type 2: linked through EF.IAP) and `AA` (type 3: reached by a record pointer), holding
 * `tag len FID(2) [SFI]` entries.
 */
import { childrenOf, parseTlvs } from "./tlv.js";

export const PBR_FILE_TAGS = {
  192: "ADN",
  193: "IAP",
  194: "EXT1",
  195: "SNE",
  196: "ANR",
  197: "PBC",
  198: "GRP",
  199: "AAS",
  200: "GAS",
  201: "UID",
  202: "EMAIL",
  203: "CCP1",
} as const;
export type PbrFileKind = (typeof PBR_FILE_TAGS)[keyof typeof PBR_FILE_TAGS];

const TEMPLATE_TYPES: Record<number, 1 | 2 | 3> = { 168: 1, 169: 2, 170: 3 };

export interface PbrFile {
  kind: PbrFileKind;
  fid: number;
  sfi: number | null;
  type: 1 | 2 | 3;
  /** For a type-2 file: its byte position in EF.IAP records. */
  iapIndex?: number;
}

/** The files of one ADN set, in the order the record lists them. Empty for a free record. */
export function decodePbrRecord(record: Uint8Array): PbrFile[] {
  const files: PbrFile[] = [];
  let iapIndex = 0;
  for (const template of parseTlvs(record)) {
    const type = TEMPLATE_TYPES[template.tag];
    if (!type) continue;
    for (const entry of childrenOf(template)) {
      const kind = PBR_FILE_TAGS[entry.tag as keyof typeof PBR_FILE_TAGS];
      if (!kind || entry.value.length < 2) continue;
      const v = entry.value;
      const file: PbrFile = {
        kind,
        fid: ((v[0] as number) << 8) | (v[1] as number),
        sfi: v.length >= 3 && v[2] !== 0xff ? (v[2] as number) : null,
        type,
      };
      if (type === 2) file.iapIndex = iapIndex++;
      files.push(file);
    }
  }
  return files;
}

/** Encodes a PBR record (for virtual cards and tests), padded to `recordLength`. */
export function encodePbrRecord(
  files: readonly Omit<PbrFile, "iapIndex">[],
  recordLength: number,
): Uint8Array {
  const tagOf = (kind: PbrFileKind) =>
    Number(Object.entries(PBR_FILE_TAGS).find(([, k]) => k === kind)?.[0] ?? Number.NaN);
  const parts: number[] = [];
  for (const [templateTag, type] of [
    [0xa8, 1],
    [0xa9, 2],
    [0xaa, 3],
  ] as const) {
    const inner: number[] = [];
    for (const f of files.filter((x) => x.type === type)) {
      const value = [f.fid >> 8, f.fid & 0xff, ...(f.sfi === null ? [] : [f.sfi])];
      inner.push(tagOf(f.kind), value.length, ...value);
    }
    if (inner.length) parts.push(templateTag, inner.length, ...inner);
  }
  if (parts.length > recordLength) throw new RangeError("PBR record too long");
  const out = new Uint8Array(recordLength).fill(0xff);
  out.set(parts);
  return out;
}
