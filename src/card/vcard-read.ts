/**
 * vCard reader for phone-side backups: 2.1 (bare parameters, QUOTED-PRINTABLE with CHARSET, as
 * older Android exports), 3.0 and 4.0 (tel: URIs). Lines are unfolded, groups (`item1.TEL`)
 * ignored, values unescaped; properties that do not map to a contact are skipped.
 */
import { type Contact, emptyContact, PHONE_TYPES, type PhoneType } from "./model.js";

export interface ParsedVCards {
  contacts: Contact[];
  /** Versions seen, e.g. `["2.1"]`. */
  versions: string[];
}

export class VCardError extends Error {
  override name = "VCardError";
}

interface ContentLine {
  name: string;
  params: Map<string, string[]>;
  value: string;
}

/** Splits on `sep` where it is not escaped with a backslash. */
function splitUnescaped(s: string, sep: string): string[] {
  const out: string[] = [];
  let cur = "";
  for (let i = 0; i < s.length; i++) {
    const c = s[i] as string;
    if (c === "\\" && i + 1 < s.length) {
      cur += c + s[i + 1];
      i++;
    } else if (c === sep) {
      out.push(cur);
      cur = "";
    } else cur += c;
  }
  out.push(cur);
  return out;
}

export function unescapeText(s: string): string {
  return s.replace(/\\([\\,;nN:])/g, (_, c: string) => (c === "n" || c === "N" ? "\n" : c));
}

function decodeQuotedPrintable(s: string, charset: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s[i] as string;
    if (c === "=" && /^[0-9A-Fa-f]{2}$/.test(s.slice(i + 1, i + 3))) {
      bytes.push(Number.parseInt(s.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(...new TextEncoder().encode(c));
  }
  try {
    return new TextDecoder(charset, { fatal: true }).decode(Uint8Array.from(bytes));
  } catch {
    return new TextDecoder("utf-8").decode(Uint8Array.from(bytes));
  }
}

/** Unfolds physical lines into content lines, joining QUOTED-PRINTABLE soft breaks too. */
function contentLines(text: string): string[] {
  const physical = text.replace(/^\uFEFF/, "").split(/\r\n|\r|\n/);
  const out: string[] = [];
  for (const line of physical) {
    const last = out.length - 1;
    if ((line.startsWith(" ") || line.startsWith("\t")) && last >= 0) out[last] += line.slice(1);
    else if (
      last >= 0 &&
      /QUOTED-PRINTABLE/i.test(out[last] as string) &&
      (out[last] as string).endsWith("=")
    ) {
      out[last] = (out[last] as string).slice(0, -1) + line;
    } else if (line !== "") out.push(line);
  }
  return out;
}

function parseLine(line: string): ContentLine | null {
  // The value starts after the first colon outside a quoted parameter value.
  let inQuotes = false;
  let colon = -1;
  for (let i = 0; i < line.length; i++) {
    if (line[i] === '"') inQuotes = !inQuotes;
    else if (line[i] === ":" && !inQuotes) {
      colon = i;
      break;
    }
  }
  if (colon < 0) return null;
  const [nameWithGroup = "", ...rawParams] = line.slice(0, colon).split(";");
  const name = (nameWithGroup.split(".").at(-1) ?? "").toUpperCase();
  const params = new Map<string, string[]>();
  for (const p of rawParams) {
    const eq = p.indexOf("=");
    // vCard 2.1 allows bare parameter values (`TEL;CELL:`), which are TYPEs.
    const key = eq < 0 ? "TYPE" : p.slice(0, eq).toUpperCase();
    const values = (eq < 0 ? p : p.slice(eq + 1)).split(",").map((v) => v.replace(/^"|"$/g, ""));
    params.set(key, [...(params.get(key) ?? []), ...values]);
  }
  let value = line.slice(colon + 1);
  if (params.get("ENCODING")?.some((e) => e.toUpperCase() === "QUOTED-PRINTABLE")) {
    value = decodeQuotedPrintable(value, params.get("CHARSET")?.[0] ?? "utf-8");
  }
  return { name, params, value };
}

/** A TEL value as dialled digits: a tel: URI loses its scheme and visual separators. */
export function telValue(value: string, isUri: boolean): string {
  let v = value.trim();
  if (isUri || /^tel:/i.test(v)) {
    v = v.replace(/^tel:/i, "").split(";")[0] ?? "";
    try {
      v = decodeURIComponent(v);
    } catch {
      // A stray % is kept as typed.
    }
  } else v = unescapeText(v);
  return v.replace(/[\s\-.()]/g, "");
}

function phoneTypes(params: Map<string, string[]>): PhoneType[] {
  const types = (params.get("TYPE") ?? []).map((t) => t.toLowerCase());
  return PHONE_TYPES.filter((t) => types.includes(t));
}

/** Parses every vCard in `text`. Throws `VCardError` when there is none or one is not closed. */
export function parseVCards(text: string): ParsedVCards {
  const contacts: Contact[] = [];
  const versions = new Set<string>();
  let current: (Contact & { family?: string; given?: string; hasFn: boolean }) | null = null;
  let depth = 0;
  for (const raw of contentLines(text)) {
    const line = parseLine(raw);
    if (!line) continue;
    if (line.name === "BEGIN" && line.value.toUpperCase() === "VCARD") {
      depth++;
      if (depth === 1) current = { ...emptyContact(""), hasFn: false };
      continue;
    }
    if (line.name === "END" && line.value.toUpperCase() === "VCARD") {
      depth--;
      if (depth === 0 && current) {
        const { family, given, hasFn, ...contact } = current;
        if (!hasFn) {
          // Without FN (some 2.1 exports), the name is rebuilt from N in its script's order.
          const cjk = /[\u3400-\u9fff]/.test(`${family ?? ""}${given ?? ""}`);
          contact.name = cjk ? `${family ?? ""}${given ?? ""}` : [given, family].filter(Boolean).join(" ");
        }
        contacts.push(contact);
        current = null;
      }
      continue;
    }
    if (!current || depth !== 1) continue;
    switch (line.name) {
      case "VERSION":
        versions.add(line.value.trim());
        break;
      case "FN":
        current.name = unescapeText(line.value);
        current.hasFn = true;
        break;
      case "N": {
        const [family = "", given = ""] = splitUnescaped(line.value, ";").map(unescapeText);
        current.family = family;
        current.given = given;
        break;
      }
      case "TEL": {
        const isUri = (line.params.get("VALUE") ?? []).some((v) => v.toLowerCase() === "uri");
        const number = telValue(line.value, isUri);
        if (number) current.phones.push({ number, types: phoneTypes(line.params) });
        break;
      }
      case "EMAIL":
        current.emails.push(unescapeText(line.value).trim());
        break;
      case "NICKNAME":
        current.nickname = unescapeText(line.value);
        break;
      case "CATEGORIES":
        current.groups.push(...splitUnescaped(line.value, ",").map(unescapeText).filter(Boolean));
        break;
      case "NOTE":
        current.note = unescapeText(line.value);
        break;
    }
  }
  if (depth !== 0) throw new VCardError("a vCard is not closed with END:VCARD");
  if (contacts.length === 0 && !/BEGIN:VCARD/i.test(text)) throw new VCardError("no BEGIN:VCARD found");
  return { contacts, versions: [...versions] };
}
