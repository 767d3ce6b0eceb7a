/**
 * What a SIM backup holds, independent of any file format: contacts and messages, as read from a
 * card or from a phone-side export, and written to vCard or SMS Backup & Restore XML.
 */

/** vCard TEL types we produce and recognise (RFC 6350 §6.4.1 plus home/work). */
export const PHONE_TYPES = [
  "cell",
  "voice",
  "home",
  "work",
  "fax",
  "pager",
  "text",
  "video",
  "textphone",
] as const;
export type PhoneType = (typeof PHONE_TYPES)[number];

export interface ContactPhone {
  /** As dialled: `+` for an international number, digits, `*`, `#`, `,` (pause), `N` (wild). */
  number: string;
  types: PhoneType[];
}

export interface Contact {
  /** The display name (vCard FN); the SIM's alpha identifier. */
  name: string;
  phones: ContactPhone[];
  emails: string[];
  /** Second name (EF.SNE) or vCard NICKNAME. */
  nickname: string | null;
  /** Group names (EF.GRP/EF.GAS) or vCard CATEGORIES. */
  groups: string[];
  note: string | null;
}

/** Android SMS Backup & Restore `type`: 1 received, 2 sent, 3 draft, 4 outbox, 5 failed, 6 queued. */
export const SMS_BOXES = ["inbox", "sent", "draft", "outbox", "failed", "queued"] as const;
export type SmsBox = (typeof SMS_BOXES)[number];

export interface SmsMessage {
  /** The other party: sender of a received message, recipient of a sent one. */
  address: string;
  body: string;
  box: SmsBox;
  read: boolean;
  /**
   * Epoch milliseconds: the service centre time stamp of a received message. Null when the
   * source has none (a SUBMIT on a SIM carries no time).
   */
  date: number | null;
  /** The same instant in the service centre's zone (`2024-05-01T12:34:56+08:00`), when known. */
  dateLocal: string | null;
  serviceCenter: string | null;
  /** SMS Backup & Restore `status`: −1 none, 0 complete, 32 pending, 64 failed. */
  status: number;
}

export function emptyContact(name: string): Contact {
  return { name, phones: [], emails: [], nickname: null, groups: [], note: null };
}

/** A problem worth telling the person making the backup, tied to where it was found. */
export interface BackupWarning {
  code:
    | "SMS_NO_TIMESTAMP"
    | "SMS_PART_MISSING"
    | "SMS_UNDECODABLE"
    | "SMS_COMPRESSED"
    | "CONTACT_UNDECODABLE"
    | "EXT1_BROKEN_CHAIN";
  /** Where: `EF.SMS #12`, `EF.ADN 4F3A #7`. */
  where: string;
  detail: string;
}
