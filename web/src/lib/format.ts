/** Money, dates and identifiers as the holder reads them. */
import type { Card, Lang, LocalizedText } from "../api/types";

/** Integer fen → "¥36.50"; amounts are never fractional, so anything else is shown as is. */
export function formatFen(fen: number): string {
  if (!Number.isSafeInteger(fen)) return String(fen);
  const abs = Math.abs(fen);
  const yuan = Math.floor(abs / 100).toLocaleString("en-US");
  return `${fen < 0 ? "-" : ""}¥${yuan}.${String(abs % 100).padStart(2, "0")}`;
}

export function localized(text: LocalizedText | null | undefined, lang: Lang): string {
  if (!text) return "";
  return text[lang] ?? text["zh-CN"];
}

const DATE_OPTS: Intl.DateTimeFormatOptions = {
  year: "numeric",
  month: "long",
  day: "numeric",
  timeZone: "Asia/Shanghai",
};

export function formatDate(iso: string | null | undefined, lang: Lang): string {
  if (!iso) return "";
  const d = /^\d{4}-\d{2}-\d{2}$/.test(iso) ? new Date(`${iso}T12:00:00+08:00`) : new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(lang === "en" ? "en-GB" : "zh-CN", DATE_OPTS).format(d);
}

export function formatDateTime(iso: string | null | undefined, lang: Lang): string {
  if (!iso) return "";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(lang === "en" ? "en-GB" : "zh-CN", {
    ...DATE_OPTS,
    month: "short",
    hour: "2-digit",
    minute: "2-digit",
    hour12: false,
  }).format(d);
}

/** 13812348000 → 138 **** 8000: enough to recognise one's own number, not to read it off a screen. */
export function maskPhone(phone: string | null | undefined): string {
  if (!phone) return "";
  const digits = phone.replace(/\D/g, "");
  if (digits.length < 7) return phone;
  return `${digits.slice(0, 3)} **** ${digits.slice(-4)}`;
}

/** Last four of whatever identifies the card: the number, the ICCID or the EID. */
export function cardTail(card: Card): string {
  const source = card.msisdn ?? card.cardNumber ?? card.iccid ?? card.eid ?? "";
  return source.replace(/\D/g, "").slice(-4);
}

/** The identifier shown under a card's name, masked. */
export function cardIdentifier(card: Card): string {
  if (card.msisdn) return maskPhone(card.msisdn);
  if (card.cardNumber) {
    const tail = card.cardNumber.replace(/\D/g, "").slice(-4);
    return `**** **** **** ${tail}`;
  }
  const id = card.iccid ?? card.eid;
  return id ? `${id.slice(0, 4)} **** ${id.slice(-4)}` : "";
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(0)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}
