/**
 * Reading the phonebook from a UICC. The USIM phonebook comes first: EF.PBR in DF.PHONEBOOK
 * (global under DF.TELECOM, else local under ADF.USIM) names each ADN set's files; without one,
 * DF.TELECOM's EF.ADN with EF.EXT1 is the phonebook (2G layout).
 *
 * Only what belongs to used ADN records is read: on a real card each READ RECORD costs tens of
 * milliseconds.
 */
import {
  decodeAdnRecord,
  decodeAnrRecord,
  decodeExt1Record,
  decodeGrpRecord,
  decodeTextRecord,
} from "./adn.js";
import { CardError } from "./errors.js";
import type { BackupWarning, Contact } from "./model.js";
import { decodePbrRecord, type PbrFile, type PbrFileKind } from "./pbr.js";
import { FID, type Uicc } from "./uicc.js";

export type PhonebookSource = "usim-global" | "usim-local" | "telecom-adn" | "none";

export interface PhonebookRead {
  source: PhonebookSource;
  contacts: Contact[];
  /** ADN records on the card (used and free). */
  capacity: number;
  warnings: BackupWarning[];
}

/** Reads records `wanted` of the file `fid` in the current DF, selecting it first. */
async function readSome(uicc: Uicc, fid: number, wanted: Iterable<number>): Promise<Map<number, Uint8Array>> {
  const out = new Map<number, Uint8Array>();
  const fcp = await uicc.trySelect(fid);
  if (!fcp?.recordLength) return out;
  for (const n of [...new Set(wanted)].sort((a, b) => a - b)) {
    if (n < 1 || n > (fcp.recordCount ?? 0)) continue;
    const rec = await uicc.readRecord(n, fcp.recordLength);
    if (rec) out.set(n, rec);
  }
  return out;
}

/** Follows an EXT1 chain from `first`, reading records as needed; cycles and gaps end it. */
async function extensionDigits(
  uicc: Uicc,
  extFid: number | null,
  first: number,
  where: string,
  warnings: BackupWarning[],
): Promise<string> {
  if (extFid === null) {
    warnings.push({
      code: "EXT1_BROKEN_CHAIN",
      where,
      detail: "the record points to EXT1 but the card has none",
    });
    return "";
  }
  let digits = "";
  const seen = new Set<number>();
  for (let n: number | null = first; n !== null; ) {
    if (seen.has(n)) {
      warnings.push({ code: "EXT1_BROKEN_CHAIN", where, detail: `EXT1 record ${n} loops` });
      break;
    }
    seen.add(n);
    const rec: Uint8Array | undefined = (await readSome(uicc, extFid, [n])).get(n);
    const ext: ReturnType<typeof decodeExt1Record> = rec ? decodeExt1Record(rec) : null;
    if (!ext) {
      warnings.push({ code: "EXT1_BROKEN_CHAIN", where, detail: `EXT1 record ${n} is missing or free` });
      break;
    }
    digits += ext.digits;
    n = ext.next;
  }
  return digits;
}

interface AdnSetFiles {
  /** The DF holding the set's files, as a path from the MF. */
  dfPath: number[];
  files: PbrFile[];
}

async function readAdnSet(
  uicc: Uicc,
  set: AdnSetFiles,
  warnings: BackupWarning[],
): Promise<{ contacts: Contact[]; capacity: number }> {
  const byKind = (kind: PbrFileKind) => set.files.find((f) => f.kind === kind);
  const adnFile = byKind("ADN");
  if (!adnFile) return { contacts: [], capacity: 0 };
  const adnFcp = await uicc.trySelectPath([...set.dfPath, adnFile.fid]);
  if (!adnFcp) return { contacts: [], capacity: 0 };
  const adnRecords = await uicc.readRecords(adnFcp);
  const used = new Map<number, NonNullable<ReturnType<typeof decodeAdnRecord>>>();
  adnRecords.forEach((rec, i) => {
    try {
      const adn = decodeAdnRecord(rec);
      if (adn) used.set(i + 1, adn);
    } catch (err) {
      warnings.push({
        code: "CONTACT_UNDECODABLE",
        where: `EF.ADN ${adnFile.fid.toString(16)} #${i + 1}`,
        detail: String(err),
      });
    }
  });
  const numbers = [...used.keys()];
  const extFid = byKind("EXT1")?.fid ?? null;
  const contacts = new Map<number, Contact>();
  for (const [n, adn] of used) {
    const where = `EF.ADN ${adnFile.fid.toString(16).toUpperCase()} #${n}`;
    const number =
      adn.ext === null
        ? adn.number
        : adn.number + (await extensionDigits(uicc, extFid, adn.ext, where, warnings));
    contacts.set(n, {
      name: adn.name,
      phones: number ? [{ number, types: ["cell"] }] : [],
      emails: [],
      nickname: null,
      groups: [],
      note: null,
    });
  }

  // Type 2 files are reached through EF.IAP: byte k of IAP record n points into the k-th one.
  const iap = byKind("IAP");
  const iapRecords = iap ? await readSome(uicc, iap.fid, numbers) : new Map<number, Uint8Array>();
  const recordFor = (f: PbrFile, n: number): number | null => {
    if (f.type === 1) return n;
    const p = iapRecords.get(n)?.[f.iapIndex ?? 0];
    return p === undefined || p === 0 || p === 0xff ? null : p;
  };
  const linkedRecords = async (f: PbrFile) => {
    const wanted = numbers.map((n) => recordFor(f, n)).filter((r): r is number => r !== null);
    return readSome(uicc, f.fid, wanted);
  };

  for (const f of set.files.filter((x) => x.type !== 3)) {
    if (!["ANR", "EMAIL", "SNE", "GRP"].includes(f.kind)) continue;
    const records = await linkedRecords(f);
    for (const n of numbers) {
      const r = recordFor(f, n);
      const rec = r === null ? undefined : records.get(r);
      const contact = contacts.get(n);
      if (!rec || !contact) continue;
      const linked = f.type === 2;
      if (f.kind === "ANR") {
        const anr = decodeAnrRecord(rec);
        if (anr) contact.phones.push({ number: anr.number, types: ["voice"] });
      } else if (f.kind === "EMAIL") {
        const email = decodeTextRecord(rec, linked);
        if (email) contact.emails.push(email);
      } else if (f.kind === "SNE") {
        contact.nickname = decodeTextRecord(rec, linked);
      } else {
        contact.groups.push(...decodeGrpRecord(rec).map(String));
      }
    }
  }

  // Group numbers become names from EF.GAS.
  const gas = byKind("GAS");
  const groupIds = new Set([...contacts.values()].flatMap((c) => c.groups.map(Number)));
  if (groupIds.size) {
    const names = gas ? await readSome(uicc, gas.fid, groupIds) : new Map<number, Uint8Array>();
    for (const c of contacts.values()) {
      c.groups = c.groups.map((g) => {
        const rec = names.get(Number(g));
        return (rec && decodeTextRecord(rec, false)) ?? `Group ${g}`;
      });
    }
  }
  return { contacts: [...contacts.values()], capacity: adnRecords.length };
}

