/**
 * E-mail through nodemailer: SMTP when ZHUXIAO_SMTP_URL is set, otherwise each message is written
 * as an .eml file to `<data dir>/outbox/mail/` (named after its key, so a resend overwrites
 * nothing). SMTP offers no way to ask whether a message already arrived, so the guarantee against
 * a resend after a crash is the deterministic Message-ID (see docs/receipts.md).
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Transporter } from "nodemailer";
import { type Mailer, type MailMessage, PermanentDeliveryError } from "./channels.js";

type Nodemailer = typeof import("nodemailer");

/**
 * The transport, made on the first message: nodemailer is loaded then, so the processes that
 * never send mail (API processes, whose notifications go through the outbox's jobs) do not carry
 * its ≈ 3 MB of heap.
 */
function lazyTransport(make: (nodemailer: Nodemailer) => Transporter) {
  let made: Promise<Transporter> | undefined;
  let closed = false;
  return {
    get(): Promise<Transporter> {
      made ??= import("nodemailer").then((m) => make((m.default ?? m) as Nodemailer));
      return made;
    },
    close(): void {
      if (closed) return;
      closed = true;
      void made?.then((t) => t.close()).catch(() => {});
    },
  };
}

export function createSmtpMailer(url: string): Mailer {
  const transport = lazyTransport((nodemailer) =>
    nodemailer.createTransport(url, {
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
    } as never),
  );
  return {
    async send(m) {
      try {
        const info = await (await transport.get()).sendMail({
          messageId: m.messageId,
          from: m.from,
          to: m.to,
          subject: m.subject,
          text: m.text,
          attachments: m.attachments,
        });
        return { messageId: String(info.messageId ?? m.messageId) };
      } catch (err) {
        const code = (err as { responseCode?: number }).responseCode;
        // 5xx is the server's final answer (unknown mailbox, refused content); 4xx and network errors are retried.
        if (typeof code === "number" && code >= 500) {
          throw new PermanentDeliveryError(`SMTP ${code}: ${(err as Error).message}`);
        }
        throw err;
      }
    },
    close: () => transport.close(),
  };
}

export function createFileMailer(dir: string): Mailer {
  const transport = lazyTransport((nodemailer) =>
    nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "unix" }),
  );
  return {
    async send(m: MailMessage) {
      mkdirSync(dir, { recursive: true });
      const file = join(dir, `${m.messageId.replace(/[^A-Za-z0-9_.@-]/g, "_")}.eml`);
      if (existsSync(file)) return { messageId: m.messageId };
      const info = await (await transport.get()).sendMail({
        messageId: m.messageId,
        from: m.from,
        to: m.to,
        subject: m.subject,
        text: m.text,
        attachments: m.attachments,
      });
      writeFileSync(file, info.message as Buffer, { flag: "wx" });
      return { messageId: m.messageId };
    },
    close: () => transport.close(),
  };
}
