/**
 * Messages to holders, rendered in the holder's language when the event happens and put in the
 * outbox (jobs table) in the same transaction, with a key that allows one message per
 * application, event and channel.
 */
import type { Tx } from "../db/connect.js";
import { enqueueJob } from "../db/jobs-repository.js";
import { REJECT_REASON_TEXT, type RejectReason } from "../domain/states.js";
import type { OutboundMessage } from "../ports/index.js";

type Lang = "zh-CN" | "en";

function reasonText(code: string | undefined, lang: Lang): string {
  return REJECT_REASON_TEXT[code as RejectReason]?.[lang] ?? code ?? "";
}
type Params = Record<string, string>;

const TEMPLATES: Record<string, Record<Lang, (p: Params) => string>> = {
  otp_signin: {
    "zh-CN": (p) => `【注销服务】您的登录验证码为 ${p.code}，${p.minutes} 分钟内有效。请勿告诉他人。`,
    en: (p) => `[zhuxiao] Your sign-in code is ${p.code}, valid for ${p.minutes} minutes. Do not share it.`,
  },
  otp_lookup: {
    "zh-CN": (p) => `【注销服务】您查询申请 ${p.number} 的验证码为 ${p.code}，${p.minutes} 分钟内有效。`,
    en: (p) =>
      `[zhuxiao] Your code to look up application ${p.number} is ${p.code}, valid for ${p.minutes} minutes.`,
  },
  submitted: {
    "zh-CN": (p) => `【注销服务】您的注销申请 ${p.number}（${p.card}）已提交，预计 ${p.due} 前完成。`,
    en: (p) =>
      `[zhuxiao] Your cancellation application ${p.number} (${p.card}) was submitted; expected by ${p.due}.`,
  },
  info_requested: {
    "zh-CN": (p) => `【注销服务】申请 ${p.number} 需要补充信息：${p.message}`,
    en: (p) => `[zhuxiao] Application ${p.number} needs more information: ${p.message}`,
  },
  approved: {
    "zh-CN": (p) => `【注销服务】申请 ${p.number} 已审核通过，正在办理。`,
    en: (p) => `[zhuxiao] Application ${p.number} was approved and is being processed.`,
  },
  rejected: {
    "zh-CN": (p) => `【注销服务】申请 ${p.number} 未通过审核（${reasonText(p.reason, "zh-CN")}）。`,
    en: (p) => `[zhuxiao] Application ${p.number} was rejected (${reasonText(p.reason, "en")}).`,
  },
  withdrawn: {
    "zh-CN": (p) => `【注销服务】申请 ${p.number} 已撤回，卡片保持正常使用。`,
    en: (p) => `[zhuxiao] Application ${p.number} was withdrawn; the card stays in use.`,
  },
  completed: {
    "zh-CN": (p) => `【注销服务】${p.card} 已注销（申请 ${p.number}）。请销毁卡片并保留注销证明。`,
    en: (p) =>
      `[zhuxiao] ${p.card} is cancelled (application ${p.number}). Destroy the card and keep your certificate.`,
  },
  failed: {
    "zh-CN": (p) => `【注销服务】申请 ${p.number} 办理遇到问题，工作人员正在处理，无需您操作。`,
    en: (p) =>
      `[zhuxiao] Application ${p.number} hit a problem; staff are on it, nothing is needed from you.`,
  },
  suspended_arrears: {
    "zh-CN": (p) =>
      `【注销服务】${p.card} 已欠费 ${p.days} 天，已暂停服务。请缴清欠费 ${p.amount}，否则将于 ${p.cancelOn} 起被注销。`,
    en: (p) =>
      `[zhuxiao] ${p.card} has been in arrears for ${p.days} days and is suspended. Pay ${p.amount} or it will be cancelled from ${p.cancelOn}.`,
  },
  involuntary_cancellation: {
    "zh-CN": (p) => `【注销服务】因长期欠费，${p.card} 将被注销（申请 ${p.number}）。如有疑问请联系客服。`,
    en: (p) =>
      `[zhuxiao] Because of long-standing arrears, ${p.card} is being cancelled (application ${p.number}). Contact us with any questions.`,
  },
  closed: {
    "zh-CN": (p) => `【注销服务】申请 ${p.number} 已办结。`,
    en: (p) => `[zhuxiao] Application ${p.number} is closed.`,
  },
};

export type TemplateName = keyof typeof TEMPLATES;

export function renderMessage(template: TemplateName, lang: Lang, params: Params): string {
  const t = TEMPLATES[template];
  if (!t) throw new Error(`unknown template ${template}`);
  return t[lang](params);
}

export async function enqueueSms(
  tx: Tx,
  args: {
    dedupeKey: string;
    to: string;
    template: TemplateName;
    language: string;
    params: Params;
    now: Date;
  },
): Promise<void> {
  const language: Lang = args.language === "en" ? "en" : "zh-CN";
  const message: OutboundMessage = {
    dedupeKey: args.dedupeKey,
    channel: "sms",
    to: args.to,
    template: args.template,
    language,
    text: renderMessage(args.template, language, args.params),
  };
  await enqueueJob(
    tx,
    {
      task: "notify.sms",
      payload: message,
      dedupeKey: `sms:${args.dedupeKey}`,
      runAt: args.now.toISOString(),
    },
    args.now.toISOString(),
  );
}
