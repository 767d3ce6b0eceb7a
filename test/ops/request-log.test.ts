/**
 * The request log (src/http/logging.ts): one line per answered request, credentials never in it,
 * lines gathered into blocks and still all written: within a second, and at once when the server
 * closes.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { LOG_FLUSH_MS } from "../../src/http/logging.js";
import { buildServer } from "../../src/http/server.js";
import { Harness } from "../support/harness.js";

let h: Harness;
beforeAll(async () => {
  h = await Harness.start();
});
afterAll(async () => {
  await h.close();
});

/** A second server on the harness's runtime, logging at info into `file`. */
async function loggingServer(file: string, bufferKb: number): Promise<FastifyInstance> {
  const config = loadConfig({
    ZHUXIAO_DATA_DIR: h.dir,
    ZHUXIAO_LOG_BUFFER_KB: String(bufferKb),
  });
  const app = await buildServer(
    { ...h.rt.deps, config: { ...h.config, logBufferBytes: config.logBufferBytes } },
    {
      logLevel: "info",
      logTo: file,
    },
  );
  await app.ready();
  return app;
}

function lines(file: string): Array<Record<string, unknown>> {
  if (!existsSync(file)) return [];
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

function requestLines(file: string) {
  return lines(file).filter((l) => l.msg === "request completed");
}

async function until(check: () => boolean, ms: number): Promise<number> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > ms) throw new Error(`not true within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
  return Date.now() - started;
}

describe("request log", () => {
  it("writes one line per request, gathered, within a second, and everything at close", async () => {
    const file = join(h.dir, "logs", "gathered.log");
    const app = await loggingServer(file, 4);
    const session = await h.signInStaff("agent");
    const asked = Date.now();
    for (let i = 0; i < 3; i++) {
      const r = await app.inject({ method: "GET", url: "/api/v1/applications", headers: session.headers });
      expect(r.statusCode).toBe(200);
    }
    // Three lines are far below a 4 KB block: none is written yet…
    expect(requestLines(file)).toHaveLength(0);
    // …until the flush timer writes them.
    await until(() => requestLines(file).length === 3, LOG_FLUSH_MS * 3);
    expect(Date.now() - asked).toBeGreaterThanOrEqual(LOG_FLUSH_MS / 2);

    const [line] = requestLines(file);
    expect(line).toMatchObject({ method: "GET", url: "/api/v1/applications", statusCode: 200, level: 30 });
    expect(typeof line!.reqId).toBe("string");
    expect(typeof line!.responseTime).toBe("number");

    // Lines logged just before the server closes are not left in the buffer.
    for (let i = 0; i < 2; i++) await app.inject({ method: "GET", url: "/healthz" });
    expect(requestLines(file)).toHaveLength(3);
    await app.close();
    expect(requestLines(file)).toHaveLength(5);
    // What is logged after the close (a shutdown's last words) is written at once.
    app.log.warn("after close");
    expect(lines(file).some((l) => l.msg === "after close")).toBe(true);
    const text = readFileSync(file, "utf8");
    expect(text).not.toContain(session.token);
    expect(text).not.toContain(session.csrfToken);
  });

  it("with ZHUXIAO_LOG_BUFFER_KB=0 writes each line as it comes", async () => {
    const file = join(h.dir, "logs", "each.log");
    const app = await loggingServer(file, 0);
    await app.inject({ method: "GET", url: "/healthz" });
    const waited = await until(() => requestLines(file).length === 1, LOG_FLUSH_MS * 3);
    expect(waited).toBeLessThan(LOG_FLUSH_MS / 2);
    await app.close();
  });

  it("lines still gathered are written when the process exits, also after an uncaught exception", () => {
    for (const ending of ["process.exit(3)", "throw new Error('boom')"]) {
      const file = join(h.dir, "logs", `exit-${ending.length}.log`);
      // Two short lines: far below a block, and the process ends before the flush timer.
      const script = `
        import { logDestination } from "./src/http/logging.ts";
        const d = logDestination(${JSON.stringify(file)}, 4096);
        setTimeout(() => {
          d.stream.write('{"n":1}\\n');
          d.stream.write('{"n":2}\\n');
          ${ending};
        }, 50);
      `;
      const r = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
        encoding: "utf8",
        timeout: 20_000,
      });
      expect(r.status, r.stderr).not.toBe(0);
      expect(lines(file)).toEqual([{ n: 1 }, { n: 2 }]);
    }
  });
});
