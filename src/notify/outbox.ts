/**
 * Putting messages in the outbox: a job per message, inserted in the transaction of the event
 * that causes it, with a dedupe key that allows one message per application, event and channel.
 * The holder's language and channels decide what is sent; SMS is held back over quiet hours.
 */
import type { AppDeps } from "../app/context.js";
import { type KnownParties, partiesOf } from "../app/parties.js";
import type { Tx } from "../db/connect.js";
import { enqueueJob } from "../db/jobs-repository.js";
import type { ApplicationRow } from "../db/schema.js";
import type { OutboundMessage } from "../ports/index.js";
import type { ReceiptKind } from "../receipts/payload.js";
import { type QuietHours, quietUntil } from "./quiet-hours.js";
import { type Lang, languageOf, renderMessage, renderSubject, type TemplateName } from "./templates.js";

export const NOTIFY_TASKS = { sms: "notify.sms", email: "notify.email" } as const;
export const CHANNELS = ["sms", "email"] as const;
export type NotifyChannel = (typeof CHANNELS)[number];

/** An SMS job. Messages about an application carry its id (delivery goes in its timeline) and zone. */
export interface SmsJob extends OutboundMessage {
  applicationId?: string;
  timeZone?: string;
}

export interface EmailJob {
  /** The message key, also the job's dedupe key: `email:<application>:<event>:<version>`. */
  key: string;
  applicationId: string;
  to: string;
  template: TemplateName;
  language: Lang;
  subject: string;
  text: string;
  /** The PDF attached: the receipt with "submitted", the certificate with "completed". */
  attach: ReceiptKind | null;
}

const ATTACHMENTS: Partial<Record<TemplateName, ReceiptKind>> = {
  submitted: "receipt",
  completed: "certificate",
};

export function parseChannels(value: string | null | undefined): NotifyChannel[] {
  const wanted = (value ?? "sms").split(",").map((c) => c.trim());
  return CHANNELS.filter((c) => wanted.includes(c));
}

export async function enqueueSms(
  tx: Tx,
  args: {
    dedupeKey: string;
    to: string;
    template: TemplateName;
    language: string;
    params: Record<string, string>;
    now: Date;
    applicationId?: string;
    /** Provider zone and quiet hours: the message waits until they end. Sign-in codes have none. */
    timeZone?: string;
    quietHours?: QuietHours | null;
  },
): Promise<void> {
  const language = languageOf(args.language);
  const message: SmsJob = {
    dedupeKey: args.dedupeKey,
    channel: "sms",
    to: args.to,
    template: args.template,
    language,
    text: renderMessage(args.template, language, args.params),
    ...(args.applicationId ? { applicationId: args.applicationId } : {}),
    ...(args.timeZone ? { timeZone: args.timeZone } : {}),
  };
  const runAt = (args.timeZone && quietUntil(args.now, args.timeZone, args.quietHours ?? null)) || args.now;
  await enqueueJob(
    tx,
    {
      task: NOTIFY_TASKS.sms,
      payload: message,
      dedupeKey: `sms:${args.dedupeKey}`,
      runAt: runAt.toISOString(),
    },
    args.now.toISOString(),
  );
}

function emailBody(text: string, lang: Lang, attach: ReceiptKind | null, verifyAt: string): string {
  if (!attach) return text;
  const zh = attach === "receipt" ? "注销申请回执" : "注销证明";
  const en = attach === "receipt" ? "receipt" : "certificate of cancellation";
  return lang === "en"
    ? `${text}\n\nYour ${en} is attached as a PDF. Keep it; anyone can check it at ${verifyAt} or offline with the signature inside it.`
    : `${text}\n\n${zh}（PDF）见附件，请妥善保存。任何人都可以在 ${verifyAt} 或离线核验其真伪。`;
}

