/**
 * The delivery channels the notification jobs use. SMS goes through the `Notifier` port (outbox
 * file or HTTP gateway); e-mail through a `Mailer` (SMTP, or .eml files without a server).
 */
export interface MailMessage {
  /** Deterministic per message (`<key@domain>`): a resend after a crash carries the same id. */
  messageId: string;
  from: string;
  to: string;
  subject: string;
  text: string;
  attachments: Array<{ filename: string; contentType: string; content: Buffer }>;
}

export interface Mailer {
  send(message: MailMessage): Promise<{ messageId: string }>;
  close(): void;
}

/** A refusal that retrying cannot fix (bad address, 5xx from the server or the gateway). */
export class PermanentDeliveryError extends Error {
  override readonly name = "PermanentDeliveryError";
}
