/**
 * The little XML that SMS Backup & Restore files need: escaping attribute values on the way out,
 * and on the way in a tokenizer for elements with attributes (declaration, comments, DOCTYPE and
 * text skipped). Numeric references may spell a character as two UTF-16 surrogates
 * (`&#55357;&#56832;`), as that app writes emoji; they are joined again.
 */

export class XmlError extends Error {
  override name = "XmlError";
}

/** Escapes an attribute value; control characters become numeric references so lines survive. */
export function escapeXmlAttr(s: string): string {
  let out = "";
  for (const ch of s) {
    const code = ch.codePointAt(0) as number;
    if (ch === "&") out += "&amp;";
    else if (ch === "<") out += "&lt;";
    else if (ch === ">") out += "&gt;";
    else if (ch === '"') out += "&quot;";
    else if (ch === "'") out += "&apos;";
    // Lone surrogates are written as the app writes them, as references.
    else if (code < 0x20 || code === 0x7f || (code >= 0xd800 && code <= 0xdfff)) out += `&#${code};`;
    else out += ch;
  }
  return out;
}

const NAMED: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

/** Resolves entity and character references. */
export function unescapeXml(s: string): string {
  const units: number[] = [];
  let out = "";
  const flush = () => {
    if (units.length) out += String.fromCharCode(...units.splice(0));
  };
  let i = 0;
  while (i < s.length) {
    const amp = s.indexOf("&", i);
    if (amp < 0) {
      flush();
      out += s.slice(i);
      break;
    }
    const semi = s.indexOf(";", amp);
    const ref = semi < 0 ? "" : s.slice(amp + 1, semi);
    let code: number | null = null;
    if (/^#\d+$/.test(ref)) code = Number(ref.slice(1));
    else if (/^#x[0-9a-fA-F]+$/.test(ref)) code = Number.parseInt(ref.slice(2), 16);
    if (amp > i) {
      flush();
      out += s.slice(i, amp);
    }
    if (code !== null && code <= 0xffff) units.push(code);
    else if (code !== null && code <= 0x10ffff) {
      flush();
      out += String.fromCodePoint(code);
    } else if (ref in NAMED) {
      flush();
      out += NAMED[ref];
    } else throw new XmlError(`unknown reference &${ref.slice(0, 20)};`);
    i = semi + 1;
  }
  flush();
  return out;
}

export type XmlEvent =
  | { kind: "open"; name: string; attrs: Record<string, string>; selfClosing: boolean }
  | { kind: "close"; name: string };

const ATTR = /([A-Za-z_:][\w:.-]*)\s*=\s*("([^"]*)"|'([^']*)')/y;

/** Element events of `xml`, in document order. */
export function* xmlEvents(xml: string): Generator<XmlEvent> {
  let i = 0;
  const n = xml.length;
  while (i < n) {
    const lt = xml.indexOf("<", i);
    if (lt < 0) return;
    if (xml.startsWith("<?", lt)) {
      const end = xml.indexOf("?>", lt);
      if (end < 0) throw new XmlError("unterminated declaration");
      i = end + 2;
    } else if (xml.startsWith("<!--", lt)) {
      const end = xml.indexOf("-->", lt);
      if (end < 0) throw new XmlError("unterminated comment");
      i = end + 3;
    } else if (xml.startsWith("<!", lt)) {
      const end = xml.indexOf(">", lt);
      if (end < 0) throw new XmlError("unterminated declaration");
      i = end + 1;
    } else if (xml.startsWith("</", lt)) {
      const end = xml.indexOf(">", lt);
      if (end < 0) throw new XmlError("unterminated end tag");
      yield { kind: "close", name: xml.slice(lt + 2, end).trim() };
      i = end + 1;
    } else {
      const nameMatch = /^<([A-Za-z_][\w:.-]*)/.exec(xml.slice(lt, lt + 200));
      if (!nameMatch) throw new XmlError(`bad tag at offset ${lt}`);
      const name = nameMatch[1] as string;
      let j = lt + nameMatch[0].length;
      const attrs: Record<string, string> = {};
      for (;;) {
        while (j < n && /\s/.test(xml[j] as string)) j++;
        if (xml.startsWith("/>", j)) {
          yield { kind: "open", name, attrs, selfClosing: true };
          i = j + 2;
          break;
        }
        if (xml[j] === ">") {
          yield { kind: "open", name, attrs, selfClosing: false };
          i = j + 1;
          break;
        }
        ATTR.lastIndex = j;
        const m = ATTR.exec(xml);
        if (!m) throw new XmlError(`bad attribute in <${name}> at offset ${j}`);
        attrs[m[1] as string] = unescapeXml(m[3] ?? m[4] ?? "");
        j = ATTR.lastIndex;
      }
    }
  }
}
