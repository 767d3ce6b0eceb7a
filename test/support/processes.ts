/**
 * `zhuxiao` commands as child processes on 127.0.0.1 for the multi-process proofs: started from
 * the sources, their output kept for failure messages, each stopped by the test that started it.
 */
import { type ChildProcess, spawn } from "node:child_process";

export interface ZhuxiaoProcess {
  name: string;
  child: ChildProcess;
  output(): string;
  /** Sends the signal and waits for the exit (at once when already gone). */
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export function spawnZhuxiao(name: string, args: string[], env: Record<string, string>): ZhuxiaoProcess {
  const child = spawn(process.execPath, ["--import", "tsx", "src/cli/main.ts", ...args], {
    env: { PATH: process.env.PATH ?? "", HOST: "127.0.0.1", LOG_LEVEL: "warn", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout?.on("data", (d) => {
    out = (out + d).slice(-20_000);
  });
  child.stderr?.on("data", (d) => {
    out = (out + d).slice(-20_000);
  });
  return {
    name,
    child,
    output: () => out,
    kill: (signal = "SIGTERM") =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const hard = setTimeout(() => child.kill("SIGKILL"), 10_000);
        child.once("exit", () => {
          clearTimeout(hard);
          resolve();
        });
        child.kill(signal);
      }),
  };
}

/** Polls `probe` until it returns true; throws with `describe()` after `timeoutMs`. */
export async function waitFor(
  probe: () => Promise<boolean>,
  timeoutMs: number,
  describe: () => string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await probe()) return;
    } catch {
      // not there yet
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${describe()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