/** The ADN sets listed by the EF.PBR at `dfPath`, or null when there is no PBR there. */
async function pbrSets(uicc: Uicc, dfPath: number[]): Promise<AdnSetFiles[] | null> {
  const pbr = await uicc.trySelectPath([...dfPath, FID.PBR]);
  if (!pbr) return null;
  const sets: AdnSetFiles[] = [];
  for (const rec of await uicc.readRecords(pbr)) {
    const files = decodePbrRecord(rec);
    if (files.some((f) => f.kind === "ADN")) sets.push({ dfPath, files });
  }
  return sets;
}

/** Reads every contact; needs PIN1 verified (or disabled) on most cards. */
export async function readPhonebook(uicc: Uicc): Promise<PhonebookRead> {
  const warnings: BackupWarning[] = [];
  const candidates: Array<{ source: PhonebookSource; dfPath: number[] }> = [
    { source: "usim-global", dfPath: [FID.TELECOM, FID.PHONEBOOK] },
    { source: "usim-local", dfPath: [FID.ADF, FID.PHONEBOOK] },
  ];
  for (const c of candidates) {
    const sets = await pbrSets(uicc, c.dfPath);
    if (!sets?.length) continue;
    const contacts: Contact[] = [];
    let capacity = 0;
    for (const set of sets) {
      const r = await readAdnSet(uicc, set, warnings);
      contacts.push(...r.contacts);
      capacity += r.capacity;
    }
    return { source: c.source, contacts, capacity, warnings };
  }
  const telecom: AdnSetFiles = {
    dfPath: [FID.TELECOM],
    files: [
      { kind: "ADN", fid: FID.ADN, sfi: null, type: 1 },
      { kind: "EXT1", fid: FID.EXT1, sfi: null, type: 3 },
    ],
  };
  const r = await readAdnSet(uicc, telecom, warnings);
  // A data-only SIM may have no phonebook at all: its messages are still worth backing up.
  if (r.capacity === 0) return { source: "none", contacts: [], capacity: 0, warnings };
  return { source: "telecom-adn", contacts: r.contacts, capacity: r.capacity, warnings };
}

/**
 * The phonebook's size without reading entries: ADN records per set, from FCPs, which SELECT
 * returns without a PIN.
 */
export async function phonebookCapacity(
  uicc: Uicc,
): Promise<{ source: PhonebookSource; records: number } | null> {
  for (const [source, dfPath] of [
    ["usim-global", [FID.TELECOM, FID.PHONEBOOK]],
    ["usim-local", [FID.ADF, FID.PHONEBOOK]],
  ] as const) {
    let sets: AdnSetFiles[] | null;
    try {
      sets = await pbrSets(uicc, [...dfPath]);
    } catch (err) {
      if (!(err instanceof CardError && err.params.sw === "6982")) throw err;
      // EF.PBR needs the PIN here; the first set's ADN is 4F3A on every card seen so far.
      const adn = await uicc.trySelectPath([...dfPath, 0x4f3a]);
      if (adn) return { source, records: adn.recordCount ?? 0 };
      break;
    }
    if (!sets?.length) continue;
    let records = 0;
    for (const set of sets) {
      const adn = set.files.find((f) => f.kind === "ADN");
      const fcp = adn ? await uicc.trySelectPath([...set.dfPath, adn.fid]) : null;
      records += fcp?.recordCount ?? 0;
    }
    return { source, records };
  }
  const adn = await uicc.trySelectPath([FID.TELECOM, FID.ADN]);
  return adn ? { source: "telecom-adn", records: adn.recordCount ?? 0 } : null;
}
