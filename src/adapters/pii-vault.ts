/**
 * AES-256-GCM encryption and HMAC-SHA-256 lookup hashes for personal data. The lookup key is
 * derived (HKDF) from the master secret and never changes, so stored hashes stay valid; the data
 * keys can be rotated (`zhuxiao keys rotate-data`): each sealed value names the key that sealed
 * it, every known key can open, and only the current one seals.
 */
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from "node:crypto";
import type { PiiVault } from "../ports/index.js";

/** The data key derived from the master secret itself: the one in use before any rotation. */
export const MASTER_KID = "m0";

function derive(secret: Buffer, info: string): Buffer {
  return Buffer.from(hkdfSync("sha256", secret, Buffer.alloc(0), info, 32));
}

export interface VaultKeys {
  master: Buffer;
  /** Extra data keys by id (from rotations). */
  dataKeys?: ReadonlyMap<string, Buffer>;
  /** The key that seals new values; the master's derived key when absent. */
  currentKid?: string;
}

export interface RotatingVault extends PiiVault {
  readonly currentKid: string;
  /** The key id a sealed string or byte value was sealed with. */
  kidOf(sealed: string | Buffer): string;
}

export function createPiiVault(keysOrMaster: Buffer | VaultKeys): RotatingVault {
  const k: VaultKeys = Buffer.isBuffer(keysOrMaster) ? { master: keysOrMaster } : keysOrMaster;
  if (k.master.length < 32) throw new Error("the master secret must be at least 32 bytes");
  const encKeys = new Map<string, Buffer>([[MASTER_KID, derive(k.master, "zhuxiao/pii/aes-256-gcm")]]);
  for (const [kid, secret] of k.dataKeys ?? []) encKeys.set(kid, derive(secret, "zhuxiao/pii/aes-256-gcm"));
  const currentKid = k.currentKid ?? MASTER_KID;
  const current = encKeys.get(currentKid);
  if (!current) throw new Error(`data key ${currentKid} is not available`);
  const macKey = derive(k.master, "zhuxiao/pii/lookup-hmac");

  function keyFor(kid: string): Buffer {
    const key = encKeys.get(kid);
    if (!key) throw new Error(`data key ${kid} is not available: restore its file to the keys directory`);
    return key;
  }
  function seal(key: Buffer, plain: Buffer): Buffer {
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", key, iv);
    const ct = Buffer.concat([cipher.update(plain), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), ct]);
  }
  function open(key: Buffer, raw: Buffer): Buffer {
    const decipher = createDecipheriv("aes-256-gcm", key, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]);
  }
  // Strings: "v1.<b64>" (master key) or "v2.<kid>.<b64>". Bytes: 0x01 + body, or 0x02 + kid length + kid + body.
  function parseString(sealed: string): { kid: string; body: Buffer } {
    const parts = sealed.split(".");
    if (parts[0] === "v1" && parts.length === 2)
      return { kid: MASTER_KID, body: Buffer.from(parts[1]!, "base64url") };
    if (parts[0] === "v2" && parts.length === 3)
      return { kid: parts[1]!, body: Buffer.from(parts[2]!, "base64url") };
    throw new Error("unknown sealed-value format");
  }
  function parseBytes(sealed: Buffer): { kid: string; body: Buffer } {
    if (sealed[0] === 1) return { kid: MASTER_KID, body: sealed.subarray(1) };
    if (sealed[0] === 2) {
      const n = sealed[1]!;
      return { kid: sealed.subarray(2, 2 + n).toString("latin1"), body: sealed.subarray(2 + n) };
    }
    throw new Error("unknown sealed-bytes format");
  }
  return {
    currentKid,
    kidOf: (sealed) => (Buffer.isBuffer(sealed) ? parseBytes(sealed).kid : parseString(sealed).kid),
    encrypt(plain) {
      const body = seal(current, Buffer.from(plain, "utf8")).toString("base64url");
      return currentKid === MASTER_KID ? `v1.${body}` : `v2.${currentKid}.${body}`;
    },
    decrypt(sealed) {
      const { kid, body } = parseString(sealed);
      return open(keyFor(kid), body).toString("utf8");
    },
    sealBytes(plain) {
      const body = seal(current, plain);
      if (currentKid === MASTER_KID) return Buffer.concat([Buffer.from([1]), body]);
      const kid = Buffer.from(currentKid, "latin1");
      return Buffer.concat([Buffer.from([2, kid.length]), kid, body]);
    },
    openBytes(sealed) {
      const { kid, body } = parseBytes(sealed);
      return open(keyFor(kid), body);
    },
    hash(value) {
      return createHmac("sha256", macKey).update(value, "utf8").digest("hex");
    },
  };
}
