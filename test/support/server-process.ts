/**
 * The real server as a child process on 127.0.0.1, for tests that kill it, fill its disk or cut
 * its connections. Stopped by the test that started it.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export interface ServerProcess {
  base: string;
  child: ChildProcess;
  output: () => string;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** Servers started here and still running: their output is shown when a test fails. */
const running = new Set<ServerProcess>();

/** The last `chars` of each running server's output (standard output and error), for a failure report. */
export function runningServersOutput(chars = 4000): string {
  return [...running]
    .map(
      (s) =>
        `--- server ${s.base} (pid ${s.child.pid}), last ${chars} characters of its output ---\n${s.output().slice(-chars) || "(nothing)"}`,
    )
    .join("\n");
}

export async function startServer(
  dataDir: string,
  env: Record<string, string> = {},
  port?: number,
): Promise<ServerProcess> {
  const p = port ?? (await freePort());
  const child = spawn(process.execPath, ["--import", "tsx", "src/cli/main.ts", "serve", "--demo"], {
    env: {
      ...process.env,
      ZHUXIAO_DATA_DIR: dataDir,
      HOST: "127.0.0.1",
      PORT: String(p),
      LOG_LEVEL: "warn",
      ZHUXIAO_SIM_LATENCY_MS: "0",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout?.on("data", (d) => (out += d));
  child.stderr?.on("data", (d) => (out += d));
  const base = `http://127.0.0.1:${p}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited early:\n${out}`);
    try {
      const r = await fetch(`${base}/healthz`);
      if (r.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`server did not come up:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const server: ServerProcess = {
    base,
    child,
    output: () => out,
    kill: (signal = "SIGTERM") =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill(signal);
      }),
  };
  running.add(server);
  child.once("exit", () => running.delete(server));
  return server;
}

export function staffPassword(dataDir: string, username: string): string {
  const line = readFileSync(join(dataDir, "demo-staff.txt"), "utf8")
    .split("\n")
    .find((l) => l.startsWith(`${username}\t`));
  if (!line) throw new Error(`no demo password for ${username}`);
  return line.split("\t")[2]!;
}

export async function staffToken(base: string, dataDir: string, username: string): Promise<string> {
  const r = await fetch(`${base}/api/v1/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username, password: staffPassword(dataDir, username) }),
  });
  if (!r.ok) throw new Error(`login failed: ${await r.text()}`);
  return ((await r.json()) as { token: string }).token;
}
