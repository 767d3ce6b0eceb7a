/**
 * Writes the portal's `errors` texts (web/src/locales/{zh-CN,en}.json) from the server's error
 * catalogue, so that every problem+json `i18nKey` (`errors.<CODE>`) has a translation in both
 * languages. Texts already in the files are kept (they may have been reworded for the portal);
 * codes new in the catalogue are added with its titles; codes gone from it are dropped.
 * `--refresh` rewrites every text from the catalogue. test/web-locales.test.ts checks the result.
 *
 *   npx tsx scripts/generate-web-locales.ts [--refresh]
 */
import { readFileSync, writeFileSync } from "node:fs";
import { ERROR_CATALOGUE } from "../src/app/errors.js";

export const LOCALE_FILES = {
  "zh-CN": "web/src/locales/zh-CN.json",
  en: "web/src/locales/en.json",
} as const;

type Locale = Record<string, unknown> & { errors?: Record<string, string> };

/** The locale with its `errors` section rebuilt in catalogue order. */
export function mergeErrors(locale: Locale, lang: keyof typeof LOCALE_FILES, refresh = false): Locale {
  const existing = locale.errors ?? {};
  const errors: Record<string, string> = {};
  for (const [code, spec] of Object.entries(ERROR_CATALOGUE)) {
    const fromCatalogue = lang === "en" ? spec.en : spec.zh;
    errors[code] = !refresh && typeof existing[code] === "string" ? existing[code] : fromCatalogue;
  }
  return { ...locale, errors };
}

function main(): void {
  const refresh = process.argv.includes("--refresh");
  for (const [lang, file] of Object.entries(LOCALE_FILES) as Array<[keyof typeof LOCALE_FILES, string]>) {
    const locale = JSON.parse(readFileSync(file, "utf8")) as Locale;
    const merged = mergeErrors(locale, lang, refresh);
    writeFileSync(file, `${JSON.stringify(merged, null, 2)}\n`);
    process.stdout.write(`${file}: ${Object.keys(merged.errors ?? {}).length} error texts\n`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) main();
