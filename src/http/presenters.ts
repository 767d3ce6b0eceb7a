/**
 * Output shapes of the API. Everything leaving the server goes through here, and identifiers are
 * masked according to who is looking.
 */
import type { Actor } from "../app/context.js";
import type { ApplicationRow, AuditEventRow, CardRow, HolderRow, ProviderRow } from "../db/schema.js";
import type { Eligibility } from "../domain/eligibility.js";
import { maskIccid, maskPhone } from "../domain/masking.js";
import { slaState } from "../domain/sla.js";
import { type ApplicationStatus, transitionsFrom } from "../domain/states.js";

/** Staff below supervisor, and anonymous lookups, see masked numbers. */
function seesFullNumbers(viewer: Actor | null): boolean {
  return (
    viewer !== null &&
    (viewer.type === "holder" ||
      viewer.role === "supervisor" ||
      viewer.role === "admin" ||
      viewer.type === "system")
  );
}

export function presentCard(card: CardRow, viewer: Actor | null) {
  const full = seesFullNumbers(viewer);
  return {
    id: card.id,
    providerId: card.providerId,
    family: card.family,
    kind: card.kind,
    label: card.label,
    networkGeneration: card.networkGeneration,
    status: card.status,
    cardNumber: card.cardNumberMasked,
    iccid: card.iccid ? (full ? card.iccid : maskIccid(card.iccid)) : null,
    msisdn: card.msisdn ? (full ? card.msisdn : maskPhone(card.msisdn)) : null,
    eid: card.eid ? (full ? card.eid : maskIccid(card.eid)) : null,
    numberStatus: card.numberStatus,
    quarantineUntil: card.quarantineUntil,
    parentCardId: card.parentCardId,
    relation: card.relation,
    bundle: card.bundle,
    groupName: card.groupName,
    familyPlan: card.familyPlan === 1,
    destroyedHow: card.destroyedHow,
    destroyedAt: card.destroyedAt,
    cancelledAt: card.cancelledAt,
  };
}

export function presentProvider(p: ProviderRow) {
  return { id: p.id, code: p.code, kind: p.kind, nameZh: p.nameZh, nameEn: p.nameEn, timeZone: p.timeZone };
}

const WAITING_FOR: Record<ApplicationStatus, { "zh-CN": string; en: string } | null> = {
  draft: { "zh-CN": "等待您完成各步骤并提交", en: "Waiting for you to finish the steps and submit" },
  submitted: { "zh-CN": "等待工作人员审核", en: "Waiting for staff to review" },
  under_review: { "zh-CN": "工作人员正在审核", en: "Staff are reviewing it" },
  needs_info: { "zh-CN": "等待您补充信息", en: "Waiting for the information requested from you" },
  approved: { "zh-CN": "已通过审核，等待开始办理", en: "Approved; waiting for processing to start" },
  processing: {
    "zh-CN": "正在办理（结算、停机、注销）",
    en: "Being processed (settlement, deactivation, cancellation)",
  },
  failed: { "zh-CN": "办理遇到问题，工作人员正在处理", en: "Processing hit a problem; staff are on it" },
  completed: { "zh-CN": "已注销，等待您销毁卡片", en: "Cancelled; waiting for the card to be destroyed" },
  closed: null,
  withdrawn: null,
  rejected: null,
};

export function presentApplication(a: ApplicationRow, now?: Date) {
  return {
    id: a.id,
    number: a.number,
    cardId: a.cardId,
    providerId: a.providerId,
    status: a.status,
    channel: a.channel,
    reason: a.reason,
    timing: a.timing,
    requestedDate: a.requestedDate,
    serviceEndDate: a.serviceEndDate,
    billingEndDate: a.billingEndDate,
    balanceOption: a.balanceOption,
    transferTo: a.transferTo ? maskPhone(a.transferTo) : null,
    backup: { status: a.backupStatus, note: a.backupNote },
    unbinding: JSON.parse(a.unbindingJson) as unknown[],
    proxy: a.proxy === 1,
    infoRequest: a.infoRequest,
    infoResponse: a.infoResponse,
    rejectReason: a.rejectReason,
    rejectComment: a.rejectComment,
    failureCause: a.failureCause,
    closedHow: a.closedHow,
    cardDisposition: a.cardDisposition,
    dueAt: a.dueAt,
    waitingFor: WAITING_FOR[a.status as ApplicationStatus] ?? null,
    sla: now ? slaState(a.status as ApplicationStatus, a.submittedAt, a.dueAt, now) : null,
    branch: a.branch,
    batchId: a.batchId,
    batchPosition: a.batchPosition,
    createdAt: a.createdAt,
    updatedAt: a.updatedAt,
    submittedAt: a.submittedAt,
    decidedAt: a.decidedAt,
    completedAt: a.completedAt,
    closedAt: a.closedAt,
    version: a.version,
    allowedTransitions: transitionsFrom(a.status as ApplicationStatus),
    eligibilityAtSubmission: a.eligibilityJson ? (JSON.parse(a.eligibilityJson) as Eligibility) : null,
  };
}

/**
 * What a holder may read of an event's comment. A notification's comment is the notifier's own
 * record (the template, and on failure the gateway's or mail server's answer): holders get only
 * the template's name, from which the portal says "we sent you an SMS: …" in their language.
 */
function holderComment(e: AuditEventRow): string | null {
  if (!e.action.startsWith("notification.")) return e.comment;
  const template = (e.comment ?? "").split(":")[0]?.trim() ?? "";
  return /^[a-z_]+$/.test(template) ? template : null;
}

export function presentEvent(
  e: AuditEventRow,
  viewer: Actor | null,
  staffNames: Record<string, string> = {},
) {
  const staffView = viewer !== null && viewer.type !== "holder";
  return {
    seq: Number(e.seq),
    action: e.action,
    at: e.at,
    actorType: e.actorType,
    // Holders see that staff acted, not which member of staff.
    actorId: staffView ? e.actorId : null,
    // The staff member's name, for staff readers (null otherwise, and for other actors).
    actorName: staffView && e.actorType === "staff" ? (staffNames[e.actorId] ?? null) : null,
    reason: e.reason,
    comment: staffView ? e.comment : holderComment(e),
    from: e.beforeJson ? ((JSON.parse(e.beforeJson) as { status?: string }).status ?? null) : null,
    to: e.afterJson ? ((JSON.parse(e.afterJson) as { status?: string }).status ?? null) : null,
  };
}

/** The holder as staff see them: name and ID number always masked; the phone in full for supervisors. */
export function presentHolder(h: HolderRow, viewer: Actor | null) {
  return {
    id: h.id,
    name: h.nameMasked,
    idType: h.idType,
    idNumber: h.idNumberMasked,
    phone: seesFullNumbers(viewer) ? h.phone : maskPhone(h.phone),
    realNameVerified: h.realNameVerified === 1,
    isMinor: h.isMinor === 1,
    language: h.preferredLanguage,
  };
}
