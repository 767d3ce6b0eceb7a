/**
 * The master secret for personal-data keys: from ZHUXIAO_SECRET, or from a file that is created
 * with 0600 permissions in the data directory on first start. It never enters the repository.
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
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

/**
 * Data keys made by rotations: `keys/data-<kid>.key` files beside the master secret, and
 * `keys/current-data-key` naming the one that seals. Without them the master's own key is used.
 */
export function loadDataKeys(config: Pick<Config, "secretFile">): {
  dataKeys: Map<string, Buffer>;
  currentKid: string | undefined;
} {
  const dir = dirname(config.secretFile);
  const dataKeys = new Map<string, Buffer>();
  if (!existsSync(dir)) return { dataKeys, currentKid: undefined };
  for (const f of readdirSync(dir)) {
    const m = /^data-([a-z0-9]{4,32})\.key$/.exec(f);
    if (m) dataKeys.set(m[1]!, Buffer.from(readFileSync(join(dir, f), "utf8").trim(), "base64"));
  }
  const pointer = join(dir, "current-data-key");
  const currentKid = existsSync(pointer) ? readFileSync(pointer, "utf8").trim() : undefined;
  return { dataKeys, currentKid };
}

/** Creates a new data key file and returns its id; it seals nothing until made current. */
export function createDataKey(config: Pick<Config, "secretFile">): { kid: string; secret: Buffer } {
  const dir = dirname(config.secretFile);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const secret = randomBytes(32);
  const kid = `k${Date.now().toString(36)}${randomBytes(2).toString("hex")}`;
  writeFileSync(join(dir, `data-${kid}.key`), `${secret.toString("base64")}\n`, { mode: 0o600, flag: "wx" });
  return { kid, secret };
}

/** Makes a data key current, atomically (write a temporary file, rename over the pointer). */
export function setCurrentDataKey(config: Pick<Config, "secretFile">, kid: string): void {
  const dir = dirname(config.secretFile);
  const tmp = join(dir, "current-data-key.tmp");
  writeFileSync(tmp, `${kid}\n`, { mode: 0o600 });
  renameSync(tmp, join(dir, "current-data-key"));
}
