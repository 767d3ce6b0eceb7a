/**
 * The eligibility check (预检, product.md §3): everything that stands between a card and its
 * cancellation, each as a finding with a stable code, a severity, an explanation and the action
 * that clears it. Pure: the app layer gathers the card snapshot and rules and passes `now`.
 */
import { findingTexts } from "./eligibility-messages.js";
import type { BalanceOption, CardSnapshot, Channel, DependantRelation, LockIn, Timing } from "./model.js";
import type { CounterCase, DocumentKind, ProviderRules } from "./rules.js";
import { COUNTER_CASES } from "./rules.js";
import { addDaysIso, clockToMinutes, isLastDayOfMonth, type ZonedParts, zonedParts } from "./zoned-time.js";

export { formatFen } from "./eligibility-messages.js";

/**
 * `blocker`: nothing can be filed until it is cleared. `counter`: may be filed, but not online.
 * `notice`: worth knowing, changes nothing about where or whether to file.
 */
export const SEVERITIES = ["blocker", "counter", "notice"] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Stable reason codes; clients key texts, icons and help pages on these. */
export const FINDING_CODES = [
  "ALREADY_CANCELLED",
  "APPLICATION_OPEN",
  "PENDING_CANCELLATION",
  "NOT_REAL_NAME",
  "CARD_LOST",
  "CARD_SUSPENDED",
  "ARREARS",
  "UNBILLED_CHARGES",
  "LOCK_IN_BLOCKING",
  "LOCK_IN_FEE",
  "SECONDARY_CARDS_OPEN",
  "SUPPLEMENTARY_CARDS_OPEN",
  "BUNDLE_ACTIVE",
  "GROUP_MEMBER",
  "CREDIT_DEBT",
  "INSTALMENTS_OUTSTANDING",
  "ANNUAL_FEE_DUE",
  "OVERPAYMENT_TO_WITHDRAW",
  "BALANCE_REMAINING",
  "GIFTED_BALANCE_FORFEITED",
  "DEPOSIT_REFUNDABLE",
  "COUNTER_REQUIRED",
  "OUTSIDE_SERVICE_WINDOW",
  "MONTH_END_CUTOFF",
] as const;
export type FindingCode = (typeof FINDING_CODES)[number];

export type FindingParams = Record<string, string | number>;
export interface LocalizedText {
  "zh-CN": string;
  en: string;
}

/** One reason, JSON-serialisable so it can be stored with an application and sent to clients. */
export interface Finding {
  code: FindingCode;
  severity: Severity;
  params: FindingParams;
  message: LocalizedText;
  action: LocalizedText;
}

export interface EligibilityOptions {
  /** The applicant is a proxy (代办) acting for the holder. */
  proxy?: boolean;
  /**
   * Evaluate on behalf of this application (e.g. staff reviewing it): when it is the card's open
   * application it is not reported as APPLICATION_OPEN or PENDING_CANCELLATION.
   */
  forApplicationNumber?: string;
}

export interface EligibilityMoney {
  /** Cash balance plus credit-card overpayment: what can go back to the holder. */
  refundableFen: number;
  giftedForfeitFen: number;
  depositFen: number;
  /** Early-termination fees of lock-ins in force whose rule is "fee". */
  terminationFeeFen: number;
  /** Arrears + unbilled + debt + instalments + annual fee + termination fee. */
  payableFen: number;
}

export interface Eligibility {
  cardId: string;
  /** ISO 8601 instant of `now`. */
  evaluatedAt: string;
  /** No finding of severity "blocker". */
  eligible: boolean;
  /** Eligible and no "counter" finding. */
  onlineAllowed: boolean;
  /** Where the application must go once the blockers are cleared. */
  channel: Channel;
  /** Blockers, then counter findings, then notices; within a severity in FINDING_CODES order. */
  findings: Finding[];
  /** Counter cases that apply to this card and that the provider sends to a counter. */
  counterCases: CounterCase[];
  requiredDocuments: DocumentKind[];
  balanceOptions: BalanceOption[];
  timings: Timing[];
  money: EligibilityMoney;
}

const SEVERITY_RANK: Readonly<Record<Severity, number>> = { blocker: 0, counter: 1, notice: 2 };

function finding(code: FindingCode, severity: Severity, params: FindingParams = {}): Finding {
  const t = findingTexts(code, params, severity);
  return { code, severity, params, message: t.message, action: t.action };
}

/** A lock-in binds until its term end: on the term-end day itself it no longer applies. */
function activeLockIns(lockIns: readonly LockIn[], today: string): LockIn[] {
  return lockIns.filter((l) => l.termEnd > today);
}

/** Whether the local time lies in the online window; a window past midnight belongs to its start day. */
function insideWindow(p: ZonedParts, w: ProviderRules["rules"]["serviceWindow"]["value"]): boolean {
  const t = p.hour * 60 + p.minute;
  const from = clockToMinutes(w.from);
  const to = clockToMinutes(w.to);
  const today = w.days.includes(p.isoWeekday);
  // Equal ends mean round the clock: a zero-length window would be a rule that forbids everything.
  if (from === to) return today;
  if (from < to) return today && t >= from && t < to;
  const yesterday = w.days.includes(p.isoWeekday === 1 ? 7 : p.isoWeekday - 1);
  return (t >= from && today) || (t < to && yesterday);
}

