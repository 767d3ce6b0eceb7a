/** Runs the `zhuxiao` command from the sources in a child process, bounded in time. */
import { spawnSync } from "node:child_process";
import { databaseEnvFor } from "./database.js";

export function zhuxiao(
  args: string[],
  env: Record<string, string>,
): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ["--import", "tsx", "src/cli/main.ts", ...args], {
    // Against a harness's data dir, the CLI opens that harness's database (PostgreSQL project).
    env: {
      PATH: process.env.PATH ?? "",
      LOG_LEVEL: "silent",
      ...databaseEnvFor(env.ZHUXIAO_DATA_DIR),
      ...env,
    },
    encoding: "utf8",
    timeout: 60_000,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
