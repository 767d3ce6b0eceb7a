/**
 * Texts in zh-CN (the default, bundled with the first screen) and English (fetched when chosen).
 * The choice is remembered on this device, and sent to the server for signed-in holders so their
 * SMS come in the same language.
 */
import i18next from "i18next";
import { initReactI18next } from "react-i18next";
import { setApiLanguage } from "./api/client";
import type { Lang } from "./api/types";
import zhCN from "./locales/zh-CN.json";

const STORAGE_KEY = "zx.lang";
export const LANGS: readonly Lang[] = ["zh-CN", "en"];

export function storedLanguage(): Lang | null {
  try {
    const v = localStorage.getItem(STORAGE_KEY);
    return v === "en" || v === "zh-CN" ? v : null;
  } catch {
    return null;
  }
}

function remember(lang: Lang): void {
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // storage unavailable: the choice lasts for this page only
  }
}

async function ensureLoaded(lang: Lang): Promise<void> {
  if (i18next.hasResourceBundle(lang, "translation")) return;
  const mod = lang === "en" ? await import("./locales/en.json") : { default: zhCN };
  i18next.addResourceBundle(lang, "translation", mod.default, true, true);
}

function applyToDocument(lang: Lang): void {
  document.documentElement.lang = lang;
  document.title = i18next.t("app.title");
  setApiLanguage(lang);
}

export async function initI18n(): Promise<void> {
  const lang = storedLanguage() ?? "zh-CN";
  await i18next.use(initReactI18next).init({
    resources: { "zh-CN": { translation: zhCN } },
    lng: "zh-CN",
    fallbackLng: "zh-CN",
    supportedLngs: LANGS as Lang[],
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  if (lang !== "zh-CN") {
    try {
      await ensureLoaded(lang);
      await i18next.changeLanguage(lang);
    } catch {
      // The English texts could not be fetched: carry on in Chinese rather than show nothing.
    }
  }
  applyToDocument(i18next.language as Lang);
}

/** Switch the portal's language; `persist` is false when adopting the holder's saved preference. */
export async function switchLanguage(lang: Lang, persist = true): Promise<void> {
  await ensureLoaded(lang);
  await i18next.changeLanguage(lang);
  if (persist) remember(lang);
  applyToDocument(lang);
}

export function currentLanguage(): Lang {
  return i18next.language === "en" ? "en" : "zh-CN";
}

export default i18next;
