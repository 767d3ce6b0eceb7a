/**
 * Finding the JWS in a receipt PDF: the `/ZhuxiaoReceipt` entry of the document information,
 * written directly or as an indirect string object. Every occurrence is read (an incremental
 * update appends a second information dictionary); more than one distinct value is refused rather
 * than guessed at. A PDF re-saved by another program may move the entry into a compressed object
 * stream: such a copy is not found here, and the original file or the QR code must be used.
 */
import { PDF_JWS_KEY } from "./where-the-jws-goes.js";

export type PdfExtraction =
  | { ok: true; jws: string }
  | { ok: false; problem: "not_pdf" | "no_receipt" | "ambiguous" };

const JWS_CHARS = /^[A-Za-z0-9_.-]+$/;

/** The literal string starting at `i` (which must be "("), unescaped; null when malformed. */
function literalAt(text: string, i: number): string | null {
  if (text[i] !== "(") return null;
  let depth = 0;
  let out = "";
  for (let j = i; j < text.length; j++) {
    const ch = text[j];
    if (ch === "\\") {
      out += text[j + 1] ?? "";
      j++;
      continue;
    }
    if (ch === "(") {
      if (depth++ > 0) out += ch;
      continue;
    }
    if (ch === ")") {
      if (--depth === 0) return out;
      out += ch;
      continue;
    }
    out += ch;
  }
  return null;
}

function valueAfterKey(text: string, at: number): string | null {
  const rest = text.slice(at, at + 64);
  const direct = /^\s*\(/.exec(rest);
  if (direct) return literalAt(text, at + direct[0].length - 1);
  const ref = /^\s*(\d+)\s+(\d+)\s+R/.exec(rest);
  if (!ref) return null;
  const obj = new RegExp(`(?:^|[\\r\\n\\s])${ref[1]}\\s+${ref[2]}\\s+obj\\s*\\(`).exec(text);
  if (!obj) return null;
  return literalAt(text, obj.index + obj[0].length - 1);
}

export function extractJwsFromPdf(bytes: Buffer): PdfExtraction {
  if (bytes.subarray(0, 5).toString("latin1") !== "%PDF-") return { ok: false, problem: "not_pdf" };
  const text = bytes.toString("latin1");
  const found = new Set<string>();
  const key = `/${PDF_JWS_KEY}`;
  for (let at = text.indexOf(key); at >= 0; at = text.indexOf(key, at + key.length)) {
    const v = valueAfterKey(text, at + key.length);
    if (v !== null) found.add(v.trim());
  }
  if (found.size === 0) return { ok: false, problem: "no_receipt" };
  if (found.size > 1) return { ok: false, problem: "ambiguous" };
  const [jws] = [...found] as [string];
  if (!JWS_CHARS.test(jws)) return { ok: false, problem: "no_receipt" };
  return { ok: true, jws };
}
