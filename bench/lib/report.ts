/**
 * What every benchmark reports: the machine, the settings, the figures; a table on the console,
 * `bench/results/<name>.json`, and the benchmark's section of docs/performance.md.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, release, totalmem } from "node:os";
import { fileURLToPath } from "node:url";
import BetterSqlite3 from "better-sqlite3";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

export function machine() {
  const mem = new BetterSqlite3(":memory:");
  const sqlite = (mem.prepare("select sqlite_version() as v").get() as { v: string }).v;
  mem.close();
  return {
    cores: cpus().length,
    cpu: cpus()[0]?.model ?? "unknown",
    memoryGB: Math.round(totalmem() / 1e9),
    node: process.version,
    os: `${process.platform} ${release()}`,
    sqlite,
  };
}

/** The database settings the server runs with (src/db/connect.ts), stated in every result. */
export const SQLITE_SETTINGS = {
  journalMode: "WAL",
  synchronous: "FULL",
  foreignKeys: "ON",
  writes: "BEGIN IMMEDIATE, one write connection per process (group commit), one read connection",
} as const;

export type Row = Record<string, string | number>;

export function fmt(n: number, digits = 1): string {
  if (!Number.isFinite(n)) return "–";
  return n >= 100 ? Math.round(n).toLocaleString("en-US") : n.toFixed(digits);
}

export function markdownTable(rows: Row[]): string {
  if (rows.length === 0) return "";
  const cols = Object.keys(rows[0]!);
  const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
  return [
    line(cols),
    line(cols.map(() => "---")),
    ...rows.map((r) => line(cols.map((c) => String(r[c] ?? "")))),
  ].join("\n");
}

/** Writes the JSON result and the doc section, and prints the table. */
export function publish(name: string, result: object, section: string): void {
  const dir = `${ROOT}bench/results`;
  mkdirSync(dir, { recursive: true });
  writeFileSync(`${dir}/${name}.json`, `${JSON.stringify(result, null, 2)}\n`);
  const doc = `${ROOT}docs/performance.md`;
  const begin = `<!-- bench:${name} -->`;
  const end = `<!-- /bench:${name} -->`;
  const text = existsSync(doc) ? readFileSync(doc, "utf8") : "# Performance\n";
  const block = `${begin}\n${section.trim()}\n${end}`;
  const i = text.indexOf(begin);
  const j = text.indexOf(end);
  const next =
    i >= 0 && j > i
      ? text.slice(0, i) + block + text.slice(j + end.length)
      : `${text.trimEnd()}\n\n${block}\n`;
  writeFileSync(doc, next);
  process.stdout.write(`\n${section.trim()}\n\nwrote bench/results/${name}.json and docs/performance.md\n`);
}

/** `--name value` options with defaults; numbers accept 1e6 and 1_000_000. */
export function options<T extends Record<string, number | string>>(defaults: T): T {
  const out: Record<string, number | string> = { ...defaults };
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i++) {
    const key = argv[i]!.replace(/^--/, "");
    if (!(key in defaults))
      throw new Error(`unknown option ${argv[i]}; known: ${Object.keys(defaults).join(", ")}`);
    const raw = argv[++i] ?? "";
    out[key] = typeof defaults[key] === "number" ? Number(raw.replaceAll("_", "")) : raw;
  }
  return out as T;
}

export function log(line: string): void {
  process.stdout.write(`${line}\n`);
}
