/**
 * Narrow interfaces the application needs from the outside world. Adapters implement them;
 * tests substitute their own.
 */

export interface Clock {
  now(): Date;
}

export interface Ids {
  /** A new opaque id with a readable prefix, e.g. `app_…`. */
  id(prefix: string): string;
  /** A human-readable application number, e.g. `ZX2611260A7K3Q`. */
  applicationNumber(now: Date): string;
  /** A secret bearer token (session, CSRF). */
  token(): string;
  /** A 6-digit one-time code. */
  otpCode(): string;
}

export interface OutboundMessage {
  /** Unique per message intent: the notifier never sends two messages with one key. */
  dedupeKey: string;
  channel: "sms";
  to: string;
  template: string;
  language: "zh-CN" | "en";
  text: string;
}

export interface Notifier {
  send(message: OutboundMessage): Promise<void>;
}

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(hash: string, password: string): Promise<boolean>;
}

/** Encryption at rest and keyed hashing for personal data. */
export interface PiiVault {
  encrypt(plain: string): string;
  decrypt(sealed: string): string;
  sealBytes(plain: Buffer): Buffer;
  openBytes(sealed: Buffer): Buffer;
  /** Deterministic keyed hash used to find a record by an identifier without storing it in clear. */
  hash(value: string): string;
}
