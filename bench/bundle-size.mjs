#!/usr/bin/env node
/**
 * How much JavaScript the portal's first screen makes a new visitor download, gzipped, against a
 * budget of 350 KB. The first screen is sign-in ("/" sends a visitor without a session there), so
 * it counts the entry chunk with everything it imports statically (the modulepreloads in
 * index.html) plus the sign-in route's lazy chunk and its own static imports, as listed in Vite's
 * build manifest. Other routes are loaded when visited and do not count.
 *
 *   npm run build:web && node bench/bundle-size.mjs
 *
 * Prints the figure and its ratio to the budget, writes bench/results/bundle-size.json, and exits
 * with 1 when over budget. 1 KB = 1024 bytes; gzip level 9, as a static server would precompress.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(root, "web", "dist");
const manifestPath = join(dist, ".vite", "manifest.json");
const BUDGET_KB = 350;
const FIRST_SCREEN_ROUTE = "src/pages/sign-in-page.tsx";

if (!existsSync(manifestPath)) {
  console.error(`no build manifest at ${manifestPath}: run \`npm run build:web\` first`);
  process.exit(2);
}
const manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
const entryKey = Object.keys(manifest).find((k) => manifest[k].isEntry);
if (!entryKey) throw new Error("the manifest has no entry chunk");
if (!manifest[FIRST_SCREEN_ROUTE]) throw new Error(`the manifest has no chunk for ${FIRST_SCREEN_ROUTE}`);

/** A chunk and everything it imports statically, each once. */
function closure(key, seen = new Set()) {
  if (seen.has(key)) return seen;
  seen.add(key);
  for (const dep of manifest[key].imports ?? []) closure(dep, seen);
  return seen;
}

const keys = closure(FIRST_SCREEN_ROUTE, closure(entryKey));
const files = [...keys]
  .map((k) => manifest[k].file)
  .filter((f) => f.endsWith(".js"))
  .map((file) => {
    const bytes = readFileSync(join(dist, file));
    return { file, bytes: bytes.length, gzipBytes: gzipSync(bytes, { level: 9 }).length };
  })
  .sort((a, b) => b.gzipBytes - a.gzipBytes);
const css = [...keys].flatMap((k) => manifest[k].css ?? []);
const cssGzip = [...new Set(css)].reduce(
  (n, f) => n + gzipSync(readFileSync(join(dist, f)), { level: 9 }).length,
  0,
);

const gzipBytes = files.reduce((n, f) => n + f.gzipBytes, 0);
const rawBytes = files.reduce((n, f) => n + f.bytes, 0);
const kb = (n) => Math.round((n / 1024) * 10) / 10;
const ratio = gzipBytes / (BUDGET_KB * 1024);
const result = {
  measuredAt: new Date().toISOString(),
  firstScreen: FIRST_SCREEN_ROUTE,
  budgetKB: BUDGET_KB,
  initialJsGzipKB: kb(gzipBytes),
  initialJsRawKB: kb(rawBytes),
  ratioToBudget: Math.round(ratio * 1000) / 1000,
  withinBudget: ratio <= 1,
  cssGzipKB: kb(cssGzip),
  files: files.map((f) => ({ file: f.file, rawKB: kb(f.bytes), gzipKB: kb(f.gzipBytes) })),
};

mkdirSync(join(root, "bench", "results"), { recursive: true });
writeFileSync(join(root, "bench", "results", "bundle-size.json"), `${JSON.stringify(result, null, 2)}\n`);

for (const f of result.files) console.log(`  ${String(f.gzipKB).padStart(7)} KB  ${f.file}`);
console.log(
  `initial JavaScript of the first screen: ${result.initialJsGzipKB} KB gzipped (${result.initialJsRawKB} KB raw, ` +
    `${files.length} files) = ${(ratio * 100).toFixed(1)}% of the ${BUDGET_KB} KB budget (ratio ${result.ratioToBudget})` +
    `${result.withinBudget ? "" : " — OVER BUDGET"}; CSS ${result.cssGzipKB} KB gzipped`,
);
process.exit(result.withinBudget ? 0 : 1);
