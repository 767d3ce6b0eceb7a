/** A fake HTTP SMS gateway on 127.0.0.1: records each request and answers as the test says. */
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

export interface GatewayRequest {
  headers: IncomingHttpHeaders;
  body: { to: string; text: string; reference: string; language: string };
}

export interface FakeGateway {
  url: string;
  requests: GatewayRequest[];
  /** The status for each request in turn; 200 once the list runs out. */
  statuses: number[];
  close(): Promise<void>;
}

export async function startFakeGateway(): Promise<FakeGateway> {
  const gw: FakeGateway = { url: "", requests: [], statuses: [], close: async () => {} };
  const server = createServer((req, res) => {
    let raw = "";
    req.on("data", (c: Buffer) => {
      raw += c.toString();
    });
    req.on("end", () => {
      gw.requests.push({ headers: req.headers, body: JSON.parse(raw) });
      const status = gw.statuses.shift() ?? 200;
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(status < 300 ? { id: `gw-${gw.requests.length}` } : { error: "refused" }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  gw.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/sms`;
  gw.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return gw;
}
