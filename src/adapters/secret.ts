/**
 * The master secret for personal-data keys: from ZHUXIAO_SECRET, or from a file that is created
 * with 0600 permissions in the data directory on first start. It never enters the repository.
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { Config } from "../config.js";

export function loadMasterSecret(config: Pick<Config, "secret" | "secretFile">): Buffer {
  if (config.secret) {
    const b = Buffer.from(config.secret, "base64");
    if (b.length < 32) throw new Error("ZHUXIAO_SECRET must be base64 of at least 32 bytes");
    return b;
  }
  if (!existsSync(config.secretFile)) {
    mkdirSync(dirname(config.secretFile), { recursive: true, mode: 0o700 });
    // "wx": never overwrite a secret another process created a moment ago.
    try {
      writeFileSync(config.secretFile, `${randomBytes(32).toString("base64")}\n`, {
        mode: 0o600,
        flag: "wx",
      });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    }
  }
  const b = Buffer.from(readFileSync(config.secretFile, "utf8").trim(), "base64");
  if (b.length < 32) throw new Error(`${config.secretFile} does not hold a 32-byte base64 secret`);
  return b;
}
