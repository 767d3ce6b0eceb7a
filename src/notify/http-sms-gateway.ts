/**
 * SMS through an HTTP gateway: `POST <url>` with JSON `{ to, text, reference, language }`, a bearer
 * token, and the message key as `Idempotency-Key` and `reference`, so a gateway that deduplicates
 * on it never sends a message twice even when a crash made us post it twice. 2xx is accepted;
 * 4xx (but 408 and 429) is a final refusal; anything else is retried by the outbox.
 */
import type { Notifier } from "../ports/index.js";
import { PermanentDeliveryError } from "./channels.js";

export interface SmsGatewayOptions {
  url: string;
  token?: string;
  timeoutMs?: number;
}

export function createHttpSmsGateway(opts: SmsGatewayOptions): Notifier {
  return {
    async send(message) {
      const res = await fetch(opts.url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "idempotency-key": message.dedupeKey,
          ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
        },
        body: JSON.stringify({
          to: message.to,
          text: message.text,
          reference: message.dedupeKey,
          language: message.language,
        }),
        signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000),
      });
      // Drain the body so the connection can be reused.
      const body = await res.text();
      if (res.ok) return;
      const detail = `SMS gateway answered ${res.status}: ${body.slice(0, 200)}`;
      if (res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429) {
        throw new PermanentDeliveryError(detail);
      }
      throw new Error(detail);
    },
  };
}
