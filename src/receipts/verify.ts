/**
 * Verifying whatever a person has in hand: the PDF, the compact JWS, or the URL the QR code holds.
 * The same function serves the API, the verification page and the offline CLI.
 */

import { type ReceiptVerdict, verifyReceiptJws } from "./jws.js";
import type { Jwks } from "./keys.js";
import { extractJwsFromPdf } from "./pdf-extract.js";

/** The JWS inside a verification URL (`…/verify#<jws>` or `…/verify?r=<jws>`), or the text itself. */
export function jwsFromText(text: string): string {
  const t = text.trim();
  const hash = t.indexOf("#");
  if (hash >= 0 && /^https?:\/\//.test(t)) return t.slice(hash + 1).replace(/^r=/, "");
  const m = /^https?:\/\/[^?#]*\?(?:.*&)?r=([^&#]+)/.exec(t);
  return m ? decodeURIComponent(m[1] ?? "") : t;
}

export async function verifyReceipt(
  input: Buffer | string,
  jwks: Jwks,
): Promise<ReceiptVerdict & { jws: string | null }> {
  let jws: string;
  if (Buffer.isBuffer(input) && input.subarray(0, 5).toString("latin1") === "%PDF-") {
    const found = extractJwsFromPdf(input);
    if (!found.ok) {
      const reason = found.problem === "ambiguous" ? "pdf_ambiguous" : "not_a_receipt";
      const detail =
        found.problem === "ambiguous"
          ? "the PDF holds more than one different receipt"
          : "the PDF holds no zhuxiao receipt (use the original file or its QR code)";
      return { valid: false, reason, detail, kid: null, jws: null };
    }
    jws = found.jws;
  } else {
    jws = jwsFromText(Buffer.isBuffer(input) ? input.toString("utf8") : input);
  }
  return { ...(await verifyReceiptJws(jws, jwks)), jws };
}
