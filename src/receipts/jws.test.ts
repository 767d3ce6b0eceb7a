import { createPublicKey, verify as edVerify } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CompactSign, compactVerify, createLocalJWKSet } from "jose";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { canonicalJson } from "./canonical-json.js";
import { signReceipt, verifyReceiptJws } from "./jws.js";
import { openSigningKeys, rotateSigningKey, type SigningKeys } from "./keys.js";
import { RECEIPT_TYP } from "./payload.js";
import { samplePayload } from "./test-fixtures.js";
import { jwsFromText } from "./verify.js";

/** The JWS with one character of one part replaced by another valid base64url character. */
function flip(jws: string, part: 0 | 1 | 2, at: number): string {
  const parts = jws.split(".");
  const s = parts[part]!;
  const i = Math.min(at, s.length - 2);
  parts[part] = s.slice(0, i) + (s[i] === "A" ? "B" : "A") + s.slice(i + 1);
  return parts.join(".");
}

describe("receipts as compact JWS, EdDSA over Ed25519", () => {
  let root: string;
  let dir: string;
  let keys: SigningKeys;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), "zhuxiao-jws-"));
    dir = join(root, "signing");
    keys = openSigningKeys({ dir });
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it("signs the canonical payload with alg, kid and typ in the header, and verifies it", async () => {
    const payload = samplePayload();
    const { jws, kid } = await signReceipt(keys, payload);
    const [h, p] = jws.split(".") as [string, string];
    expect(JSON.parse(Buffer.from(h, "base64url").toString())).toEqual({
      alg: "EdDSA",
      kid,
      typ: RECEIPT_TYP,
    });
    expect(Buffer.from(p, "base64url").toString()).toBe(canonicalJson(payload));
    expect(await verifyReceiptJws(jws, keys.jwks())).toEqual({ valid: true, kid, payload });
  });

  it("verifies with any JOSE library, or with plain Ed25519 over the signing input", async () => {
    const { jws } = await signReceipt(keys, samplePayload());
    const r = await compactVerify(jws, createLocalJWKSet(keys.jwks() as never));
    expect(JSON.parse(new TextDecoder().decode(r.payload)).application.number).toBe("ZX2611240A7K3Q");
    const [h, p, s] = jws.split(".") as [string, string, string];
    const pub = createPublicKey({ key: keys.jwks().keys[0] as never, format: "jwk" });
    expect(edVerify(null, Buffer.from(`${h}.${p}`), pub, Buffer.from(s, "base64url"))).toBe(true);
  });

  it("rejects a changed byte anywhere: header, payload or signature", async () => {
    const { jws } = await signReceipt(keys, samplePayload());
    const jwks = keys.jwks();
    const len = jws.split(".").map((x) => x.length);
    for (const part of [0, 1, 2] as const) {
      for (const at of [0, Math.floor(len[part]! / 2), len[part]! - 3]) {
        const v = await verifyReceiptJws(flip(jws, part, at), jwks);
        expect(v.valid, `part ${part} at ${at}`).toBe(false);
      }
    }
    expect(await verifyReceiptJws(flip(jws, 1, 40), jwks)).toMatchObject({
      valid: false,
      reason: "bad_signature",
    });
    expect(await verifyReceiptJws(flip(jws, 2, 10), jwks)).toMatchObject({
      valid: false,
      reason: "bad_signature",
    });
  });

  it("rejects a changed field even when the rest of the payload is intact", async () => {
    const { jws } = await signReceipt(keys, samplePayload());
    const [h, p, s] = jws.split(".") as [string, string, string];
    const forged = JSON.parse(Buffer.from(p, "base64url").toString());
    forged.holder.name = "李*";
    const tampered = `${h}.${Buffer.from(canonicalJson(forged)).toString("base64url")}.${s}`;
    expect(await verifyReceiptJws(tampered, keys.jwks())).toMatchObject({
      valid: false,
      reason: "bad_signature",
    });
  });

  it("names the reason: unknown key, wrong algorithm, malformed, not a receipt", async () => {
    const { jws } = await signReceipt(keys, samplePayload());
    const other = openSigningKeys({ dir: join(root, "other") });
    expect(await verifyReceiptJws(jws, other.jwks())).toMatchObject({ valid: false, reason: "unknown_key" });
    const none = `${Buffer.from('{"alg":"none","typ":"zhuxiao-receipt+jws"}').toString("base64url")}.${jws.split(".")[1]}.`;
    expect((await verifyReceiptJws(none, keys.jwks())).valid).toBe(false);
    const hs = `${Buffer.from('{"alg":"HS256","kid":"x","typ":"zhuxiao-receipt+jws"}').toString("base64url")}.${jws.split(".")[1]}.c2ln`;
    expect(await verifyReceiptJws(hs, keys.jwks())).toMatchObject({ reason: "unsupported_algorithm" });
    expect(await verifyReceiptJws("hello", keys.jwks())).toMatchObject({ reason: "malformed" });
    // A valid signature by our key over something that is not a receipt.
    const { kid, privateKey } = keys.active();
    const stray = await new CompactSign(new TextEncoder().encode('{"hello":"world"}'))
      .setProtectedHeader({ alg: "EdDSA", kid, typ: RECEIPT_TYP })
      .sign(privateKey);
    expect(await verifyReceiptJws(stray, keys.jwks())).toMatchObject({ reason: "bad_payload" });
  });

  it("keeps verifying receipts signed before a rotation", async () => {
    const before = await signReceipt(keys, samplePayload());
    rotateSigningKey({ dir });
    const after = await signReceipt(keys, samplePayload("certificate"));
    expect(after.kid).not.toBe(before.kid);
    expect(await verifyReceiptJws(before.jws, keys.jwks())).toMatchObject({ valid: true, kid: before.kid });
    expect(await verifyReceiptJws(after.jws, keys.jwks())).toMatchObject({ valid: true, kid: after.kid });
  });

  it("reads the JWS out of the QR code's URL", () => {
    expect(jwsFromText("https://zx.example/verify#aa.bb.cc")).toBe("aa.bb.cc");
    expect(jwsFromText("https://zx.example/verify?r=aa.bb.cc")).toBe("aa.bb.cc");
    expect(jwsFromText(" aa.bb.cc\n")).toBe("aa.bb.cc");
  });
});