function applicableCounterCases(
  card: CardSnapshot,
  active: readonly LockIn[],
  proxy: boolean,
): CounterCase[] {
  const applies: Record<CounterCase, boolean> = {
    minor: card.holder.isMinor,
    non_id_card_document: card.holder.idType !== "resident_id",
    contract: active.some((l) => l.kind === "contract"),
    family_plan: card.familyPlan,
    bundle: card.bundle !== null,
    group: card.groupName !== null,
    proxy,
    credit_card: card.kind === "bank_credit",
    deposit_return: card.money.depositFen > 0,
  };
  return COUNTER_CASES.filter((c) => applies[c]);
}

function dependantFinding(
  card: CardSnapshot,
  relation: DependantRelation,
  policy: "block" | "cascade",
  code: FindingCode,
): Finding[] {
  // Lost or suspended dependants still exist and still have to go first. A dependant already in
  // pending_cancellation has a submitted application of its own, processed before this card's.
  const open = card.dependants.filter(
    (d) => d.relation === relation && d.status !== "cancelled" && d.status !== "pending_cancellation",
  );
  if (open.length === 0) return [];
  return [
    finding(code, policy === "block" ? "blocker" : "notice", {
      count: open.length,
      labels: open.map((d) => d.label).join(", "),
      cardIds: open.map((d) => d.cardId).join(","),
    }),
  ];
}

function statusFindings(card: CardSnapshot, rules: ProviderRules, opts: EligibilityOptions): Finding[] {
  const out: Finding[] = [];
  const own =
    opts.forApplicationNumber !== undefined && card.openApplicationNumber === opts.forApplicationNumber;
  if (card.openApplicationNumber !== null && !own) {
    out.push(finding("APPLICATION_OPEN", "blocker", { applicationNumber: card.openApplicationNumber }));
  } else if (card.status === "pending_cancellation" && card.openApplicationNumber === null) {
    // With an open application APPLICATION_OPEN already says it, and better (it names the application).
    out.push(finding("PENDING_CANCELLATION", "blocker"));
  }
  if (rules.rules.realNameRequired.value && !card.realNameVerified)
    out.push(finding("NOT_REAL_NAME", "blocker"));
  const blocked: readonly string[] = rules.rules.blockedCardStatuses.value;
  if (card.status === "lost" && blocked.includes("lost")) out.push(finding("CARD_LOST", "blocker"));
  if (card.status === "suspended" && blocked.includes("suspended"))
    out.push(finding("CARD_SUSPENDED", "blocker"));
  return out;
}

function moneyFindings(card: CardSnapshot, rules: ProviderRules): Finding[] {
  const m = card.money;
  const arrears = rules.rules.arrears.value;
  const policy = rules.rules.money.value;
  return [
    ...moneyFinding("ARREARS", m.arrearsFen, arrears.blockBilled),
    ...moneyFinding("UNBILLED_CHARGES", m.unbilledFen, arrears.blockUnbilled),
    ...moneyFinding("CREDIT_DEBT", m.debtFen, policy.blockOnDebt),
    ...moneyFinding("INSTALMENTS_OUTSTANDING", m.instalmentsFen, policy.blockOnInstalments),
    ...moneyFinding("ANNUAL_FEE_DUE", m.annualFeeDueFen, policy.blockOnAnnualFee),
    ...moneyFinding("OVERPAYMENT_TO_WITHDRAW", m.overpaymentFen, policy.blockOnOverpayment),
  ];
}

function moneyFinding(code: FindingCode, fen: number, block: boolean): Finding[] {
  return fen > 0 ? [finding(code, block ? "blocker" : "notice", { amountFen: fen })] : [];
}

function holderMoneyNotices(card: CardSnapshot, rules: ProviderRules): Finding[] {
  const m = card.money;
  const out: Finding[] = [];
  if (m.balanceFen > 0) {
    out.push(
      finding("BALANCE_REMAINING", "notice", {
        amountFen: m.balanceFen,
        options: rules.rules.balanceOptions.value.join(","),
      }),
    );
  }
  if (m.giftedBalanceFen > 0)
    out.push(finding("GIFTED_BALANCE_FORFEITED", "notice", { amountFen: m.giftedBalanceFen }));
  if (m.depositFen > 0) out.push(finding("DEPOSIT_REFUNDABLE", "notice", { amountFen: m.depositFen }));
  return out;
}

