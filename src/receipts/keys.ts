/**
 * Ed25519 signing keys for receipts and certificates. Keys live in `<data dir>/keys/signing/`:
 * `<kid>.pub.jwk` for every key that ever signed (so old receipts keep verifying after a rotation),
 * `<kid>.key.jwk` (0600) for the active one, and `active` naming it. A key can instead come from
 * ZHUXIAO_SIGNING_KEY(_FILE) as a private JWK or a PKCS#8 PEM; its public half is still written
 * to the directory so that it outlives a later change of the variable. The kid is the key's
 * RFC 7638 thumbprint, so anyone can recompute it from the public key.
 */
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
} from "node:crypto";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";

/** The public half as published in the JWKS. */
export interface PublicJwk {
  kty: "OKP";
  crv: "Ed25519";
  x: string;
  kid: string;
  alg: "EdDSA";
  use: "sig";
}

export interface Jwks {
  keys: PublicJwk[];
}

export interface KeyInfo {
  kid: string;
  active: boolean;
  /** Whether this process can sign with it (only the active key keeps its private half). */
  canSign: boolean;
  source: "file" | "env";
  createdAt: string;
}

export interface SigningKeys {
  /** The key new receipts are signed with; read on each call, so a rotation by the CLI is picked up. */
  active(): { kid: string; privateKey: KeyObject };
  /** Every public key that may have signed a receipt. */
  jwks(): Jwks;
  list(): KeyInfo[];
}

export interface SigningKeyOptions {
  /** `<data dir>/keys/signing`. */
  dir: string;
  /** A private key (JWK JSON or PKCS#8 PEM) from the environment, or the path of a file holding one. */
  envKey?: string;
  envKeyFile?: string;
}

export function signingKeyDir(dataDir: string): string {
  return join(dataDir, "keys", "signing");
}

/** RFC 7638: SHA-256 over the required members in lexicographic order, base64url. */
export function jwkThumbprint(jwk: { crv: string; kty: string; x: string }): string {
  const json = `{"crv":${JSON.stringify(jwk.crv)},"kty":${JSON.stringify(jwk.kty)},"x":${JSON.stringify(jwk.x)}}`;
  return createHash("sha256").update(json).digest("base64url");
}

export function publicJwkOf(privateOrPublic: KeyObject): PublicJwk {
  const pub = privateOrPublic.type === "private" ? createPublicKey(privateOrPublic) : privateOrPublic;
  const jwk = pub.export({ format: "jwk" }) as { kty?: string; crv?: string; x?: string };
  if (jwk.kty !== "OKP" || jwk.crv !== "Ed25519" || !jwk.x) throw new Error("the signing key is not Ed25519");
  const base = { kty: "OKP" as const, crv: "Ed25519" as const, x: jwk.x };
  return { ...base, kid: jwkThumbprint(base), alg: "EdDSA", use: "sig" };
}

/** A private key from a JWK (JSON) or PEM text; refuses anything but Ed25519. */
export function parsePrivateKey(text: string): KeyObject {
  const t = text.trim();
  const key = t.startsWith("{")
    ? createPrivateKey({ key: JSON.parse(t) as import("node:crypto").JsonWebKey, format: "jwk" })
    : createPrivateKey(t);
  if (key.asymmetricKeyType !== "ed25519") {
    throw new Error(`the signing key must be Ed25519, got ${key.asymmetricKeyType ?? "unknown"}`);
  }
  return key;
}

const PUB = ".pub.jwk";
const PRIV = ".key.jwk";

function writeAtomic(file: string, text: string, mode: number): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text, { mode });
  chmodSync(tmp, mode);
  renameSync(tmp, file);
}

function writePublic(dir: string, jwk: PublicJwk): void {
  const file = join(dir, `${jwk.kid}${PUB}`);
  if (!existsSync(file)) writeAtomic(file, `${JSON.stringify(jwk, null, 2)}\n`, 0o644);
}

function writeKeyPair(dir: string, key: KeyObject): PublicJwk {
  const jwk = publicJwkOf(key);
  const priv = { ...(key.export({ format: "jwk" }) as object), kid: jwk.kid, alg: "EdDSA" };
  writeAtomic(join(dir, `${jwk.kid}${PRIV}`), `${JSON.stringify(priv)}\n`, 0o600);
  writePublic(dir, jwk);
  return jwk;
}

/** The `active` file's contents, read again only when the file changed (a rotation renames a new one in). */
const activeSeen = new Map<string, { ino: number; mtimeMs: number; size: number; kid: string | null }>();

