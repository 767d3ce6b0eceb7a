/**
 * A test SM-DP+ on 127.0.0.1: it takes ES9+ HandleNotification, checks the eUICC's signature
 * over the notification metadata with the key it trusts for that eUICC, and for a deletion tells
 * the operator — our server — through the signed provider webhook (`esim.profile_deleted`), as a
 * real SM-DP+ would through ES2+. Then it answers 204.
 */

import { type KeyObject, verify } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { SIGNATURE_HEADER, sign } from "../../../src/adapters/hmac.js";
import { ES9_PATH } from "../../../src/card/es9.js";
import { type NotificationMetadata, parseNotificationMetadata } from "../../../src/card/es10.js";
import { childrenOf, findTlv, parseOneTlv, tlv } from "../../../src/card/tlv.js";

export interface ReceivedNotification {
  metadata: NotificationMetadata;
  signatureValid: boolean;
  adminProtocol: string | undefined;
  webhook: { status: number; body: string } | null;
}

export interface TestSmdp {
  url: string;
  received: ReceivedNotification[];
  close(): Promise<void>;
}

export interface TestSmdpOptions {
  trustedKey: KeyObject;
  /** Our server's base URL, provider code and the shared HMAC secret. */
  operator: { baseUrl: string; providerCode: string; secret: string };
  /** Clock for the webhook signature (the server checks it against its own clock). */
  now: () => number;
}

async function body(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

export async function startTestSmdp(o: TestSmdpOptions): Promise<TestSmdp> {
  const received: ReceivedNotification[] = [];
  const server: Server = createServer(async (req, res) => {
    try {
      if (req.method !== "POST" || req.url !== ES9_PATH) {
        res.writeHead(404).end();
        return;
      }
      const json = JSON.parse(await body(req)) as { pendingNotification?: string };
      if (typeof json.pendingNotification !== "string") {
        res.writeHead(400).end();
        return;
      }
      const der = new Uint8Array(Buffer.from(json.pendingNotification, "base64"));
      const parts = childrenOf(parseOneTlv(der));
      const meta = findTlv(parts, 0xbf2f);
      const signature = findTlv(parts, 0x5f37);
      if (!meta || !signature) {
        res.writeHead(400).end();
        return;
      }
      const signed = tlv(meta.tag, meta.value);
      const signatureValid = verify(
        "sha256",
        signed,
        { key: o.trustedKey, dsaEncoding: "ieee-p1363" },
        signature.value,
      );
      const entry: ReceivedNotification = {
        metadata: parseNotificationMetadata(meta),
        signatureValid,
        adminProtocol: req.headers["x-admin-protocol"] as string | undefined,
        webhook: null,
      };
      received.push(entry);
      if (!signatureValid) {
        res.writeHead(400).end();
        return;
      }
      if (entry.metadata.events.includes("delete") && entry.metadata.iccid) {
        const event = JSON.stringify({
          type: "esim.profile_deleted",
          eventId: `smdp-${entry.metadata.seq}-${entry.metadata.iccid}`,
          iccid: entry.metadata.iccid,
        });
        const r = await fetch(`${o.operator.baseUrl}/api/v1/webhooks/${o.operator.providerCode}`, {
          method: "POST",
          body: event,
          headers: {
            "content-type": "application/json",
            [SIGNATURE_HEADER]: sign(o.operator.secret, event, o.now()),
          },
        });
        entry.webhook = { status: r.status, body: await r.text() };
      }
      res.writeHead(204).end();
    } catch (err) {
      res.writeHead(500, { "content-type": "text/plain" }).end(String(err));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
