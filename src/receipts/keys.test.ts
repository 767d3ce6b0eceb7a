import { generateKeyPairSync } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { calculateJwkThumbprint } from "jose";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openSigningKeys, parsePrivateKey, readPublicKeys, rotateSigningKey } from "./keys.js";

describe("receipt signing keys", () => {
  let dir: string;
  beforeEach(() => {
    dir = join(mkdtempSync(join(tmpdir(), "zhuxiao-keys-")), "keys", "signing");
  });
  afterEach(() => rmSync(join(dir, "..", ".."), { recursive: true, force: true }));

  it("generates one Ed25519 key on first start, private half 0600, kid = RFC 7638 thumbprint", async () => {
    const keys = openSigningKeys({ dir });
    const { kid, privateKey } = keys.active();
    expect(privateKey.asymmetricKeyType).toBe("ed25519");
    const [jwk] = keys.jwks().keys;
    expect(jwk).toMatchObject({ kty: "OKP", crv: "Ed25519", alg: "EdDSA", use: "sig", kid });
    expect(await calculateJwkThumbprint({ kty: "OKP", crv: "Ed25519", x: jwk!.x })).toBe(kid);
    expect(statSync(join(dir, `${kid}.key.jwk`)).mode & 0o777).toBe(0o600);
    // The published set never carries the private part.
    expect(JSON.stringify(keys.jwks())).not.toContain('"d"');
    // A second start (another process) uses the same key.
    expect(openSigningKeys({ dir }).active().kid).toBe(kid);
  });

  it("rotates: the new key signs, the old public key stays for verification, the old private key is gone", () => {
    const keys = openSigningKeys({ dir });
    const before = keys.active().kid;
    const r = rotateSigningKey({ dir });
    expect(r).toEqual({ previous: before, kid: expect.any(String) });
    expect(keys.active().kid).toBe(r.kid);
    expect(
      keys
        .jwks()
        .keys.map((k) => k.kid)
        .sort(),
    ).toEqual([before, r.kid].sort());
    expect(existsSync(join(dir, `${before}.key.jwk`))).toBe(false);
    expect(keys.list()).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kid: before, active: false, canSign: false }),
        expect.objectContaining({ kid: r.kid, active: true, canSign: true, source: "file" }),
      ]),
    );
  });

  it("takes a key from the environment (JWK or PEM), keeps its public half, and refuses to rotate it", () => {
    const { privateKey } = generateKeyPairSync("ed25519");
    const pem = privateKey.export({ format: "pem", type: "pkcs8" }).toString();
    const jwk = JSON.stringify(privateKey.export({ format: "jwk" }));
    const fromPem = openSigningKeys({ dir, envKey: pem });
    const fromJwk = openSigningKeys({ dir, envKey: jwk });
    expect(fromPem.active().kid).toBe(fromJwk.active().kid);
    expect(readPublicKeys(dir).keys.map((k) => k.kid)).toEqual([fromPem.active().kid]);
    // No private key is written for a key that came from the environment.
    expect(readdirSync(dir).filter((f) => f.endsWith(".key.jwk"))).toEqual([]);
    expect(() => rotateSigningKey({ dir, envKey: pem })).toThrow(/ZHUXIAO_SIGNING_KEY/);
  });

  it("refuses a key that is not Ed25519", () => {
    const { privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    expect(() => parsePrivateKey(privateKey.export({ format: "pem", type: "pkcs8" }).toString())).toThrow(
      /Ed25519/,
    );
  });

  it("writes the active key's name atomically and never overwrites it on start", () => {
    const a = openSigningKeys({ dir }).active().kid;
    openSigningKeys({ dir });
    expect(readFileSync(join(dir, "active"), "utf8").trim()).toBe(a);
    expect(readdirSync(dir).filter((f) => f.endsWith(".pub.jwk"))).toHaveLength(1);
  });
});
