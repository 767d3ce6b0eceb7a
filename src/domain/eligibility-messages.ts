/**
 * What each eligibility finding says to the holder, in zh-CN and English: a plain explanation and
 * the action that clears it. Kept apart from the rules so wording can change without touching
 * logic, and keyed by the stable finding code so every client shows the same words.
 */
import type { FindingCode, FindingParams, LocalizedText, Severity } from "./eligibility.js";
import type { BalanceOption, LockInKind } from "./model.js";
import type { CounterCase } from "./rules.js";

/**
 * Formats integer fen as yuan with two decimals, e.g. 1230 → "¥12.30", -5 → "-¥0.05".
 * @throws RangeError when `fen` is not a safe integer: amounts are never fractional.
 */
export function formatFen(fen: number): string {
  if (!Number.isSafeInteger(fen)) throw new RangeError(`formatFen: expected integer fen, got ${fen}`);
  const abs = Math.abs(fen);
  const yuan = Math.floor(abs / 100);
  const cents = String(abs % 100).padStart(2, "0");
  return `${fen < 0 ? "-" : ""}¥${yuan}.${cents}`;
}

/** The explanation and the clearing action of one finding. */
export interface FindingTexts {
  message: LocalizedText;
  action: LocalizedText;
}

type TextBuilder = (p: FindingParams, severity: Severity) => FindingTexts;

function s(p: FindingParams, key: string): string {
  const v = p[key];
  return v === undefined ? "" : String(v);
}

function money(p: FindingParams, key = "amountFen"): string {
  const v = p[key];
  return typeof v === "number" ? formatFen(v) : "";
}

const LOCK_IN_LABELS: Readonly<Record<LockInKind, LocalizedText>> = {
  contract: { "zh-CN": "合约期", en: "contract term" },
  premium_number: { "zh-CN": "靓号最低消费协议", en: "premium-number minimum-spend agreement" },
  handset_subsidy: { "zh-CN": "购机补贴协议", en: "handset-subsidy agreement" },
};

const BALANCE_OPTION_LABELS: Readonly<Record<BalanceOption, LocalizedText>> = {
  refund: { "zh-CN": "退款", en: "refund" },
  transfer: { "zh-CN": "转入其他号码或账户", en: "transfer to another number or account" },
  spend: { "zh-CN": "继续消费至用完", en: "spend it first" },
  forfeit: { "zh-CN": "放弃", en: "forfeit it" },
};

const COUNTER_REASONS: Readonly<Record<CounterCase, LocalizedText & { actionZh: string; actionEn: string }>> =
  {
    minor: {
      "zh-CN": "持卡人未满18周岁",
      en: "The holder is under 18",
      actionZh: "请由监护人携带本人身份证件和户口簿，与持卡人一同到营业厅办理",
      actionEn:
        "A guardian must come to a counter with the holder, bringing their own ID and the household register",
    },
    non_id_card_document: {
      "zh-CN": "此卡以居民身份证以外的证件登记",
      en: "The card is registered with a document other than a resident ID card",
      actionZh: "请携带登记时所用证件的原件到营业厅办理",
      actionEn: "Bring the original of the document used at registration to a counter",
    },
    contract: {
      "zh-CN": "此卡有合约",
      en: "The card is under a contract",
      actionZh: "请预约营业厅办理，工作人员会核对合约条款",
      actionEn: "Book a counter appointment; staff will go through the contract terms with you",
    },
    family_plan: {
      "zh-CN": "此卡属于家庭套餐",
      en: "The card is part of a family plan",
      actionZh: "请预约营业厅办理，工作人员会处理套餐内的其他号码",
      actionEn: "Book a counter appointment; staff will handle the plan's other numbers",
    },
    bundle: {
      "zh-CN": "此号码办理了融合业务",
      en: "The number has a bundled product",
      actionZh: "请预约营业厅办理",
      actionEn: "Book a counter appointment",
    },
    group: {
      "zh-CN": "此号码属于集团账户",
      en: "The number belongs to a group account",
      actionZh: "请预约营业厅办理",
      actionEn: "Book a counter appointment",
    },
    proxy: {
      "zh-CN": "由他人代办",
      en: "The application is made by a proxy",
      actionZh: "代办人须携带本人身份证件和持卡人签署的授权书到营业厅办理",
      actionEn:
        "The proxy must come to a counter with their own ID and the holder's signed authorisation letter",
    },
    credit_card: {
      "zh-CN": "信用卡销户",
      en: "Credit card accounts",
      actionZh: "请预约营业厅办理，并携带信用卡和身份证件",
      actionEn: "Book a counter appointment and bring the card and your ID",
    },
    deposit_return: {
      "zh-CN": "须交回卡片以退还押金",
      en: "The card has to be handed back for the deposit",
      actionZh: "请携带卡片到营业厅或服务网点办理",
      actionEn: "Bring the card to a counter or service point",
    },
  };

