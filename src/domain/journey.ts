/**
 * The cancellation journey of product.md §2 as a stepper: which step is finished, which one the
 * holder is on, and what is still ahead. Derived from facts (backup, unbinding, eligibility,
 * application status), never stored, so it cannot drift from them.
 */
import type { CardFamily } from "./model.js";
import type { ApplicationStatus } from "./states.js";

export const STEP_KEYS = ["backup", "unbind", "contact", "submit", "balance", "wait", "destroy"] as const;
export type StepKey = (typeof STEP_KEYS)[number];

/** Step order per card family, as product.md §2 lists them. */
export const JOURNEY_STEPS: Readonly<Record<CardFamily, readonly StepKey[]>> = {
  smart_card: ["backup", "contact", "submit", "wait", "destroy"],
  sim: ["backup", "unbind", "contact", "submit", "balance", "wait", "destroy"],
};

type Title = { zh: string; en: string };

/** Titles common to both families; `contact` names who is contacted, so it is per family below. */
export const STEP_TITLES: Readonly<Record<Exclude<StepKey, "contact">, Title>> = {
  backup: { zh: "备份数据", en: "Back up data" },
  unbind: { zh: "解绑服务", en: "Unbind services" },
  submit: { zh: "提交申请", en: "Submit the application" },
  balance: { zh: "结清余额", en: "Settle the balance" },
  wait: { zh: "等待处理", en: "Wait for processing" },
  destroy: { zh: "销毁卡片", en: "Destroy the card" },
};

/** A SIM's provider is its mobile operator; a bank, transit or social-security card's is its issuer. */
export const CONTACT_TITLES: Readonly<Record<CardFamily, Title>> = {
  sim: { zh: "联系运营商", en: "Contact the operator" },
  smart_card: { zh: "联系发卡机构", en: "Contact the issuer" },
};

export function stepTitle(family: CardFamily, key: StepKey): Title {
  return key === "contact" ? CONTACT_TITLES[family] : STEP_TITLES[key];
}

/**
 * `done`/`waived`/`skipped` are finished. The first unfinished step is the holder's step: it is
 * `current`, or `blocked` when it cannot go on; later unfinished steps are `todo` (or `blocked`).
 */
export type StepState = "done" | "current" | "todo" | "blocked" | "waived" | "skipped";

export interface JourneyStep {
  key: StepKey;
  /** 1-based position in the family's journey. */
  index: number;
  state: StepState;
  titleZh: string;
  titleEn: string;
}

/** The facts a journey is derived from. */
export interface JourneyProgress {
  /** The latest eligibility result; null when it has not been evaluated yet. */
  eligible: boolean | null;
  backup: "pending" | "done" | "waived";
  /** Unbinding checklist: items in total and items ticked, skipped with a reason or confirmed. */
  unbinding: { total: number; resolved: number };
  balanceChosen: boolean;
  hasBalance: boolean;
  /** Status of the card's latest application; null when there is none. */
  applicationStatus: ApplicationStatus | null;
  /** The card was destroyed, returned, its profile deleted or its destruction declared. */
  destroyed: boolean;
  /**
   * The provider has cancelled the card: every step before destruction is behind the holder,
   * whatever the record of it says (a card cancelled at a counter or by the arrears ladder has
   * no checklist), and nothing is offered again.
   */
  cardCancelled?: boolean;
}

/** Statuses at which the application has been filed and still stands. */
const FILED: readonly ApplicationStatus[] = [
  "submitted",
  "under_review",
  "needs_info",
  "approved",
  "processing",
  "completed",
  "closed",
  "failed",
];

type Raw = "done" | "waived" | "skipped" | "open" | "blocked";

function rawState(key: StepKey, p: JourneyProgress): Raw {
  const filed = p.applicationStatus !== null && FILED.includes(p.applicationStatus);
  if (p.cardCancelled && key !== "destroy") {
    if (key === "backup") return p.backup === "waived" ? "waived" : "done";
    if (key === "unbind") return p.unbinding.total <= 0 ? "skipped" : "done";
    if (key === "balance") return p.balanceChosen ? "done" : "skipped";
    return "done";
  }
  switch (key) {
    case "backup":
      return p.backup === "pending" ? "open" : p.backup;
    case "unbind":
      if (p.unbinding.total <= 0) return "skipped";
      return p.unbinding.resolved >= p.unbinding.total ? "done" : "open";
    case "contact":
      // Once filed, the open application itself makes a fresh check report APPLICATION_OPEN, so
      // a filed application, not the latest check, is what proves this step was passed.
      if (filed || p.eligible === true) return "done";
      return p.eligible === false ? "blocked" : "open";
    case "submit":
      return filed ? "done" : "open";
    case "balance":
      if (!p.hasBalance) return "skipped";
      return p.balanceChosen ? "done" : "open";
    case "wait":
      return p.applicationStatus === "completed" || p.applicationStatus === "closed" ? "done" : "open";
    case "destroy":
      return p.destroyed || p.applicationStatus === "closed" ? "done" : "open";
  }
}

/**
 * The journey of a card of `family` given `progress`. The first unfinished step is `current`
 * (or `blocked` if it cannot proceed); when every step is finished none is.
 */
export function journeyFor(family: CardFamily, progress: JourneyProgress): JourneyStep[] {
  let frontierSeen = false;
  return JOURNEY_STEPS[family].map((key, i) => {
    const raw = rawState(key, progress);
    let state: StepState;
    if (raw === "done" || raw === "waived" || raw === "skipped") {
      state = raw;
    } else if (!frontierSeen) {
      frontierSeen = true;
      state = raw === "blocked" ? "blocked" : "current";
    } else {
      state = raw === "blocked" ? "blocked" : "todo";
    }
    const title = stepTitle(family, key);
    return { key, index: i + 1, state, titleZh: title.zh, titleEn: title.en };
  });
}

/** The step the holder is on (current or blocked), or null when the journey is finished. */
export function activeStep(steps: readonly JourneyStep[]): JourneyStep | null {
  return steps.find((s) => s.state === "current" || s.state === "blocked") ?? null;
}
