/**
 * vCard writer, 3.0 (RFC 2426) and 4.0 (RFC 6350): UTF-8, CRLF, lines folded at 75 octets
 * without splitting a character, text escaped (`\\ \, \; \n`). Phones import 3.0 most reliably,
 * so both are offered (card-tech.md §4.4).
 */
import type { Contact, ContactPhone } from "./model.js";

export type VCardVersion = "3.0" | "4.0";

const encoder = new TextEncoder();

/** Escapes a text value (RFC 6350 §3.4). */
export function escapeText(s: string): string {
  return s
    .replace(/\\/g, "\\\\")
    .replace(/,/g, "\\,")
    .replace(/;/g, "\\;")
    .replace(/\r\n|\r|\n/g, "\\n");
}

/** Folds a content line into lines of at most 75 octets, continuation lines starting with a space. */
export function foldLine(line: string): string {
  if (encoder.encode(line).length <= 75) return line;
  const out: string[] = [];
  let current = "";
  let size = 0;
  for (const ch of line) {
    const n = encoder.encode(ch).length;
    const limit = out.length === 0 ? 75 : 74;
    if (size + n > limit) {
      out.push(current);
      current = "";
      size = 0;
    }
    current += ch;
    size += n;
  }
  out.push(current);
  return out.join("\r\n ");
}

/** Compound surnames common enough to split correctly (百家姓 复姓). */
const COMPOUND_SURNAMES = new Set([
  "欧阳",
  "司马",
  "上官",
  "诸葛",
  "东方",
  "皇甫",
  "尉迟",
  "公孙",
  "慕容",
  "令狐",
  "长孙",
  "夏侯",
  "端木",
  "司徒",
  "轩辕",
]);

/**
 * N's family and given names from the single name a SIM stores: a Chinese name splits after its
 * surname, a Latin one before its last word. A guess, so FN always carries the name as stored.
 */
export function splitName(name: string): { family: string; given: string } {
  const trimmed = name.trim();
  if (/^[\u3400-\u9fff]{2,4}$/.test(trimmed)) {
    const two = trimmed.slice(0, 2);
    const surname = trimmed.length >= 3 && COMPOUND_SURNAMES.has(two) ? two : trimmed.slice(0, 1);
    return { family: surname, given: trimmed.slice(surname.length) };
  }
  const words = trimmed.split(/\s+/).filter(Boolean);
  if (words.length >= 2) return { family: words.at(-1) as string, given: words.slice(0, -1).join(" ") };
  return { family: "", given: trimmed };
}

function telLine(p: ContactPhone, version: VCardVersion): string {
  if (version === "3.0") {
    const types = p.types.length ? `;TYPE=${p.types.map((t) => t.toUpperCase()).join(",")}` : "";
    return `TEL${types}:${escapeText(p.number)}`;
  }
  const types = p.types.length ? `;TYPE=${p.types.join(",")}` : "";
  // A global number is a tel: URI as RFC 6350 recommends; a local one, or one with a pause or
  // wild digit, stays text, which 4.0 still allows.
  if (/^\+\d+$/.test(p.number)) return `TEL;VALUE=uri${types}:tel:${p.number}`;
  return `TEL${types}:${escapeText(p.number)}`;
}

export function writeVCard(c: Contact, version: VCardVersion): string {
  const { family, given } = splitName(c.name);
  const lines = ["BEGIN:VCARD", `VERSION:${version}`, `FN:${escapeText(c.name)}`];
  lines.push(`N:${escapeText(family)};${escapeText(given)};;;`);
  if (c.nickname) lines.push(`NICKNAME:${escapeText(c.nickname)}`);
  for (const p of c.phones) lines.push(telLine(p, version));
  for (const e of c.emails)
    lines.push(version === "3.0" ? `EMAIL;TYPE=INTERNET:${escapeText(e)}` : `EMAIL:${escapeText(e)}`);
  if (c.groups.length) lines.push(`CATEGORIES:${c.groups.map(escapeText).join(",")}`);
  if (c.note) lines.push(`NOTE:${escapeText(c.note)}`);
  lines.push("END:VCARD");
  return `${lines.map(foldLine).join("\r\n")}\r\n`;
}

export function writeVCards(contacts: readonly Contact[], version: VCardVersion): string {
  return contacts.map((c) => writeVCard(c, version)).join("");
}
