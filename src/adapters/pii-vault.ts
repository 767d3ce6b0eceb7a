/**
 * AES-256-GCM encryption and HMAC-SHA-256 lookup hashes for personal data, with both keys derived
 * (HKDF) from one master secret that lives outside the repository: in the environment or in a
 * file generated into the data directory on first start.
 */
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from "node:crypto";
import type { PiiVault } from "../ports/index.js";

const VERSION = "v1";

function derive(master: Buffer, info: string): Buffer {
  return Buffer.from(hkdfSync("sha256", master, Buffer.alloc(0), info, 32));
}

export function createPiiVault(master: Buffer): PiiVault {
  if (master.length < 32) throw new Error("the master secret must be at least 32 bytes");
  const encKey = derive(master, "zhuxiao/pii/aes-256-gcm");
  const macKey = derive(master, "zhuxiao/pii/lookup-hmac");
  return {
    encrypt(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv("aes-256-gcm", encKey, iv);
      const ct = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
      return `${VERSION}.${Buffer.concat([iv, cipher.getAuthTag(), ct]).toString("base64url")}`;
    },
    decrypt(sealed) {
      const [version, body] = sealed.split(".");
      if (version !== VERSION || !body) throw new Error("unknown sealed-value format");
      const raw = Buffer.from(body, "base64url");
      const decipher = createDecipheriv("aes-256-gcm", encKey, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString("utf8");
    },
    sealBytes(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv("aes-256-gcm", encKey, iv);
      const ct = Buffer.concat([cipher.update(plain), cipher.final()]);
      return Buffer.concat([Buffer.from([1]), iv, cipher.getAuthTag(), ct]);
    },
    openBytes(sealed) {
      if (sealed[0] !== 1) throw new Error("unknown sealed-bytes format");
      const decipher = createDecipheriv("aes-256-gcm", encKey, sealed.subarray(1, 13));
      decipher.setAuthTag(sealed.subarray(13, 29));
      return Buffer.concat([decipher.update(sealed.subarray(29)), decipher.final()]);
    },
    hash(value) {
      return createHmac("sha256", macKey).update(value, "utf8").digest("hex");
    },
  };
}
