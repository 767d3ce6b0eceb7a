/**
 * Starting and stopping the benchmark's server processes. A server is compiled first (esbuild,
 * dynamic imports split out as chunks, packages left to node_modules) and run by plain node, as production runs the
 * compiled `dist/`: under tsx a loader thread would add its own memory and start-up to the figures.
 */
import { type ChildProcess, execFileSync, fork } from "node:child_process";
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
/**
 * Two levels under the root, like dist/<dir>/, so the sources' `../../providers` still resolve;
 * one directory per benchmark process, compiled once, so that the sources changing while a long
 * benchmark runs (or another benchmark compiling) cannot change what it measures halfway.
 */
const OUT_DIR = `${ROOT}.tmp/bench-${process.pid}`;
process.on("exit", () => rmSync(OUT_DIR, { recursive: true, force: true }));
const compiled = new Map<string, string>();

export interface Child {
  pid: number;
  port: number;
  /** From fork to listening: start-up, including migrations and priming the simulators. */
  startSeconds: number;
  proc: ChildProcess;
  stop(): Promise<void>;
}

function compile(script: string): string {
  const done = compiled.get(script);
  if (done) return done;
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
      // Dynamic imports stay separate chunks, loaded when first used, as in the compiled dist/.
      "--splitting",
      "--out-extension:.js=.mjs",
      `--outdir=${OUT_DIR}`,
    ],
    { stdio: "inherit" },
  );
  compiled.set(script, out);
  return out;
}

/**
 * Runs `bench/lib/<script>` compiled, with `env`; resolves once it listens. `nodeArgs` go to that
 * node after the production flags (e.g. `--cpu-prof` to see where the server spends its time).
 */
/**
 * The V8 flags production runs with: those on the `zhuxiao` command's first line (the same as in
 * `npm start` and docs/deploy.md), so a benchmark's server has the memory settings users get.
 */
export const PRODUCTION_NODE_FLAGS: string[] = readFileSync(`${ROOT}src/cli/main.ts`, "utf8")
  .split("\n", 1)[0]!
  .split(/\s+/)
  .filter((w) => w.startsWith("--"));

export async function startChild(
  script: string,
  env: Record<string, string>,
  o: { nodeArgs?: string[]; startTimeoutMs?: number } = {},
): Promise<Child> {
  const file = compile(script);
  const started = process.hrtime.bigint();
  const timeoutMs = o.startTimeoutMs ?? 120_000;
  const proc = fork(file, [], {
    execArgv: [...PRODUCTION_NODE_FLAGS, ...(o.nodeArgs ?? [])],
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
