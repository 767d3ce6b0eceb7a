#!/usr/bin/env node
// Runs every suite (type check, lint, Vitest unit + integration) and ends with one line:
// `N passed, N failed[, N skipped]`, summed over all of them. A suite that cannot even load counts
// as failed, so nothing is skipped silently.
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync } from "node:fs";

const bin = (name) => `node_modules/.bin/${name}`;
let passed = 0;
let failed = 0;
let skipped = 0;

function step(name, cmd, args) {
  process.stdout.write(`\n== ${name}: ${cmd} ${args.join(" ")}\n`);
  const r = spawnSync(cmd, args, { stdio: "inherit", env: process.env });
  return r.status ?? 1;
}

for (const [name, cmd, args] of [
  ["typecheck", bin("tsc"), ["-p", "tsconfig.json", "--noEmit"]],
  ["typecheck web", bin("tsc"), ["-p", "web/tsconfig.json", "--noEmit"]],
  ["typecheck bench", bin("tsc"), ["-p", "bench/tsconfig.json", "--noEmit"]],
  ["lint", bin("biome"), ["check", "."]],
]) {
  if (step(name, cmd, args) === 0) passed++;
  else {
    failed++;
    process.stdout.write(`!! ${name} failed\n`);
  }
}

mkdirSync(".tmp", { recursive: true });
const report = ".tmp/vitest-report.json";
rmSync(report, { force: true });
const extra = process.argv.slice(2);
const code = step("vitest", bin("vitest"), [
  "run",
  "--reporter=default",
  "--reporter=json",
  `--outputFile.json=${report}`,
  ...extra,
]);
try {
  const r = JSON.parse(readFileSync(report, "utf8"));
  passed += r.numPassedTests;
  failed += r.numFailedTests;
  skipped += r.numPendingTests + r.numTodoTests;
  // A test file that failed to load has no tests in it but must still count.
  for (const suite of r.testResults ?? []) {
    if (suite.status === "failed" && (suite.assertionResults ?? []).length === 0) failed++;
  }
  if (code !== 0 && r.numFailedTests === 0 && failed === 0) failed++;
} catch {
  process.stdout.write("!! vitest produced no report\n");
  failed++;
}

process.stdout.write(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}\n`);
process.exit(failed > 0 ? 1 : 0);
