/**
 * The provider-system simulators as one HTTP service speaking the protocol of
 * `http-providers.ts` (docs/integration.md): `POST /<system>/<operation>`, signed with HMAC. Many
 * API processes and workers then share one set of simulated systems, so what a provider saw (and
 * that it did each thing once) can be checked across processes. `GET /_calls` lists every call
 * each simulator received, for tests; it takes the shared secret as a bearer token.
 */
import { timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import { type ProviderCallContext, ProviderError } from "../../ports/providers.js";
import { SIGNATURE_HEADER, verifySignature } from "../hmac.js";
import type { Simulators } from "./index.js";

/** Each operation's arguments, in the order the port takes them after the call context. */
const OPERATIONS: Record<string, Record<string, string[]>> = {
  billing: { finalBill: ["account"], arrears: ["account"], payOut: ["account", "movement"] },
  crm: { blockCard: ["account"], closeAccount: ["account", "stage"] },
  network: {
    barLine: ["msisdn"],
    forceDeregister: ["msisdn"],
    removeSubscription: ["msisdn", "iccid"],
    quarantineNumber: ["msisdn", "until"],
    releaseNumber: ["msisdn"],
    restoreNumber: ["msisdn"],
  },
  esim: { retireProfile: ["iccid", "eid"] },
};

const MAX_BODY = 64 * 1024;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new Error("body too large"));
        req.destroy();
      } else chunks.push(c);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function bearerMatches(header: string | undefined, secret: string): boolean {
  const given = Buffer.from(header?.replace(/^Bearer /, "") ?? "");
  const expected = Buffer.from(secret);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** `now` is the callers' clock (they sign with it), a shifted one in tests and demos. */
export function createSimulatorServer(
  simulators: Simulators,
  secret: string,
  now: () => number = Date.now,
): Server {
  return createServer((req, res) => {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    void (async () => {
      const [, system = "", op = ""] = (req.url ?? "").split("?")[0]!.split("/");
      if (req.method === "GET" && system === "_calls") {
        if (!bearerMatches(req.headers.authorization, secret)) return send(401, { error: "unauthorized" });
        return send(
          200,
          Object.fromEntries(
            Object.keys(OPERATIONS).map((s) => [s, simulators[s as keyof Simulators].core.calls]),
          ),
        );
      }
      const argNames = OPERATIONS[system]?.[op];
      if (req.method !== "POST" || !argNames) return send(404, { error: "no such operation" });
      const body = await readBody(req);
      const signature = req.headers[SIGNATURE_HEADER];
      if (!verifySignature(secret, body, Array.isArray(signature) ? signature[0] : signature, now())) {
        return send(401, { error: "bad signature" });
      }
      const input = JSON.parse(body) as Record<string, unknown>;
      const ctx: ProviderCallContext = {
        idempotencyKey: String(input.idempotencyKey ?? ""),
        providerCode: String(input.provider ?? ""),
      };
      const target = simulators[system as keyof Simulators] as unknown as Record<
        string,
        (...a: unknown[]) => Promise<unknown>
      >;
      try {
        send(200, (await target[op]!.call(target, ctx, ...argNames.map((n) => input[n]))) ?? null);
      } catch (err) {
        if (err instanceof ProviderError) return send(err.retryable ? 503 : 422, { error: err.message });
        throw err;
      }
    })().catch((err: unknown) => {
      if (!res.headersSent) send(500, { error: err instanceof Error ? err.message : String(err) });
    });
  });
}
