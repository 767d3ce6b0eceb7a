/**
 * Provider systems over HTTP: every port call is `POST <base>/<system>/<operation>` with a JSON
 * body, the idempotency key in `Idempotency-Key` and an HMAC signature (docs/integration.md).
 * Timeouts, connection errors and 5xx are retryable; 4xx are final refusals.
 */
import type { Clock } from "../ports/index.js";
import { type ProviderCallContext, ProviderError, type ProviderSystems } from "../ports/providers.js";
import { SIGNATURE_HEADER, sign } from "./hmac.js";

export interface HttpProvidersOptions {
  baseUrl: string;
  secret: string;
  clock: Clock;
  timeoutMs?: number;
}

export function createHttpProviders(o: HttpProvidersOptions): ProviderSystems {
  async function call<T>(
    system: string,
    op: string,
    ctx: ProviderCallContext,
    args: Record<string, unknown>,
  ): Promise<T> {
    const body = JSON.stringify({ idempotencyKey: ctx.idempotencyKey, provider: ctx.providerCode, ...args });
    let res: Response;
    try {
      res = await fetch(`${o.baseUrl.replace(/\/$/, "")}/${system}/${op}`, {
        method: "POST",
        body,
        headers: {
          "content-type": "application/json",
          "idempotency-key": ctx.idempotencyKey,
          [SIGNATURE_HEADER]: sign(o.secret, body, o.clock.now().getTime()),
        },
        signal: AbortSignal.timeout(o.timeoutMs ?? 10_000),
      });
    } catch (err) {
      throw new ProviderError(
        `${system}.${op}: ${err instanceof Error ? err.message : String(err)}`,
        true,
        system,
      );
    }
    const text = await res.text();
    if (!res.ok)
      throw new ProviderError(
        `${system}.${op}: HTTP ${res.status} ${text.slice(0, 200)}`,
        res.status >= 500 || res.status === 429,
        system,
      );
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new ProviderError(`${system}.${op}: the answer is not JSON`, true, system);
    }
  }
  return {
    billing: {
      finalBill: (ctx, account) => call("billing", "finalBill", ctx, { account }),
      arrears: (ctx, account) => call("billing", "arrears", ctx, { account }),
      payOut: (ctx, account, movement) => call("billing", "payOut", ctx, { account, movement }),
    },
    crm: {
      blockCard: (ctx, account) => call("crm", "blockCard", ctx, { account }),
      closeAccount: (ctx, account, stage) => call("crm", "closeAccount", ctx, { account, stage }),
    },
    network: {
      barLine: (ctx, msisdn) => call("network", "barLine", ctx, { msisdn }),
      forceDeregister: (ctx, msisdn) => call("network", "forceDeregister", ctx, { msisdn }),
      removeSubscription: (ctx, msisdn, iccid) =>
        call("network", "removeSubscription", ctx, { msisdn, iccid }),
      quarantineNumber: (ctx, msisdn, until) => call("network", "quarantineNumber", ctx, { msisdn, until }),
      releaseNumber: (ctx, msisdn) => call("network", "releaseNumber", ctx, { msisdn }),
      restoreNumber: (ctx, msisdn) => call("network", "restoreNumber", ctx, { msisdn }),
    },
    esim: {
      retireProfile: (ctx, iccid, eid) => call("esim", "retireProfile", ctx, { iccid, eid }),
    },
  };
}
