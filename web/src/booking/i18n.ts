/**
 * The booking page's own texts, in the "booking" namespace, added from the booking chunk so the
 * portal's first screen never carries them. Shared texts (errors.<CODE>, common.*) are read from
 * the portal's "translation" namespace, which useBookingT lists second.
 */
import { useTranslation } from "react-i18next";
import i18next from "../i18n";
import en from "./locales/en.json";
import zhCN from "./locales/zh-CN.json";

let added = false;
function addBookingTexts(): void {
  if (added) return;
  i18next.addResourceBundle("zh-CN", "booking", zhCN, true, true);
  i18next.addResourceBundle("en", "booking", en, true, true);
  added = true;
}
addBookingTexts();

/** `t` looking in the booking texts first, then the portal's. */
export function useBookingT() {
  return useTranslation(["booking", "translation"], { nsMode: "fallback" });
}