/** Tells the holder about an event on their application, on each channel they chose. */
export async function enqueueNotifications(
  deps: AppDeps,
  tx: Tx,
  app: ApplicationRow,
  template: TemplateName,
  params: Record<string, string>,
  o: {
    /** What makes this event unique within the application; by default the application's version. */
    occurrence?: string;
    /** The application's card, holder or provider as this transaction holds them, if at hand. */
    known?: KnownParties;
  } = {},
): Promise<void> {
  const occurrence = o.occurrence ?? String(app.version);
  const { holder, card, provider } = await partiesOf(tx, app, o.known);
  if (!holder || !card) return;
  const now = deps.clock.now();
  const language = languageOf(holder.preferredLanguage);
  const full = { number: app.number, card: card.label, ...params };
  // The event: this template at this version of the application (a second request for information is a new event).
  const event = `${app.id}:${template}:${occurrence}`;
  const channels = parseChannels(holder.notifyChannels);
  const subject = renderSubject(template, language, full);
  const byEmail = channels.includes("email") && holder.email !== null && subject !== null;
  // Nobody is left untold: without a usable e-mail address the message goes by SMS.
  if (channels.includes("sms") || !byEmail) {
    await enqueueSms(tx, {
      dedupeKey: event,
      to: holder.phone,
      template,
      language,
      params: full,
      now,
      applicationId: app.id,
      timeZone: provider?.timeZone ?? "Asia/Shanghai",
      quietHours: deps.config.smsQuietHours,
    });
  }
  if (byEmail && holder.email && subject) {
    const attach = ATTACHMENTS[template] ?? null;
    const job: EmailJob = {
      key: `email:${event}`,
      applicationId: app.id,
      to: holder.email,
      template,
      language,
      subject,
      text: emailBody(
        renderMessage(template, language, full),
        language,
        attach,
        `${deps.config.publicUrl}/verify`,
      ),
      attach,
    };
    await enqueueJob(
      tx,
      { task: NOTIFY_TASKS.email, payload: job, dedupeKey: job.key, runAt: now.toISOString() },
      now.toISOString(),
    );
  }
}

/** What an erased holder's phone number becomes (src/app/holder-data.ts); messages to it are not sent. */
export const ERASED_ADDRESS_PREFIX = "erased:";

/** Whether `to` is an address erased on the holder's request. */
export function isErasedAddress(to: string): boolean {
  return to.startsWith(ERASED_ADDRESS_PREFIX);
}

/**
 * The outbox's messages to `addresses` (a holder's phone number and e-mail address) once the holder
 * is erased: those still waiting are cancelled, so nothing is sent after the erasure, and every
 * one, sent or not, keeps neither the address nor the text (which names the card). A message
 * being sent at this moment goes out; should it come back for another try (a failure, quiet
 * hours), it finds the address erased and is dropped (`notificationHandlers`).
 */
export async function eraseMessagesTo(
  tx: Tx,
  addresses: string[],
  erasedAs: string,
  now: string,
): Promise<{ cancelled: number; erased: number }> {
  const wanted = addresses.filter((a) => a !== "" && !isErasedAddress(a));
  if (wanted.length === 0) return { cancelled: 0, erased: 0 };
  // A coarse text match finds the candidates (both databases, no JSON functions); the parsed
  // payload decides. LIKE's wildcards can only widen the match.
  const rows = await tx
    .selectFrom("jobs")
    .select(["id", "status", "payloadJson"])
    .where("task", "in", [NOTIFY_TASKS.sms, NOTIFY_TASKS.email])
    .where((eb) => eb.or(wanted.map((a) => eb("payloadJson", "like", `%"to":${JSON.stringify(a)}%`))))
    .execute();
  let cancelled = 0;
  let erased = 0;
  for (const row of rows) {
    const payload = JSON.parse(row.payloadJson) as { to?: unknown; subject?: unknown; text?: unknown };
    if (typeof payload.to !== "string" || !wanted.includes(payload.to)) continue;
    const scrubbed = {
      ...payload,
      to: erasedAs,
      text: "",
      ...(payload.subject === undefined ? {} : { subject: "" }),
    };
    const cancel = row.status === "pending";
    await tx
      .updateTable("jobs")
      .set({
        payloadJson: JSON.stringify(scrubbed),
        updatedAt: now,
        ...(cancel
          ? { status: "cancelled", lockedAt: null, lockedBy: null, lastError: "the holder's data was erased" }
          : {}),
      })
      .where("id", "=", row.id)
      .execute();
    if (cancel) cancelled++;
    erased++;
  }
  return { cancelled, erased };
}
