/**
 * ES9+ HandleNotification (SGP.22 §6.5.2.9): the LPA hands the eUICC-signed notification to the
 * SM-DP+ named in it. `POST https://<fqdn>/gsma/rsp2/es9plus/handleNotification`, JSON with the
 * base64 DER; success is `204 No Content`.
 *
 * The body carries `pendingNotification` only, as pySim's `es9p.py` and lpac send it: the
 * request header of card-tech.md §3.2 belongs to the operator-side ES2+ calls.
 */
import { CardError } from "./errors.js";

export const ES9_PATH = "/gsma/rsp2/es9plus/handleNotification";
export const ADMIN_PROTOCOL = "gsma/rsp/v2.2.0";

export interface Es9Options {
  /**
   * Where the SM-DP+ is, instead of `https://<fqdn>` from the notification: a test SM-DP+ on
   * `http://127.0.0.1:<port>`, or a proxy.
   */
  baseUrl?: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/** The SM-DP+ base URL for a notification address (an FQDN, sometimes with a port). */
export function smdpBaseUrl(address: string, opts: Es9Options = {}): string {
  return (opts.baseUrl ?? `https://${address}`).replace(/\/+$/, "");
}

/** Sends one notification; resolves with the HTTP status (204), throws when it was not accepted. */
export async function sendHandleNotification(
  address: string,
  der: Uint8Array,
  opts: Es9Options = {},
): Promise<number> {
  const url = `${smdpBaseUrl(address, opts)}${ES9_PATH}`;
  const doFetch = opts.fetch ?? fetch;
  let res: Response;
  try {
    res = await doFetch(url, {
      method: "POST",
      headers: {
        "content-type": "application/json;charset=UTF-8",
        "x-admin-protocol": ADMIN_PROTOCOL,
        "user-agent": "gsma-rsp-lpad",
      },
      body: JSON.stringify({ pendingNotification: Buffer.from(der).toString("base64") }),
      signal: AbortSignal.timeout(opts.timeoutMs ?? 15_000),
    });
  } catch (err) {
    throw new CardError("ES9_NOTIFICATION_FAILED", {
      url,
      status: `none: ${err instanceof Error ? err.message : String(err)}`,
    });
  }
  await res.arrayBuffer().catch(() => undefined);
  if (res.status !== 204) throw new CardError("ES9_NOTIFICATION_FAILED", { url, status: res.status });
  return res.status;
}
