/** A stored receipt as the holder gets it: its verified payload and the printable PDF. */
import type { AppDeps } from "../app/context.js";
import type { ReceiptRow } from "../db/schema.js";
import { type CjkFont, findCjkFont } from "./fonts.js";
import { verifyReceiptJws } from "./jws.js";
import type { ReceiptPayload } from "./payload.js";

const fonts = new Map<string, CjkFont | null>();

/** The CJK font for a setting, looked up once per process. */
export function cjkFontFor(setting: string | undefined): CjkFont | null {
  const key = setting ?? "";
  if (!fonts.has(key)) fonts.set(key, findCjkFont(setting));
  return fonts.get(key) ?? null;
}

/** The payload of a stored receipt, checked against our own keys: a corrupted row is an error, not a document. */
export async function storedPayload(deps: AppDeps, row: ReceiptRow): Promise<ReceiptPayload> {
  const v = await verifyReceiptJws(row.jws, deps.signingKeys.jwks());
  if (!v.valid) throw new Error(`stored ${row.kind} ${row.id} does not verify: ${v.reason}`);
  return v.payload;
}

export async function receiptPdf(deps: AppDeps, row: ReceiptRow): Promise<{ pdf: Buffer; filename: string }> {
  const payload = await storedPayload(deps, row);
  // pdfkit and its fonts are loaded on the first PDF, not by every process that starts.
  const { renderReceiptPdf } = await import("./pdf.js");
  const pdf = await renderReceiptPdf(row.jws, payload, { font: cjkFontFor(deps.config.cjkFont) });
  return { pdf, filename: `${payload.application.number}-${row.kind}.pdf` };
}
