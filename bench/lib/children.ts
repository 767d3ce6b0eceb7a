/**
 * Starting and stopping the benchmark's server processes. A server is compiled first (esbuild,
 * one file, packages left to node_modules) and run by plain node, as production runs the
 * compiled `dist/`: under tsx a loader thread would add its own memory and start-up to the figures.
 */
import { type ChildProcess, execFileSync, fork } from "node:child_process";
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
/** Two levels under the root, like dist/<dir>/, so the sources' `../../providers` still resolve. */
const OUT_DIR = `${ROOT}.tmp/bench`;

export interface Child {
  pid: number;
  port: number;
  /** From fork to listening: start-up, including migrations and priming the simulators. */
  startSeconds: number;
  proc: ChildProcess;
  stop(): Promise<void>;
}

function compile(script: string): string {
  mkdirSync(OUT_DIR, { recursive: true });
  const out = `${OUT_DIR}/${script.replace(/\.ts$/, ".mjs")}`;
  execFileSync(
    `${ROOT}node_modules/.bin/esbuild`,
    [
      `${ROOT}bench/lib/${script}`,
      "--bundle",
      "--platform=node",
      "--format=esm",
      "--target=node20",
      "--packages=external",
      "--log-level=warning",
      `--outfile=${out}`,
    ],
    { stdio: "inherit" },
  );
  return out;
}

/**
 * Runs `bench/lib/<script>` compiled, with `env`; resolves once it listens. `nodeArgs` go to that
 * node (e.g. `--cpu-prof` to see where the server spends its time).
 */
export async function startChild(
  script: string,
  env: Record<string, string>,
  o: { nodeArgs?: string[]; startTimeoutMs?: number } = {},
): Promise<Child> {
  const file = compile(script);
  const started = process.hrtime.bigint();
  const timeoutMs = o.startTimeoutMs ?? 120_000;
  const proc = fork(file, [], {
    execArgv: o.nodeArgs ?? [],
    env: { ...process.env, ...env },
    // Logs go to /dev/null: written as in production, but nobody pays for reading them.
    stdio: ["ignore", "ignore", "inherit", "ipc"],
  });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      proc.kill("SIGKILL");
      reject(new Error(`${script} did not start in ${timeoutMs / 1000} s`));
    }, timeoutMs);
    proc.once("message", (m: { port: number }) => {
      clearTimeout(timer);
      resolve(m.port);
    });
    proc.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited (${code ?? signal}) before listening`));
    });
  });
  const startSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  proc.removeAllListeners("exit");
  return {
    pid: proc.pid!,
    port,
    startSeconds,
    proc,
    stop: () =>
      new Promise((resolve) => {
        if (proc.exitCode !== null) return resolve();
        proc.once("exit", () => resolve());
        proc.kill("SIGTERM");
      }),
  };
}
