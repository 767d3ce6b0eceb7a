/**
 * The application state machine of product.md §4. Transitions are data so that the use cases, the
 * guarded SQL updates, the tests and the docs all read the same table.
 */

export const APPLICATION_STATUSES = [
  "draft",
  "submitted",
  "under_review",
  "needs_info",
  "approved",
  "processing",
  "completed",
  "closed",
  "withdrawn",
  "rejected",
  "failed",
] as const;
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];

/** States after which nothing more happens to the application. */
export const TERMINAL_STATUSES: readonly ApplicationStatus[] = ["closed", "withdrawn", "rejected"];

/**
 * States that hold the card: a card has at most one application in any of these (enforced by a
 * partial unique index). `completed` stays open until the card is destroyed and the case closed.
 */
export const OPEN_STATUSES: readonly ApplicationStatus[] = APPLICATION_STATUSES.filter(
  (s) => !TERMINAL_STATUSES.includes(s),
);

export const TRANSITIONS = [
  "submit",
  "withdraw",
  "start_review",
  "request_info",
  "supply_info",
  "approve",
  "reject",
  "start_processing",
  "complete",
  "fail",
  "retry",
  "close",
] as const;
export type Transition = (typeof TRANSITIONS)[number];

/** from-states and the to-state of every transition. */
export const TRANSITION_TABLE: Readonly<
  Record<Transition, { from: readonly ApplicationStatus[]; to: ApplicationStatus }>
> = {
  submit: { from: ["draft"], to: "submitted" },
  // The holder may withdraw until processing starts (product.md §3 "Withdrawal").
  withdraw: { from: ["draft", "submitted", "under_review", "needs_info", "approved"], to: "withdrawn" },
  start_review: { from: ["submitted"], to: "under_review" },
  request_info: { from: ["submitted", "under_review"], to: "needs_info" },
  supply_info: { from: ["needs_info"], to: "under_review" },
  approve: { from: ["submitted", "under_review"], to: "approved" },
  reject: { from: ["submitted", "under_review", "needs_info"], to: "rejected" },
  start_processing: { from: ["approved"], to: "processing" },
  complete: { from: ["processing"], to: "completed" },
  fail: { from: ["processing"], to: "failed" },
  retry: { from: ["failed"], to: "processing" },
  close: { from: ["completed"], to: "closed" },
};

export function canTransition(from: ApplicationStatus, transition: Transition): boolean {
  return TRANSITION_TABLE[transition].from.includes(from);
}

export function targetOf(transition: Transition): ApplicationStatus {
  return TRANSITION_TABLE[transition].to;
}

export function isOpen(status: ApplicationStatus): boolean {
  return OPEN_STATUSES.includes(status);
}

/** Every transition allowed out of a state, e.g. to show the actions a user may take. */
export function transitionsFrom(status: ApplicationStatus): Transition[] {
  return TRANSITIONS.filter((t) => canTransition(status, t));
}

export const REJECT_REASONS = [
  "identity_mismatch",
  "documents_unreadable",
  "documents_missing",
  "blocker_not_cleared",
  "proxy_not_authorised",
  "duplicate",
  "other",
] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

export const REJECT_REASON_TEXT: Readonly<Record<RejectReason, { "zh-CN": string; en: string }>> = {
  identity_mismatch: { "zh-CN": "身份信息不符", en: "identity does not match" },
  documents_unreadable: { "zh-CN": "材料无法辨认", en: "documents unreadable" },
  documents_missing: { "zh-CN": "材料不全", en: "documents missing" },
  blocker_not_cleared: { "zh-CN": "存在未解除的限制", en: "a blocker is not cleared" },
  proxy_not_authorised: { "zh-CN": "代办授权无效", en: "proxy not authorised" },
  duplicate: { "zh-CN": "重复申请", en: "duplicate application" },
  other: { "zh-CN": "其他原因", en: "other reason" },
};