function timeFindings(rules: ProviderRules, now: Date): Finding[] {
  const tz = rules.provider.timeZone;
  const local = zonedParts(now, tz);
  const localTime = `${String(local.hour).padStart(2, "0")}:${String(local.minute).padStart(2, "0")}`;
  const out: Finding[] = [];
  const w = rules.rules.serviceWindow.value;
  if (!insideWindow(local, w)) {
    out.push(
      finding("OUTSIDE_SERVICE_WINDOW", "counter", {
        days: w.days.join(","),
        from: w.from,
        to: w.to,
        timeZone: tz,
        localTime,
      }),
    );
  }
  const cutoff = rules.rules.monthEndCutoff.value;
  if (
    cutoff !== null &&
    isLastDayOfMonth(now, tz) &&
    local.hour * 60 + local.minute >= clockToMinutes(cutoff.after)
  ) {
    out.push(
      finding("MONTH_END_CUTOFF", "counter", {
        after: cutoff.after,
        timeZone: tz,
        localTime,
        nextOnlineDate: addDaysIso(local.isoDate, 1),
      }),
    );
  }
  return out;
}

function unique<T>(xs: readonly T[]): T[] {
  return [...new Set(xs)];
}

/**
 * Evaluates whether `card` can be cancelled under `rules` at `now`, and how.
 *
 * A card already cancelled yields ALREADY_CANCELLED alone: every other finding would be noise.
 * The online service window and month-end cut-off are reported only when nothing else already
 * sends the card to a counter, since they only matter to an online application.
 */
export function evaluateEligibility(
  card: CardSnapshot,
  rules: ProviderRules,
  now: Date,
  opts: EligibilityOptions = {},
): Eligibility {
  const tz = rules.provider.timeZone;
  const today = zonedParts(now, tz).isoDate;
  const active = activeLockIns(card.lockIns, today);
  const lockInRule = rules.rules.lockIn.value;
  const counterOnly: readonly CounterCase[] = rules.rules.counterOnly.value;
  const counterCases = applicableCounterCases(card, active, opts.proxy === true).filter((c) =>
    counterOnly.includes(c),
  );

  let findings: Finding[];
  if (card.status === "cancelled" || card.cancelledByApplicationNumber !== null) {
    const params: FindingParams = {};
    if (card.cancelledByApplicationNumber !== null)
      params.applicationNumber = card.cancelledByApplicationNumber;
    findings = [finding("ALREADY_CANCELLED", "blocker", params)];
  } else {
    findings = [...statusFindings(card, rules, opts), ...moneyFindings(card, rules)];
    for (const l of active) {
      const params = { kind: l.kind, termEnd: l.termEnd, feeFen: l.terminationFeeFen };
      findings.push(
        lockInRule[l.kind] === "fee"
          ? finding("LOCK_IN_FEE", "notice", params)
          : finding("LOCK_IN_BLOCKING", "blocker", params),
      );
    }
    const deps = rules.rules.dependants.value;
    findings.push(...dependantFinding(card, "secondary", deps.secondary, "SECONDARY_CARDS_OPEN"));
    findings.push(...dependantFinding(card, "supplementary", deps.supplementary, "SUPPLEMENTARY_CARDS_OPEN"));
    // The schema only allows "block" for bundles and groups: the holder has to act on them.
    if (card.bundle !== null) findings.push(finding("BUNDLE_ACTIVE", "blocker", { bundle: card.bundle }));
    if (card.groupName !== null)
      findings.push(finding("GROUP_MEMBER", "blocker", { groupName: card.groupName }));
    findings.push(...holderMoneyNotices(card, rules));
    for (const c of counterCases) findings.push(finding("COUNTER_REQUIRED", "counter", { case: c }));
    if (counterCases.length === 0) findings.push(...timeFindings(rules, now));
  }
  // Stable sort: same-code findings (several lock-ins, counter cases) keep their generation order.
  findings.sort(
    (a, b) =>
      SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
      FINDING_CODES.indexOf(a.code) - FINDING_CODES.indexOf(b.code),
  );

  const eligible = !findings.some((f) => f.severity === "blocker");
  const needsCounter = findings.some((f) => f.severity === "counter");
  const channel: Channel = needsCounter ? "counter" : "online";
  const docs = rules.rules.documents.value;
  const requiredDocuments = unique([
    ...docs[channel],
    ...(opts.proxy ? docs.proxy : []),
    ...(card.holder.isMinor ? docs.minor : []),
  ]);

  const m = card.money;
  const terminationFeeFen = active
    .filter((l) => lockInRule[l.kind] === "fee")
    .reduce((sum, l) => sum + l.terminationFeeFen, 0);
  return {
    cardId: card.id,
    evaluatedAt: now.toISOString(),
    eligible,
    onlineAllowed: eligible && !needsCounter,
    channel,
    findings,
    counterCases,
    requiredDocuments,
    balanceOptions: [...rules.rules.balanceOptions.value],
    timings: [...rules.rules.timings.value],
    money: {
      refundableFen: m.balanceFen + m.overpaymentFen,
      giftedForfeitFen: m.giftedBalanceFen,
      depositFen: m.depositFen,
      terminationFeeFen,
      payableFen:
        m.arrearsFen + m.unbilledFen + m.debtFen + m.instalmentsFen + m.annualFeeDueFen + terminationFeeFen,
    },
  };
}
