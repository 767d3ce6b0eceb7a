/**
 * Signing and verifying receipts as compact JWS (RFC 7515) with EdDSA over Ed25519 (RFC 8037).
 * The protected header carries `alg`, `kid` (the key's RFC 7638 thumbprint) and `typ`; the payload
 * is the canonical JSON of the receipt. Verification needs nothing but a JWKS.
 */
import { sign } from "node:crypto";
import type { ProtectedHeaderParameters } from "jose";
import { canonicalJson } from "./canonical-json.js";
import type { Jwks, SigningKeys } from "./keys.js";
import { RECEIPT_TYP, type ReceiptPayload, receiptPayloadSchema } from "./payload.js";

/**
 * Signs with node:crypto directly: Ed25519 is one synchronous call (≈ 50 µs), where going through
 * WebCrypto costs a thread-pool round trip per receipt. The bytes are the RFC 7515 compact form,
 * so jose (or any JOSE library) verifies them.
 */
export async function signReceipt(
  keys: SigningKeys,
  payload: ReceiptPayload,
): Promise<{ jws: string; kid: string }> {
  const { kid, privateKey } = keys.active();
  const header = Buffer.from(JSON.stringify({ alg: "EdDSA", kid, typ: RECEIPT_TYP })).toString("base64url");
  const body = Buffer.from(canonicalJson(payload)).toString("base64url");
  const signingInput = `${header}.${body}`;
  const signature = sign(null, Buffer.from(signingInput), privateKey).toString("base64url");
  return { jws: `${signingInput}.${signature}`, kid };
}

export const INVALID_REASONS = [
  "not_a_receipt",
  "pdf_ambiguous",
  "malformed",
  "unsupported_algorithm",
  "unknown_key",
  "bad_signature",
  "bad_payload",
] as const;
export type InvalidReason = (typeof INVALID_REASONS)[number];

export type ReceiptVerdict =
  | { valid: true; kid: string; payload: ReceiptPayload }
  | { valid: false; reason: InvalidReason; detail: string; kid: string | null };

const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

function invalid(reason: InvalidReason, detail: string, kid: string | null = null): ReceiptVerdict {
  return { valid: false, reason, detail, kid };
}

/** Verifies a compact JWS against a key set; never throws for bad input, it says why instead. */
export async function verifyReceiptJws(jws: string, jwks: Jwks): Promise<ReceiptVerdict> {
  const token = jws.trim();
  if (!COMPACT_JWS.test(token)) return invalid("malformed", "not a compact JWS (three base64url parts)");
  // Loaded on the first verification: most processes only sign (node:crypto), and jose's modules
  // cost ≈ 0.8 MB of heap in every one of them.
  const { compactVerify, createLocalJWKSet, decodeProtectedHeader, errors } = await import("jose");
  let header: ProtectedHeaderParameters;
  try {
    header = decodeProtectedHeader(token);
  } catch {
    return invalid("malformed", "the protected header is not base64url JSON");
  }
  const kid = typeof header.kid === "string" ? header.kid : null;
  if (header.alg !== "EdDSA" && header.alg !== "Ed25519") {
    return invalid("unsupported_algorithm", `alg ${String(header.alg)} is not EdDSA`, kid);
  }
  if (!kid) return invalid("unknown_key", "the header names no kid");
  if (header.typ !== RECEIPT_TYP) return invalid("bad_payload", `typ is not ${RECEIPT_TYP}`, kid);
  let bytes: Uint8Array;
  try {
    const r = await compactVerify(token, createLocalJWKSet(jwks as never), {
      algorithms: ["EdDSA", "Ed25519"],
    });
    bytes = r.payload;
  } catch (err) {
    if (err instanceof errors.JWKSNoMatchingKey)
      return invalid("unknown_key", `no key ${kid} in the key set`, kid);
    if (err instanceof errors.JWSSignatureVerificationFailed) {
      return invalid("bad_signature", "the signature does not match the header and payload", kid);
    }
    if (err instanceof errors.JOSEAlgNotAllowed) return invalid("unsupported_algorithm", String(err), kid);
    return invalid("malformed", err instanceof Error ? err.message : String(err), kid);
  }
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch {
    return invalid("bad_payload", "the signed payload is not JSON", kid);
  }
  const parsed = receiptPayloadSchema.safeParse(json);
  if (!parsed.success) return invalid("bad_payload", "the signed payload is not a receipt", kid);
  return { valid: true, kid, payload: parsed.data };
}
