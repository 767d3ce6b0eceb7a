/** Runs the `zhuxiao` command from the sources in a child process, bounded in time. */
import { spawnSync } from "node:child_process";

export function zhuxiao(
  args: string[],
  env: Record<string, string>,
): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ["--import", "tsx", "src/cli/main.ts", ...args], {
    env: { PATH: process.env.PATH ?? "", LOG_LEVEL: "silent", ...env },
    encoding: "utf8",
    timeout: 60_000,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
