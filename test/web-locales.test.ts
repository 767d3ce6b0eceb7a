/**
 * The portal's texts: both languages have the same keys, every error code of the server's
 * catalogue has a text in both (problem+json `i18nKey` = `errors.<CODE>`), and every key the
 * portal's code asks for exists.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { LOCALE_FILES, mergeErrors } from "../scripts/generate-web-locales.js";
import { ERROR_CATALOGUE } from "../src/app/errors.js";

type Tree = { [key: string]: string | string[] | Tree };

const locales = Object.fromEntries(
  Object.entries(LOCALE_FILES).map(([lang, file]) => [lang, JSON.parse(readFileSync(file, "utf8")) as Tree]),
) as Record<keyof typeof LOCALE_FILES, Tree>;

function flatten(tree: Tree, prefix = ""): Map<string, string | string[]> {
  const out = new Map<string, string | string[]>();
  for (const [k, v] of Object.entries(tree)) {
    if (typeof v === "string" || Array.isArray(v)) out.set(prefix + k, v);
    else for (const [kk, vv] of flatten(v, `${prefix}${k}.`)) out.set(kk, vv);
  }
  return out;
}

function placeholders(text: string | string[]): string[] {
  return [
    ...new Set([text].flat().flatMap((s) => [...s.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]!))),
  ].sort();
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx)$/.test(name) ? [path] : [];
  });
}

const zh = flatten(locales["zh-CN"]);
const en = flatten(locales.en);
const codes = Object.keys(ERROR_CATALOGUE);

describe("portal locales", () => {
  it("have the same keys in zh-CN and English", () => {
    expect(
      [...en.keys()].filter((k) => !zh.has(k)),
      "in en.json only",
    ).toEqual([]);
    expect(
      [...zh.keys()].filter((k) => !en.has(k)),
      "in zh-CN.json only",
    ).toEqual([]);
  });

  it("translate every code of the error catalogue in both languages, and nothing else", () => {
    for (const [lang, tree] of Object.entries(locales)) {
      const errors = (tree.errors ?? {}) as Tree;
      expect(
        codes.filter((c) => typeof errors[c] !== "string" || (errors[c] as string).trim() === ""),
        `codes missing from ${lang} (run: npx tsx scripts/generate-web-locales.ts)`,
      ).toEqual([]);
      expect(
        Object.keys(errors).filter((c) => !codes.includes(c)),
        `codes in ${lang} that the catalogue no longer has`,
      ).toEqual([]);
    }
  });

  it("are what the generator would write (nothing to merge)", () => {
    for (const lang of Object.keys(LOCALE_FILES) as Array<keyof typeof LOCALE_FILES>) {
      expect(Object.keys(mergeErrors(locales[lang], lang).errors ?? {})).toEqual(
        Object.keys(locales[lang].errors as Tree),
      );
    }
  });

  it("use the same placeholders in both languages, and no empty texts", () => {
    // A singular form may spell the number out ("the card") instead of showing {{count}}.
    const names = (k: string, v: string | string[]) =>
      placeholders(v)
        .filter((p) => !(k.endsWith("_one") && p === "count"))
        .join();
    const differing = [...zh.keys()].filter(
      (k) => en.has(k) && names(k, zh.get(k)!) !== names(k, en.get(k)!),
    );
    expect(differing).toEqual([]);
    const empty = [...zh, ...en].filter(([, v]) => [v].flat().some((s) => s.trim() === "")).map(([k]) => k);
    expect(empty).toEqual([]);
  });

  it("have every key the portal's code asks for by name", () => {
    const missing: string[] = [];
    // The back-office console (web/src/console) and the booking page (web/src/booking) keep texts
    // of their own.
    const own = [join("web", "src", "console"), join("web", "src", "booking")];
    for (const file of sourceFiles("web/src").filter((f) => !own.some((dir) => f.startsWith(dir)))) {
      const text = readFileSync(file, "utf8");
      for (const m of text.matchAll(/\bt\(\s*"([A-Za-z0-9_.]+)"/g)) {
        const key = m[1]!;
        if (!zh.has(key) && !zh.has(`${key}_other`)) missing.push(`${file}: ${key}`);
      }
    }
    expect(missing).toEqual([]);
  });
});

describe("booking page locales", () => {
  const booking = Object.fromEntries(
    (["zh-CN", "en"] as const).map((lang) => [
      lang,
      flatten(JSON.parse(readFileSync(`web/src/booking/locales/${lang}.json`, "utf8")) as Tree),
    ]),
  ) as Record<"zh-CN" | "en", Map<string, string | string[]>>;

  it("have the same keys and placeholders in zh-CN and English", () => {
    expect([...booking.en.keys()].sort()).toEqual([...booking["zh-CN"].keys()].sort());
    const differing = [...booking["zh-CN"]].filter(
      ([k, v]) => placeholders(v).join() !== placeholders(booking.en.get(k) ?? "").join(),
    );
    expect(differing.map(([k]) => k)).toEqual([]);
  });

  it("have every key the booking page asks for (its own texts, then the portal's)", () => {
    const missing: string[] = [];
    for (const file of sourceFiles(join("web", "src", "booking"))) {
      for (const m of readFileSync(file, "utf8").matchAll(/\bt\(\s*"([A-Za-z0-9_.]+)"/g)) {
        const key = m[1]!;
        if (!booking["zh-CN"].has(key) && !zh.has(key)) missing.push(`${file}: ${key}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
