/**
 * What an uploaded file really is, decided from its first bytes — never from the name or the
 * declared type, which the client controls.
 */
export const DOCUMENT_MAX_BYTES = 5 * 1024 * 1024;

export type DocumentContentType = "image/jpeg" | "image/png" | "application/pdf";

export function sniffDocumentType(bytes: Buffer): DocumentContentType | null {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return "image/jpeg";
  if (
    bytes.length >= 8 &&
    bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
  )
    return "image/png";
  if (bytes.length >= 5 && bytes.subarray(0, 5).toString("latin1") === "%PDF-") return "application/pdf";
  return null;
}