function readActiveKid(dir: string): string | null {
  const file = join(dir, "active");
  const st = statSync(file, { throwIfNoEntry: false });
  if (!st) {
    activeSeen.delete(file);
    return null;
  }
  const seen = activeSeen.get(file);
  if (seen && seen.ino === st.ino && seen.mtimeMs === st.mtimeMs && seen.size === st.size) return seen.kid;
  const kid = readFileSync(file, "utf8").trim() || null;
  activeSeen.set(file, { ino: st.ino, mtimeMs: st.mtimeMs, size: st.size, kid });
  return kid;
}

function ensureDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
}

/** Creates the first key unless one is active; safe when several processes start at once. */
function ensureActiveKey(dir: string): void {
  if (readActiveKid(dir)) return;
  const { privateKey } = generateKeyPairSync("ed25519");
  const jwk = writeKeyPair(dir, privateKey);
  try {
    // "wx": the first process to get here decides; the others discard their key.
    writeFileSync(join(dir, "active"), `${jwk.kid}\n`, { mode: 0o600, flag: "wx" });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    rmSync(join(dir, `${jwk.kid}${PRIV}`), { force: true });
    rmSync(join(dir, `${jwk.kid}${PUB}`), { force: true });
  }
}

function envKeyText(opts: SigningKeyOptions): string | null {
  if (opts.envKey) return opts.envKey;
  if (opts.envKeyFile) return readFileSync(opts.envKeyFile, "utf8");
  return null;
}

export function openSigningKeys(opts: SigningKeyOptions): SigningKeys {
  ensureDir(opts.dir);
  const fromEnv = envKeyText(opts);
  const envKey = fromEnv ? parsePrivateKey(fromEnv) : null;
  const envJwk = envKey ? publicJwkOf(envKey) : null;
  if (envJwk) writePublic(opts.dir, envJwk);
  else ensureActiveKey(opts.dir);
  const cache = new Map<string, KeyObject>();

  const publicKeys = () => readPublicKeys(opts.dir).keys;

  return {
    active() {
      if (envKey && envJwk) return { kid: envJwk.kid, privateKey: envKey };
      const kid = readActiveKid(opts.dir);
      if (!kid) throw new Error(`no active signing key in ${opts.dir}`);
      let key = cache.get(kid);
      if (!key) {
        key = parsePrivateKey(readFileSync(join(opts.dir, `${kid}${PRIV}`), "utf8"));
        if (publicJwkOf(key).kid !== kid) throw new Error(`signing key file ${kid} does not match its name`);
        cache.set(kid, key);
      }
      return { kid, privateKey: key };
    },
    jwks() {
      return {
        keys: publicKeys().map((k) => ({
          kty: k.kty,
          crv: k.crv,
          x: k.x,
          kid: k.kid,
          alg: k.alg,
          use: k.use,
        })),
      };
    },
    list() {
      const active = envJwk?.kid ?? readActiveKid(opts.dir);
      return publicKeys().map((k) => ({
        kid: k.kid,
        active: k.kid === active,
        canSign: envJwk ? k.kid === envJwk.kid : existsSync(join(opts.dir, `${k.kid}${PRIV}`)),
        source: envJwk?.kid === k.kid ? "env" : "file",
        createdAt: statSync(join(opts.dir, `${k.kid}${PUB}`)).mtime.toISOString(),
      }));
    },
  };
}

/**
 * A new key becomes active; the previous private key is deleted (it will never sign again) while
 * its public key stays in the JWKS so that everything it signed still verifies.
 */
export function rotateSigningKey(opts: SigningKeyOptions): { previous: string | null; kid: string } {
  if (envKeyText(opts)) {
    throw new Error(
      "the signing key comes from ZHUXIAO_SIGNING_KEY(_FILE): rotate by supplying a new key there (its predecessor's public key is kept in the data directory)",
    );
  }
  ensureDir(opts.dir);
  const previous = readActiveKid(opts.dir);
  const { privateKey } = generateKeyPairSync("ed25519");
  const jwk = writeKeyPair(opts.dir, privateKey);
  writeAtomic(join(opts.dir, "active"), `${jwk.kid}\n`, 0o600);
  if (previous && previous !== jwk.kid) rmSync(join(opts.dir, `${previous}${PRIV}`), { force: true });
  return { previous, kid: jwk.kid };
}

/** The public keys kept in a key directory, without creating anything: for offline verification. */
export function readPublicKeys(dir: string): Jwks {
  if (!existsSync(dir)) return { keys: [] };
  return {
    keys: readdirSync(dir)
      .filter((f) => f.endsWith(PUB))
      .sort()
      .map((f) => JSON.parse(readFileSync(join(dir, f), "utf8")) as PublicJwk),
  };
}

/** Reads a JWKS document (as served at /.well-known/jwks.json) from text. */
export function parseJwks(text: string): Jwks {
  const doc = JSON.parse(text) as { keys?: unknown };
  if (!doc || !Array.isArray(doc.keys)) throw new Error("not a JWKS document: no `keys` array");
  return { keys: doc.keys as PublicJwk[] };
}
