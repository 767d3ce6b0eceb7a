/**
 * What the portal says about a card: its name in the holder's language, and where it stands
 * (cancelled, an application under way, blocked, counter only, or ready to cancel online).
 */
import type { TFunction } from "i18next";
import type { Application, Card, Eligibility, Finding, JourneyStep, Lang, StepState } from "../api/types";
import { cardTail } from "./format";

/** "借记卡 尾号2755" as the provider named it in Chinese; built from the kind in English. */
export function cardName(card: Card, t: TFunction, lang: Lang): string {
  if (lang === "zh-CN" && card.label) return card.label;
  const kind = t(`card.kind.${card.kind}`);
  const relation = card.relation ? `${t(`card.relation.${card.relation}`)} · ` : "";
  const tail = cardTail(card);
  return tail ? `${relation}${kind} ${t("card.ending", { tail })}` : `${relation}${kind}`;
}

const OPEN = [
  "draft",
  "submitted",
  "under_review",
  "needs_info",
  "approved",
  "processing",
  "completed",
  "failed",
];

export function isOpenApplication(a: Application | null | undefined): a is Application {
  return Boolean(a && OPEN.includes(a.status));
}

/**
 * The card's eligibility without the finding that only says "this card has an application open"
 * when that application is the holder's own: it is what the holder is working on, not a blocker.
 */
export function effectiveEligibility(e: Eligibility | null, open: Application | null): Eligibility | null {
  if (!e) return null;
  if (!open) return e;
  const findings = e.findings.filter(
    (f) =>
      !(
        (f.code === "APPLICATION_OPEN" && String(f.params.applicationNumber) === open.number) ||
        f.code === "PENDING_CANCELLATION"
      ),
  );
  if (findings.length === e.findings.length) return e;
  const eligible = !findings.some((f) => f.severity === "blocker");
  const onlineAllowed = eligible && !findings.some((f) => f.severity === "counter");
  return { ...e, findings, eligible, onlineAllowed, channel: onlineAllowed ? "online" : "counter" };
}

/** Blockers a batch clears by itself: dependants go first in the same submission. */
const BATCH_CLEARS = new Set(["SECONDARY_CARDS_OPEN", "SUPPLEMENTARY_CARDS_OPEN"]);

export type Standing = "cancelled" | "in_progress" | "draft" | "blocked" | "counter" | "ready";

export function standingOf(card: Card, e: Eligibility | null, open: Application | null): Standing {
  if (card.status === "cancelled" && !isOpenApplication(open)) return "cancelled";
  if (open && open.status !== "draft" && isOpenApplication(open)) return "in_progress";
  if (!e) return "blocked";
  if (!e.eligible) return "blocked";
  if (!e.onlineAllowed) return "counter";
  return open?.status === "draft" ? "draft" : "ready";
}

/** May go into a batch: could be cancelled online, once its own dependants have gone first. */
export function batchSelectable(card: Card, e: Eligibility | null, open: Application | null): boolean {
  if (card.status === "cancelled" || (open && open.status !== "draft")) return false;
  if (!e) return false;
  const rest = e.findings.filter((f) => !BATCH_CLEARS.has(f.code));
  return !rest.some((f) => f.severity === "blocker" || f.severity === "counter");
}

export function blockers(e: Eligibility | null): Finding[] {
  return e?.findings.filter((f) => f.severity === "blocker") ?? [];
}

const FINISHED: StepState[] = ["done", "waived", "skipped"];

/**
 * The server's journey with the "contact" step judged on the effective eligibility (see above),
 * and the holder's step recomputed: the first unfinished step is current, or blocked.
 */
export function effectiveJourney(steps: JourneyStep[], e: Eligibility | null): JourneyStep[] {
  let frontier = false;
  return steps.map((s) => {
    let state = s.state;
    if (s.key === "contact" && e && state === "blocked" && e.eligible) state = "done";
    if (FINISHED.includes(state)) return { ...s, state };
    const blocked = state === "blocked";
    if (!frontier) {
      frontier = true;
      return { ...s, state: blocked ? "blocked" : "current" };
    }
    return { ...s, state: blocked ? "blocked" : "todo" };
  });
}

/**
 * The journey as a filed application stands: once filed, its own record says which steps are
 * behind the holder (the card's journey no longer does once the card is cancelled and closed).
 */
export function journeyOfApplication(steps: JourneyStep[], a: Application): JourneyStep[] {
  const done = (key: JourneyStep["key"]): StepState => {
    switch (key) {
      case "backup":
        return a.backup.status === "waived" ? "waived" : "done";
      case "unbind":
        return a.unbinding.length === 0 ? "skipped" : "done";
      case "balance":
        return a.balanceOption ? "done" : "skipped";
      case "wait":
        return a.status === "completed" || a.status === "closed" ? "done" : "current";
      case "destroy":
        return a.status === "closed" ? "done" : a.status === "completed" ? "current" : "todo";
      default:
        return "done";
    }
  };
  return steps.map((s) => ({ ...s, state: done(s.key) }));
}
