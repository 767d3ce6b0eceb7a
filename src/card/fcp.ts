/**
 * File control parameters, the `62` template a UICC returns to SELECT (TS 102 221 §11.1.1.3):
 * file descriptor `82` (structure, record length and count), FID `83`, DF name `84`, life cycle
 * status `8A`, SFI `88`, sizes `80`/`81`, PIN status template `C6`.
 */
import { findTlv, parseTlvs, readInt } from "./tlv.js";

export type FileStructure = "transparent" | "linear_fixed" | "cyclic" | "ber_tlv" | "df";
export type LifeCycle =
  | "creation"
  | "initialisation"
  | "activated"
  | "deactivated"
  | "terminated"
  | "unknown";

export interface Fcp {
  structure: FileStructure;
  fid: number | null;
  /** Application identifier of an ADF (tag 84). */
  aid: Uint8Array | null;
  recordLength: number | null;
  recordCount: number | null;
  /** Size of a transparent file's body (tag 80). */
  size: number | null;
  sfi: number | null;
  lifeCycle: LifeCycle;
}

/** Life cycle status integer (ISO 7816-4 Table 13), as card-tech.md §2.1 lists it. */
export function lifeCycleOf(lcsi: number): LifeCycle {
  if (lcsi === 0x01) return "creation";
  if (lcsi === 0x03) return "initialisation";
  if (lcsi >= 0x0c && lcsi <= 0x0f) return "terminated";
  if ((lcsi & 0xfd) === 0x05) return "activated";
  if ((lcsi & 0xfd) === 0x04) return "deactivated";
  return "unknown";
}

function structureOf(fdb: number): FileStructure {
  if ((fdb & 0x38) === 0x38) return fdb === 0x39 ? "ber_tlv" : "df";
  switch (fdb & 0x07) {
    case 0x01:
      return "transparent";
    case 0x02:
      return "linear_fixed";
    case 0x06:
      return "cyclic";
    default:
      return "transparent";
  }
}

/** Parses the FCP template; accepts the bare content of `62` too. */
export function parseFcp(bytes: Uint8Array): Fcp {
  const top = parseTlvs(bytes);
  const inner = top.length === 1 && top[0]?.tag === 0x62 ? parseTlvs(top[0].value) : top;
  const d = findTlv(inner, 0x82)?.value;
  const fdb = d?.[0] ?? 0x01;
  const structure = structureOf(fdb);
  const isRecords = structure === "linear_fixed" || structure === "cyclic";
  const fid = findTlv(inner, 0x83)?.value;
  const sfi = findTlv(inner, 0x88)?.value;
  const size = findTlv(inner, 0x80)?.value;
  const lcsi = findTlv(inner, 0x8a)?.value[0];
  return {
    structure,
    fid: fid && fid.length === 2 ? readInt(fid) : null,
    aid: findTlv(inner, 0x84)?.value.slice() ?? null,
    recordLength: isRecords && d && d.length >= 4 ? readInt(d.subarray(2, 4)) : null,
    recordCount: isRecords && d && d.length >= 5 ? (d[4] as number) : null,
    size: size ? readInt(size) : null,
    // The SFI sits in the five high bits.
    sfi: sfi && sfi.length === 1 && sfi[0] !== 0 ? (sfi[0] as number) >> 3 : null,
    lifeCycle: lcsi === undefined ? "unknown" : lifeCycleOf(lcsi),
  };
}
