/**
 * Every message the service sends, per event, in zh-CN and English: the SMS text (also the body of
 * the e-mail) and the e-mail subject. Rendered in the holder's language when the event happens.
 */
import { REJECT_REASON_TEXT, type RejectReason } from "../domain/states.js";

export type Lang = "zh-CN" | "en";
type Params = Record<string, string>;

function reasonText(code: string | undefined, lang: Lang): string {
  return REJECT_REASON_TEXT[code as RejectReason]?.[lang] ?? code ?? "";
}

interface Template {
  text: Record<Lang, (p: Params) => string>;
  /** E-mail subject; templates without one (sign-in codes) are never e-mailed. */
  subject?: Record<Lang, (p: Params) => string>;
}

const subject = (zh: string, en: string): Template["subject"] => ({
  "zh-CN": (p) => `【注销服务】${zh} ${p.number ?? ""}`.trim(),
  en: (p) => `[zhuxiao] ${en} ${p.number ?? ""}`.trim(),
});

const TEMPLATES = {
  otp_signin: {
    text: {
      "zh-CN": (p) => `【注销服务】您的登录验证码为 ${p.code}，${p.minutes} 分钟内有效。请勿告诉他人。`,
      en: (p) => `[zhuxiao] Your sign-in code is ${p.code}, valid for ${p.minutes} minutes. Do not share it.`,
    },
  },
  otp_lookup: {
    text: {
      "zh-CN": (p) => `【注销服务】您查询申请 ${p.number} 的验证码为 ${p.code}，${p.minutes} 分钟内有效。`,
      en: (p) =>
        `[zhuxiao] Your code to look up application ${p.number} is ${p.code}, valid for ${p.minutes} minutes.`,
    },
  },
  submitted: {
    text: {
      "zh-CN": (p) => `【注销服务】您的注销申请 ${p.number}（${p.card}）已提交，预计 ${p.due} 前完成。`,
      en: (p) =>
        `[zhuxiao] Your cancellation application ${p.number} (${p.card}) was submitted; expected by ${p.due}.`,
    },
    subject: subject("注销申请已提交，回执附后", "Application submitted, receipt attached:"),
  },
  info_requested: {
    text: {
      "zh-CN": (p) => `【注销服务】申请 ${p.number} 需要补充信息：${p.message}`,
      en: (p) => `[zhuxiao] Application ${p.number} needs more information: ${p.message}`,
    },
    subject: subject("需要补充信息", "More information needed:"),
  },
  approved: {
    text: {
      "zh-CN": (p) => `【注销服务】申请 ${p.number} 已审核通过，正在办理。`,
      en: (p) => `[zhuxiao] Application ${p.number} was approved and is being processed.`,
    },
    subject: subject("申请已通过审核", "Application approved:"),
  },
  rejected: {
    text: {
      "zh-CN": (p) => `【注销服务】申请 ${p.number} 未通过审核（${reasonText(p.reason, "zh-CN")}）。`,
      en: (p) => `[zhuxiao] Application ${p.number} was rejected (${reasonText(p.reason, "en")}).`,
    },
    subject: subject("申请未通过审核", "Application rejected:"),
  },
  withdrawn: {
    text: {
      "zh-CN": (p) => `【注销服务】申请 ${p.number} 已撤回，卡片保持正常使用。`,
      en: (p) => `[zhuxiao] Application ${p.number} was withdrawn; the card stays in use.`,
    },
    subject: subject("申请已撤回", "Application withdrawn:"),
  },
  completed: {
    text: {
      "zh-CN": (p) => `【注销服务】${p.card} 已注销（申请 ${p.number}）。请销毁卡片并保留注销证明。`,
      en: (p) =>
        `[zhuxiao] ${p.card} is cancelled (application ${p.number}). Destroy the card and keep your certificate.`,
    },
    subject: subject("卡片已注销，注销证明附后", "Card cancelled, certificate attached:"),
  },
  failed: {
    text: {
      "zh-CN": (p) => `【注销服务】申请 ${p.number} 办理遇到问题，工作人员正在处理，无需您操作。`,
      en: (p) =>
        `[zhuxiao] Application ${p.number} hit a problem; staff are on it, nothing is needed from you.`,
    },
    subject: subject("办理遇到问题", "Processing delayed:"),
  },
  suspended_arrears: {
    text: {
      "zh-CN": (p) =>
        `【注销服务】${p.card} 已欠费 ${p.days} 天，已暂停服务。请缴清欠费 ${p.amount}，否则将于 ${p.cancelOn} 起被注销。`,
      en: (p) =>
        `[zhuxiao] ${p.card} has been in arrears for ${p.days} days and is suspended. Pay ${p.amount} or it will be cancelled from ${p.cancelOn}.`,
    },
  },
  involuntary_cancellation: {
    text: {
      "zh-CN": (p) => `【注销服务】因长期欠费，${p.card} 将被注销（申请 ${p.number}）。如有疑问请联系客服。`,
      en: (p) =>
        `[zhuxiao] Because of long-standing arrears, ${p.card} is being cancelled (application ${p.number}). Contact us with any questions.`,
    },
    subject: subject("欠费销户通知", "Cancellation for arrears:"),
  },
  closed: {
    text: {
      "zh-CN": (p) => `【注销服务】申请 ${p.number} 已办结。`,
      en: (p) => `[zhuxiao] Application ${p.number} is closed.`,
    },
    subject: subject("申请已办结", "Application closed:"),
  },
  quarantine_ending: {
    text: {
      "zh-CN": (p) =>
        `【注销服务】号码 ${p.msisdn} 的冷冻期将于 ${p.until} 结束，之后号码可能分配给他人。如需恢复请在此之前办理（申请 ${p.number}）。`,
      en: (p) =>
        `[zhuxiao] The quarantine of number ${p.msisdn} ends on ${p.until}; after that it may be reissued. Restore it before then if you want it back (application ${p.number}).`,
    },
    subject: subject("号码冷冻期即将结束", "Number quarantine ending:"),
  },
  appointment_reminder: {
    text: {
      // An appointment may be booked before any application is filed: then it names none.
      "zh-CN": (p) =>
        `【注销服务】提醒：您已预约 ${p.time} 在${p.branch}办理${p.number ? `注销申请 ${p.number}` : "注销业务"}，请携带身份证件及卡片准时到达。`,
      en: (p) =>
        `[zhuxiao] Reminder: your appointment${p.number ? ` for application ${p.number}` : ""} is at ${p.time} at ${p.branch}. Bring your ID and the card.`,
    },
    subject: subject("预约提醒", "Appointment reminder:"),
  },
} satisfies Record<string, Template>;

export type TemplateName = keyof typeof TEMPLATES;

export const TEMPLATE_NAMES = Object.keys(TEMPLATES) as TemplateName[];

export function languageOf(value: string | null | undefined): Lang {
  return value === "en" ? "en" : "zh-CN";
}

export function renderMessage(template: TemplateName, lang: Lang, params: Params): string {
  const t: Template | undefined = TEMPLATES[template];
  if (!t) throw new Error(`unknown template ${template}`);
  return t.text[lang](params);
}

/** The e-mail subject, or null for messages that only ever go by SMS. */
export function renderSubject(template: TemplateName, lang: Lang, params: Params): string | null {
  const t: Template = TEMPLATES[template];
  return t.subject ? t.subject[lang](params) : null;
}
