/**
 * The console's own texts, in the "console" namespace, added from the console's chunk so the
 * portal's first screen never carries them. Shared texts (statuses, card kinds, errors.<CODE>) are
 * read from the portal's "translation" namespace, which useConsoleT lists second.
 */
import { useTranslation } from "react-i18next";
import i18next from "../i18n";
import en from "./locales/en.json";
import zhCN from "./locales/zh-CN.json";

let added = false;
export function addConsoleTexts(): void {
  if (added) return;
  i18next.addResourceBundle("zh-CN", "console", zhCN, true, true);
  i18next.addResourceBundle("en", "console", en, true, true);
  added = true;
}
addConsoleTexts();

/** `t` looking in the console's texts first, then the portal's. */
export function useConsoleT() {
  return useTranslation(["console", "translation"], { nsMode: "fallback" });
}
