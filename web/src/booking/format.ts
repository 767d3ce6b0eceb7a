/** How the booking screens word dates and predicted waits. */
import type { TFunction } from "i18next";
import type { Prediction } from "./types";

/** "11月27日 周四" / "Thu, Nov 27" for a branch-local date (YYYY-MM-DD). */
export function formatLocalDate(date: string, lang: string): string {
  return new Intl.DateTimeFormat(lang === "en" ? "en-GB" : "zh-CN", {
    month: lang === "en" ? "short" : "long",
    day: "numeric",
    weekday: "short",
    timeZone: "UTC",
  }).format(new Date(`${date}T00:00:00Z`));
}

/** The predicted wait in words: "about 4 min", "under 1 min", or that the queue keeps growing. */
export function waitText(p: Prediction, t: TFunction): string {
  if (p.saturated || p.expectedWaitMinutes === null) return t("wait.saturated");
  if (p.expectedWaitMinutes < 1) return t("wait.underOne");
  return t("wait.minutes", { minutes: Math.round(p.expectedWaitMinutes) });
}

/** A probability as a whole percentage ("<1%" rather than a misleading 0%). */
export function percent(p: number): string {
  if (p > 0 && p < 0.01) return "<1%";
  return `${Math.round(p * 100)}%`;
}
