/**
 * What a process loads at start: the packages that only some processes need are imported where
 * they are first used (dynamically), so that an API process on SQLite does not carry them (each is
 * megabytes of heap: docs/performance.md). This follows the static imports from the `zhuxiao`
 * command's entry point through the sources, as node would load them.
 */
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), "../src");

/** Modules a file imports for their values (type-only imports are erased by the compiler). */
function valueImports(source: string): string[] {
  const out: string[] = [];
  const from = /^(?:import|export)\s+(type\s+)?([^;]*?)\s*from\s*"([^"]+)"/gms;
  for (const m of source.matchAll(from)) {
    if (m[1]) continue;
    const names = m[2]!
      .replace(/^\{|\}$/g, "")
      .split(",")
      .map((n) => n.trim())
      .filter(Boolean);
    const braces = m[2]!.trim().startsWith("{");
    if (braces && names.length > 0 && names.every((n) => n.startsWith("type "))) continue;
    out.push(m[3]!);
  }
  for (const m of source.matchAll(/^import\s+"([^"]+)"/gm)) out.push(m[1]!);
  return out;
}

/** The packages reached from `entry` by static imports. */
function packagesReached(entry: string): Set<string> {
  const seen = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const spec of valueImports(readFileSync(file, "utf8"))) {
      if (spec.startsWith(".")) visit(join(dirname(file), spec.replace(/\.js$/, ".ts")));
      else if (!spec.startsWith("node:"))
        packages.add(
          spec
            .split("/")
            .slice(0, spec.startsWith("@") ? 2 : 1)
            .join("/"),
        );
    }
  };
  visit(entry);
  return packages;
}

describe("packages loaded at start", () => {
  const loaded = packagesReached(join(SRC, "cli/main.ts"));

  it("finds what every process needs (the walk itself works)", () => {
    for (const p of ["fastify", "better-sqlite3", "kysely", "zod", "commander"]) expect(loaded).toContain(p);
  });

  it("leaves PostgreSQL's driver, mail, receipt verification, PDFs and graphile-worker until used", () => {
    for (const p of ["pg", "nodemailer", "jose", "pdfkit", "graphile-worker"])
      expect(loaded).not.toContain(p);
  });
});
