/**
 * The outbox's notification jobs. A message about an application is sent at most once per key:
 * its final outcome (delivered or failed) is recorded, with a `notification.delivered` /
 * `notification.failed` event in the application's timeline, in the same transaction that
 * finishes the job; a job that runs again after a crash finds the record and sends nothing.
 * What remains is the instant between the channel accepting a message and that commit: there the
 * message is sent again with the same key (SMS gateway `Idempotency-Key`, e-mail Message-ID).
 */
import type { AppDeps } from "../app/context.js";
import { appendAudit } from "../db/audit-repository.js";
import { inTransaction } from "../db/connect.js";
import { finishJob, jobMaxAttempts } from "../db/jobs-repository.js";
import { findDelivery, recordDelivery } from "../db/notification-deliveries-repository.js";
import { findReceipt } from "../db/receipts-repository.js";
import { maskPhone } from "../domain/masking.js";
import type { JobContext, JobHandler } from "../jobs/worker.js";
import type { Notifier, OutboundMessage } from "../ports/index.js";
import { receiptPdf } from "../receipts/documents.js";
import { type Mailer, type MailMessage, PermanentDeliveryError } from "./channels.js";
import { type EmailJob, isErasedAddress, NOTIFY_TASKS, type SmsJob } from "./outbox.js";
import { quietUntil } from "./quiet-hours.js";

export interface DeliveryChannels {
  sms: Notifier;
  email: Mailer;
}

interface Delivery {
  key: string;
  applicationId: string;
  channel: "sms" | "email";
  template: string;
  /** Masked recipient, for the timeline. */
  to: string;
}

export function maskEmail(address: string): string {
  const [local = "", domain = ""] = address.split("@");
  return `${local.slice(0, 1)}***@${domain}`;
}

/** `<email.app_1.submitted.3@example.org>`: the same message key always gives the same Message-ID. */
export function messageIdFor(key: string, from: string): string {
  const domain = /@([^>\s]+)>?\s*$/.exec(from)?.[1] ?? "zhuxiao.invalid";
  return `<${key.replace(/[^A-Za-z0-9_.-]/g, ".")}@${domain}>`;
}

async function settle(
  deps: AppDeps,
  ctx: JobContext,
  d: Delivery,
  status: "delivered" | "failed",
  detail: string | null,
): Promise<void> {
  const now = deps.clock.now().toISOString();
  await inTransaction(deps.db, async (tx) => {
    const first = await recordDelivery(tx, {
      messageKey: d.key,
      applicationId: d.applicationId,
      channel: d.channel,
      template: d.template,
      status,
      detail,
      attempts: ctx.attempt,
      at: now,
    });
    if (first) {
      await appendAudit(tx, {
        id: deps.ids.id("evt"),
        entityType: "notification",
        entityId: d.key,
        applicationId: d.applicationId,
        action: `notification.${status}`,
        actorType: "system",
        actorId: "notifier",
        reason: d.channel,
        comment: status === "failed" ? `${d.template}: ${(detail ?? "").slice(0, 300)}` : d.template,
        after: { channel: d.channel, template: d.template, to: d.to, attempts: ctx.attempt },
        at: now,
      });
    }
    await finishJob(tx, ctx.jobId, now);
  });
}

/** Sends once; records the outcome when it is final (sent, refused for good, or out of tries). */
async function deliver(
  deps: AppDeps,
  ctx: JobContext,
  d: Delivery,
  send: () => Promise<string | null>,
): Promise<void> {
  let detail: string | null;
  try {
    detail = await send();
  } catch (err) {
    const final =
      err instanceof PermanentDeliveryError || ctx.attempt >= (await jobMaxAttempts(deps.db, ctx.jobId));
    if (!final) throw err;
    await settle(deps, ctx, d, "failed", err instanceof Error ? err.message : String(err));
    return;
  }
  await settle(deps, ctx, d, "delivered", detail);
}

function outbound(m: SmsJob): OutboundMessage {
  return {
    dedupeKey: m.dedupeKey,
    channel: "sms",
    to: m.to,
    template: m.template,
    language: m.language,
    text: m.text,
  };
}

export function notificationHandlers(deps: AppDeps, channels: DeliveryChannels): Record<string, JobHandler> {
  return {
    [NOTIFY_TASKS.sms]: async (payload, ctx) => {
      const m = payload as SmsJob;
      // The holder was erased after this message was queued: it is not sent.
      if (isErasedAddress(m.to)) return;
      // Sign-in codes: sent at once, day or night, and kept out of any timeline.
      if (!m.applicationId) return channels.sms.send(outbound(m));
      const key = `sms:${m.dedupeKey}`;
      if (await findDelivery(deps.db, key)) return;
      const until = m.timeZone ? quietUntil(deps.clock.now(), m.timeZone, deps.config.smsQuietHours) : null;
      if (until) return ctx.defer(until);
      const d = {
        key,
        applicationId: m.applicationId,
        channel: "sms" as const,
        template: m.template,
        to: maskPhone(m.to),
      };
      await deliver(deps, ctx, d, async () => {
        await channels.sms.send(outbound(m));
        return null;
      });
    },
    [NOTIFY_TASKS.email]: async (payload, ctx) => {
      const m = payload as EmailJob;
      if (isErasedAddress(m.to)) return;
      if (await findDelivery(deps.db, m.key)) return;
      const d = {
        key: m.key,
        applicationId: m.applicationId,
        channel: "email" as const,
        template: m.template,
        to: maskEmail(m.to),
      };
      await deliver(deps, ctx, d, async () => {
        const attachments: MailMessage["attachments"] = [];
        if (m.attach) {
          const row = await findReceipt(deps.db, m.applicationId, m.attach);
          if (!row) throw new Error(`application ${m.applicationId} has no ${m.attach} yet`);
          const { pdf, filename } = await receiptPdf(deps, row);
          attachments.push({ filename, contentType: "application/pdf", content: pdf });
        }
        const sent = await channels.email.send({
          messageId: messageIdFor(m.key, deps.config.mailFrom),
          from: deps.config.mailFrom,
          to: m.to,
          subject: m.subject,
          text: m.text,
          attachments,
        });
        return sent.messageId;
      });
    },
  };
}