const WEEKDAY_ZH = ["", "周一", "周二", "周三", "周四", "周五", "周六", "周日"];
const WEEKDAY_EN = ["", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/** "1,2,3,4,5" → 周一至周五 / Mon–Fri; runs are compressed, gaps listed. */
export function formatWeekdays(days: string): LocalizedText {
  const list = [...new Set(days.split(",").map(Number))]
    .filter((d) => d >= 1 && d <= 7)
    .sort((a, b) => a - b);
  if (list.length === 7) return { "zh-CN": "每天", en: "every day" };
  const runs: [number, number][] = [];
  for (const d of list) {
    const last = runs.at(-1);
    if (last && last[1] === d - 1) last[1] = d;
    else runs.push([d, d]);
  }
  const zh = runs
    .map(([a, b]) => (a === b ? WEEKDAY_ZH[a] : `${WEEKDAY_ZH[a]}至${WEEKDAY_ZH[b]}`))
    .join("、");
  const en = runs.map(([a, b]) => (a === b ? WEEKDAY_EN[a] : `${WEEKDAY_EN[a]}–${WEEKDAY_EN[b]}`)).join(", ");
  return { "zh-CN": zh, en };
}

function optionsText(p: FindingParams): LocalizedText {
  const opts = s(p, "options")
    .split(",")
    .filter((o): o is BalanceOption => o in BALANCE_OPTION_LABELS);
  return {
    "zh-CN": opts.map((o) => BALANCE_OPTION_LABELS[o]["zh-CN"]).join("、"),
    en: opts.map((o) => BALANCE_OPTION_LABELS[o].en).join(", "),
  };
}

function lockInLabel(p: FindingParams): LocalizedText {
  return LOCK_IN_LABELS[s(p, "kind") as LockInKind] ?? { "zh-CN": "合约", en: "agreement" };
}

/** Texts for a charge that blocks until paid, or is only settled with the final bill. */
function charge(
  what: LocalizedText,
  payZh: string,
  payEn: string,
  laterZh: string,
  laterEn: string,
): TextBuilder {
  return (p, sev) => ({
    message: { "zh-CN": `${what["zh-CN"]} ${money(p)}`, en: `${what.en}: ${money(p)}` },
    action:
      sev === "blocker"
        ? {
            "zh-CN": `${payZh.replace("{a}", money(p))}，再重新检查`,
            en: `${payEn.replace("{a}", money(p))}, then check again`,
          }
        : { "zh-CN": laterZh.replace("{a}", money(p)), en: laterEn.replace("{a}", money(p)) },
  });
}

function dependants(zhWhat: string, enWhat: string, keepZh: string, keepEn: string): TextBuilder {
  return (p, sev) =>
    sev === "blocker"
      ? {
          message: {
            "zh-CN": `还有 ${s(p, "count")} 张${zhWhat}未注销：${s(p, "labels")}`,
            en: `${s(p, "count")} ${enWhat} not cancelled yet: ${s(p, "labels")}`,
          },
          action: {
            "zh-CN": `请先注销这些${zhWhat}（可在“我的卡”中一并办理），再重新检查`,
            en: `Cancel these ${enWhat} first (you can do them together from "My cards"), then check again`,
          },
        }
      : {
          message: {
            "zh-CN": `以下${zhWhat}将按此顺序先行注销：${s(p, "labels")}`,
            en: `These ${enWhat} will be cancelled first, in this order: ${s(p, "labels")}`,
          },
          action: { "zh-CN": keepZh, en: keepEn },
        };
}

const AGAIN_ZH = "，再重新检查";
const AGAIN_EN = ", then check again";

/** Texts of every finding code, as functions of the finding's params and severity. */
export const FINDING_TEXTS: Readonly<Record<FindingCode, TextBuilder>> = {
  ALREADY_CANCELLED: (p) => {
    const n = s(p, "applicationNumber");
    return {
      message: {
        "zh-CN": n ? `此卡已注销（申请号 ${n}）` : "此卡已注销",
        en: n ? `This card is already cancelled (application ${n})` : "This card is already cancelled",
      },
      action: {
        "zh-CN": "无需再次办理；如需证明，可下载注销证明",
        en: "Nothing more to do; download the certificate of cancellation if you need proof",
      },
    };
  },
  APPLICATION_OPEN: (p) => ({
    message: {
      "zh-CN": `此卡已有一份进行中的注销申请（${s(p, "applicationNumber")}）`,
      en: `This card already has an open cancellation application (${s(p, "applicationNumber")})`,
    },
    action: {
      "zh-CN": "请查看该申请的进度，无需重复提交；如需重新办理，请先撤回该申请",
      en: "Follow that application instead of filing again; withdraw it first if you want to start over",
    },
  }),
  PENDING_CANCELLATION: () => ({
    message: { "zh-CN": "此卡正在注销中", en: "This card is already being cancelled" },
    action: {
      "zh-CN": "请等待注销完成，完成后会通知您",
      en: "Wait for the cancellation to finish; you will be notified",
    },
  }),
  NOT_REAL_NAME: () => ({
    message: {
      "zh-CN": "此卡尚未完成实名登记",
      en: "This card is not registered under the holder's real name (实名)",
    },
    action: {
      "zh-CN": `请先在App或营业厅凭身份证件完成实名登记${AGAIN_ZH}`,
      en: `Complete real-name registration with your ID in the app or at a counter${AGAIN_EN}`,
    },
  }),
  CARD_LOST: () => ({
    message: { "zh-CN": "此卡已挂失", en: "This card is reported lost" },
    action: {
      "zh-CN": `请先在App或营业厅解除挂失或补办新卡${AGAIN_ZH}`,
      en: `Lift the loss report or get a replacement card in the app or at a counter${AGAIN_EN}`,
    },
  }),
  CARD_SUSPENDED: () => ({
    message: { "zh-CN": "此卡处于停机或冻结状态", en: "This card is suspended" },
    action: {
      "zh-CN": `请先办理复机（如因欠费停机，请先缴清欠费）${AGAIN_ZH}`,
      en: `Have the card reactivated (if it was suspended for arrears, pay them)${AGAIN_EN}`,
    },
  }),
  ARREARS: charge(
    { "zh-CN": "有已出账欠费", en: "Billed arrears" },
    "请先缴清欠费 {a}（可在App或营业厅缴费）",
    "Pay {a} in arrears in the app or at a counter",
    "无需提前缴费；欠费 {a} 将在注销时从余额抵扣或随最终账单结清",
    "No need to pay first; the {a} is offset against the balance or settled with the final bill",
  ),
  UNBILLED_CHARGES: charge(
    { "zh-CN": "有尚未出账的费用（如国际漫游）", en: "Charges not billed yet (e.g. international roaming)" },
    "请待这些费用出账后缴清 {a}（营业厅可提前出账）",
    "Wait until these charges are billed and pay {a} (a counter can bill them early)",
    "无需提前处理；这 {a} 将计入最终账单，在注销时结清",
    "Nothing to do now; the {a} goes on the final bill and is settled at cancellation",
  ),
  LOCK_IN_BLOCKING: (p) => {
    const l = lockInLabel(p);
    return {
      message: {
        "zh-CN": `${l["zh-CN"]}至 ${s(p, "termEnd")} 到期，到期前不能注销（提前解约违约金 ${money(p, "feeFen")}）`,
        en: `A ${l.en} runs until ${s(p, "termEnd")}; the card cannot be cancelled before then (early-termination fee ${money(p, "feeFen")})`,
      },
      action: {
        "zh-CN": `请于 ${s(p, "termEnd")} 起再申请注销，或到营业厅咨询提前解约`,
        en: `Apply again from ${s(p, "termEnd")}, or ask at a counter about ending the agreement early`,
      },
    };
  },
  LOCK_IN_FEE: (p) => {
    const l = lockInLabel(p);
    return {
      message: {
        "zh-CN": `${l["zh-CN"]}至 ${s(p, "termEnd")} 到期；现在注销需支付提前解约违约金 ${money(p, "feeFen")}`,
        en: `A ${l.en} runs until ${s(p, "termEnd")}; cancelling now costs an early-termination fee of ${money(p, "feeFen")}`,
      },
      action: {
        "zh-CN": `如接受违约金可继续办理；于 ${s(p, "termEnd")} 起申请则无需支付`,
        en: `Go on if you accept the fee; apply from ${s(p, "termEnd")} to avoid it`,
      },
    };
  },
  SECONDARY_CARDS_OPEN: dependants(
    "副卡",
    "secondary card(s)",
    "无需操作；如需保留副卡，请先将其转为独立号码",
    "Nothing to do; to keep a secondary card, make it a standalone number first",
  ),
  SUPPLEMENTARY_CARDS_OPEN: dependants(
    "附属卡",
    "supplementary card(s)",
    "无需操作；如需保留附属卡，请先联系发卡银行",
    "Nothing to do; to keep a supplementary card, contact the bank first",
  ),
  BUNDLE_ACTIVE: (p) => ({
    message: {
      "zh-CN": `此号码的融合业务“${s(p, "bundle")}”仍在使用`,
      en: `The bundled product "${s(p, "bundle")}" is still active on this number`,
    },
    action: {
      "zh-CN": `请先在营业厅办理该业务的拆机或将其转到其他号码${AGAIN_ZH}`,
      en: `Cancel the bundle or move it to another number at a counter${AGAIN_EN}`,
    },
  }),
  GROUP_MEMBER: (p) => ({
    message: {
      "zh-CN": `此号码属于集团账户“${s(p, "groupName")}”`,
      en: `This number belongs to the group account "${s(p, "groupName")}"`,
    },
    action: {
      "zh-CN": `请联系集团管理员先将此号码移出集团${AGAIN_ZH}`,
      en: `Ask the group's administrator to remove the number from the group${AGAIN_EN}`,
    },
  }),
  CREDIT_DEBT: charge(
    { "zh-CN": "信用卡尚有欠款", en: "Credit-card debt outstanding" },
    "请先全额还款 {a}",
    "Repay {a} in full",
    "销户时须一次结清欠款 {a}",
    "The {a} falls due in full when the account is closed",
  ),
  INSTALMENTS_OUTSTANDING: charge(
    { "zh-CN": "尚有未还分期", en: "Instalments outstanding" },
    "请先提前还清全部分期 {a}（可能收取手续费）",
    "Repay all remaining instalments ({a}; a fee may apply)",
    "销户时剩余分期 {a} 将一次性到期",
    "The remaining {a} falls due at once when the account is closed",
  ),
  ANNUAL_FEE_DUE: charge(
    { "zh-CN": "有未缴年费", en: "Annual fee unpaid" },
    "请先缴纳年费 {a}（或联系银行申请减免）",
    "Pay the {a} annual fee (or ask the bank to waive it)",
    "年费 {a} 将在销户时结清",
    "The {a} annual fee is settled when the account is closed",
  ),
  OVERPAYMENT_TO_WITHDRAW: charge(
    { "zh-CN": "信用卡有溢缴款", en: "Credit-card overpayment" },
    "请先取出或转出溢缴款 {a}",
    "Withdraw or transfer the {a} overpayment",
    "溢缴款 {a} 将在销户时退还给您",
    "The {a} overpayment is refunded to you when the account is closed",
  ),
  BALANCE_REMAINING: (p) => {
    const o = optionsText(p);
    return {
      message: { "zh-CN": `账户余额 ${money(p)}`, en: `The account has a balance of ${money(p)}` },
      action: {
        "zh-CN": `提交申请时请选择余额的处理方式：${o["zh-CN"]}`,
        en: `When you apply, choose what happens to it: ${o.en}`,
      },
    };
  },
  GIFTED_BALANCE_FORFEITED: (p) => ({
    message: {
      "zh-CN": `赠送余额 ${money(p)} 不可退还，注销后作废`,
      en: `${money(p)} of gifted balance is not refundable and lapses on cancellation`,
    },
    action: {
      "zh-CN": "如需使用，请在注销前用完",
      en: "Use it before cancelling if you want its value",
    },
  }),
  DEPOSIT_REFUNDABLE: (p) => ({
    message: {
      "zh-CN": `押金 ${money(p)} 在交回卡片时退还`,
      en: `The ${money(p)} deposit is returned when the card is handed back`,
    },
    action: {
      "zh-CN": "请将卡片交回营业厅或服务网点以领回押金",
      en: "Hand the card back at a counter or service point to get the deposit",
    },
  }),
  COUNTER_REQUIRED: (p) => {
    const r = COUNTER_REASONS[s(p, "case") as CounterCase];
    if (!r) {
      return {
        message: { "zh-CN": "此情况须到营业厅办理", en: "This case must be handled at a counter" },
        action: { "zh-CN": "请预约营业厅办理", en: "Book a counter appointment" },
      };
    }
    return {
      message: {
        "zh-CN": `${r["zh-CN"]}，须到营业厅办理，不能在线申请`,
        en: `${r.en}: the application must be made at a counter, not online`,
      },
      action: { "zh-CN": `${r.actionZh}（可预约人少的时段）`, en: `${r.actionEn} (we suggest quiet times)` },
    };
  },
  OUTSIDE_SERVICE_WINDOW: (p) => {
    const d = formatWeekdays(s(p, "days"));
    const hours = `${s(p, "from")}–${s(p, "to")}`;
    return {
      message: {
        "zh-CN": `现在（${s(p, "localTime")}）不在线上办理时间内：${d["zh-CN"]} ${hours}（${s(p, "timeZone")} 时间）`,
        en: `Online applications are accepted ${d.en} ${hours} (${s(p, "timeZone")} time); it is now ${s(p, "localTime")}`,
      },
      action: {
        "zh-CN": "请在线上办理时间内再来，或预约营业厅办理",
        en: "Come back during those hours, or book a counter appointment",
      },
    };
  },
  MONTH_END_CUTOFF: (p) => ({
    message: {
      "zh-CN": `每月最后一天 ${s(p, "after")} 后暂停线上注销（${s(p, "timeZone")} 时间）`,
      en: `Online cancellation pauses after ${s(p, "after")} on the last day of each month (${s(p, "timeZone")} time)`,
    },
    action: {
      "zh-CN": `请于 ${s(p, "nextOnlineDate")} 起再在线申请，或预约营业厅办理`,
      en: `Apply online again from ${s(p, "nextOnlineDate")}, or book a counter appointment`,
    },
  }),
};

/** Builds the texts of a finding; unknown codes cannot occur because the table is exhaustive. */
export function findingTexts(code: FindingCode, params: FindingParams, severity: Severity): FindingTexts {
  return FINDING_TEXTS[code](params, severity);
}
