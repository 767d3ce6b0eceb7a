/**
 * Where a receipt's JWS travels besides the database: in the verification link (and its QR code)
 * and in the PDF's document information. Kept apart from the PDF renderer, so that reading a link
 * or a PDF does not load pdfkit.
 */

/** The document-information key that holds the compact JWS. */
export const PDF_JWS_KEY = "ZhuxiaoReceipt";

/** The URL the QR code encodes: the verification page, with the JWS in the fragment (never sent in logs). */
export function verifyUrl(issuer: string, jws: string): string {
  return `${issuer.replace(/\/+$/, "")}/verify#${jws}`;
}
