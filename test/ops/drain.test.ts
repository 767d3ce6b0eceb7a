import { Agent, request } from "node:http";
import Fastify, { type FastifyInstance } from "fastify";
import { afterEach, describe, expect, it } from "vitest";
import { closeGracefully } from "../../src/ops/drain.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("closeGracefully", () => {
  let app: FastifyInstance | undefined;
  let agent: Agent | undefined;
  afterEach(async () => {
    agent?.destroy();
    await app?.close();
  });

  it("finishes the request in flight and returns at once, though the client keeps its connection alive", async () => {
    app = Fastify();
    app.get("/slow", async () => {
      await sleep(400);
      return { done: true };
    });
    await app.listen({ host: "127.0.0.1", port: 0 });
    const { port } = app.server.address() as { port: number };
    // As a proxy with upstream keep-alive does: the connection would be held for a minute.
    agent = new Agent({ keepAlive: true, timeout: 60_000 });
    const answered = new Promise<{ status: number; body: string }>((resolve, reject) => {
      request({ host: "127.0.0.1", port, path: "/slow", agent }, (res) => {
        let body = "";
        res.on("data", (d) => (body += d));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      })
        .on("error", reject)
        .end();
    });
    await sleep(100);
    const started = Date.now();
    await closeGracefully(app);
    const tookMs = Date.now() - started;

    expect(await answered).toEqual({ status: 200, body: '{"done":true}' });
    expect(tookMs).toBeLessThan(2_000);
  });
});
