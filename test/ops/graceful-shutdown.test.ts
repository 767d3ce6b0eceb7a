import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type ServerProcess, staffToken, startServer } from "../support/server-process.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("graceful shutdown on SIGTERM", () => {
  let server: ServerProcess | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    await server?.kill("SIGKILL");
    server = undefined;
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("stops accepting, finishes the request in flight, stops the worker, closes the database, exits 0", async () => {
    dir = mkdtempSync(join(tmpdir(), "zhuxiao-shutdown-"));
    server = await startServer(dir, { ZHUXIAO_WORKER: "true" });
    const token = await staffToken(server.base, dir, "agent");
    const exited = new Promise<number | null>((resolve) =>
      server!.child.once("exit", (code) => resolve(code)),
    );

    // A slow request: its headers arrive now, its body a second later, well after the signal.
    const body = JSON.stringify({
      cardId: "card_demo_debit_clean",
      submit: true,
      backup: { status: "done" },
    });
    const { port } = new URL(server.base);
    const answered = new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(
        {
          host: "127.0.0.1",
          port,
          // One connection for one request: a kept-alive one would hold the exit until the client
          // lets go, which src/ops/drain.ts is for.
          agent: false,
          method: "POST",
          path: "/api/v1/applications",
          headers: {
            "content-type": "application/json",
            "content-length": Buffer.byteLength(body),
            authorization: `Bearer ${token}`,
            "idempotency-key": "shutdown-in-flight-1",
          },
        },
        (res) => {
          let text = "";
          res.on("data", (d) => (text += d));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
        },
      );
      req.on("error", reject);
      req.write(body.slice(0, 20));
      setTimeout(() => req.end(body.slice(20)), 1_500);
    });
    await sleep(300);
    server.child.kill("SIGTERM");
    await sleep(500);

    // Still alive, finishing the request, but no longer taking new connections.
    expect(server.child.exitCode).toBeNull();
    await expect(fetch(`${server.base}/healthz`)).rejects.toThrow();

    const t0 = Date.now();
    const r = await answered;
    console.log("answered", Date.now() - t0);
    expect(r.status, r.body).toBe(201);
    expect((JSON.parse(r.body) as { application: { status: string } }).application.status).toBe("submitted");
    const code = await exited;
    console.log("exited", Date.now() - t0);
    expect(code).toBe(0);
    // The last connection closed cleanly: SQLite checkpointed the WAL into the database and removed it.
    expect(existsSync(join(dir, "zhuxiao.db-wal"))).toBe(false);
    expect(server.output()).not.toMatch(/unhandled|ERR_/i);
  });
});
