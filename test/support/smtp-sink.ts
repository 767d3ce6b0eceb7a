/**
 * A real SMTP server (smtp-server) on 127.0.0.1 and a free port, for the e-mail tests: it keeps
 * every message it accepted, parsed just enough to read headers, the text and attachments. A
 * test can make it refuse (`reply`) or hold a message (`hold`) before answering.
 */
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";

export interface ReceivedMail {
  from: string;
  to: string[];
  raw: string;
  headers: Record<string, string>;
  messageId: string;
  subject: string;
  text: string;
  attachments: Array<{ filename: string; contentType: string; content: Buffer }>;
}

export interface SmtpSink {
  url: string;
  received: ReceivedMail[];
  /** Decides the answer to each message: undefined accepts; an error code refuses. */
  reply: ((mail: ReceivedMail) => { code: number; message: string } | undefined) | null;
  /** Called with the message before the answer; the answer waits for the promise. */
  hold: ((mail: ReceivedMail) => Promise<void>) | null;
  /** Called at MAIL FROM, before any content is sent; the conversation waits for the promise. */
  onMailFrom: (() => Promise<void>) | null;
  close(): Promise<void>;
}

function decodeWords(value: string): string {
  // RFC 2047: white space between two encoded words is not part of the text.
  return value
    .replace(/\?=\s+=\?/g, "?==?")
    .replace(/=\?utf-8\?([bq])\?([^?]*)\?=/gi, (_m, enc: string, text: string) =>
      enc.toLowerCase() === "b"
        ? Buffer.from(text, "base64").toString("utf8")
        : Buffer.from(
            text
              .replace(/_/g, " ")
              .replace(/=([0-9a-f]{2})/gi, (_x, h: string) => String.fromCharCode(parseInt(h, 16))),
            "latin1",
          ).toString("utf8"),
    );
}

function splitPart(part: string): { headers: Record<string, string>; body: string } {
  const at = part.indexOf("\r\n\r\n");
  const head = at >= 0 ? part.slice(0, at) : part;
  const body = at >= 0 ? part.slice(at + 4) : "";
  const headers: Record<string, string> = {};
  for (const line of head.replace(/\r\n[ \t]+/g, " ").split("\r\n")) {
    const i = line.indexOf(":");
    if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  return { headers, body };
}

function decodeBody(headers: Record<string, string>, body: string): Buffer {
  const enc = (headers["content-transfer-encoding"] ?? "").toLowerCase();
  if (enc === "base64") return Buffer.from(body.replace(/\s+/g, ""), "base64");
  if (enc === "quoted-printable") {
    const bytes = body
      .replace(/=\r\n/g, "")
      .replace(/=([0-9A-F]{2})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
    return Buffer.from(bytes, "latin1");
  }
  return Buffer.from(body, "latin1");
}

export function parseMail(raw: string, from: string, to: string[]): ReceivedMail {
  const { headers, body } = splitPart(raw);
  const boundary = /boundary="?([^";]+)"?/i.exec(headers["content-type"] ?? "")?.[1];
  let text = "";
  const attachments: ReceivedMail["attachments"] = [];
  const parts = boundary
    ? body
        .split(`--${boundary}`)
        .slice(1)
        .filter((p) => !p.startsWith("--"))
        .map((p) => splitPart(p.replace(/^\r\n/, "")))
    : [{ headers, body }];
  for (const p of parts) {
    const type = (p.headers["content-type"] ?? "text/plain").split(";")[0]!.trim();
    const disposition = p.headers["content-disposition"] ?? "";
    if (disposition.startsWith("attachment")) {
      const filename = decodeWords(/filename="?([^";]+)"?/i.exec(disposition)?.[1] ?? "");
      attachments.push({ filename, contentType: type, content: decodeBody(p.headers, p.body) });
    } else if (type === "text/plain") {
      text += decodeBody(p.headers, p.body).toString("utf8");
    }
  }
  return {
    from,
    to,
    raw,
    headers,
    messageId: headers["message-id"] ?? "",
    subject: decodeWords(headers.subject ?? ""),
    text,
    attachments,
  };
}

export async function startSmtpSink(): Promise<SmtpSink> {
  const sink: SmtpSink = {
    url: "",
    received: [],
    reply: null,
    hold: null,
    onMailFrom: null,
    close: async () => {},
  };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    closeTimeout: 1000,
    onMailFrom(_address, _session, callback) {
      (sink.onMailFrom?.() ?? Promise.resolve()).then(
        () => callback(),
        (err: unknown) => callback(err as Error),
      );
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        const mail = parseMail(
          Buffer.concat(chunks).toString("latin1"),
          session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          session.envelope.rcptTo.map((r) => r.address),
        );
        const answer = async () => {
          await sink.hold?.(mail);
          const refusal = sink.reply?.(mail);
          if (refusal) {
            callback(Object.assign(new Error(refusal.message), { responseCode: refusal.code }));
            return;
          }
          // Accepted: only now has the message been delivered.
          sink.received.push(mail);
          callback(null);
        };
        answer().catch((err: unknown) => callback(err as Error));
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.server.address() as AddressInfo).port;
  sink.url = `smtp://127.0.0.1:${port}`;
  sink.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return sink;
}
