/**
 * The V8 flags the server runs with are written in three places (the command's first line,
 * `npm start` and the systemd unit in docs/deploy.md); the benchmarks read the first. They agree.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const root = new URL("../../", import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), "utf8");

describe("node flags", () => {
  const shebang = read("src/cli/main.ts").split("\n", 1)[0]!;
  const flags = shebang.split(/\s+/).filter((w) => w.startsWith("--"));

  it("are on the command's first line", () => {
    expect(shebang).toMatch(/^#!\/usr\/bin\/env -S node /);
    expect(flags).toContain("--max-semi-space-size=2");
    expect(flags).toContain("--heap-growing-percent=40");
    expect(flags).toContain("--no-allocation-site-pretenuring");
  });

  it("are the same in npm start and the systemd unit", () => {
    const start = (JSON.parse(read("package.json")) as { scripts: { start: string } }).scripts.start;
    expect(start).toContain(`node ${flags.join(" ")} dist/cli/main.js serve`);
    expect(read("docs/deploy.md")).toContain(
      `ExecStart=/usr/bin/node ${flags.join(" ")} dist/cli/main.js serve`,
    );
  });
});
