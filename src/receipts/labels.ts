/** Chinese and English words for the coded values a receipt carries, for the printed page. */

type Pair = readonly [zh: string, en: string];

const VALUES: Readonly<Record<string, Readonly<Record<string, Pair>>>> = {
  kind: {
    bank_debit: ["借记卡", "Debit card"],
    bank_credit: ["信用卡", "Credit card"],
    transit: ["交通卡", "Transit card"],
    social_security: ["社保卡", "Social-security card"],
    access: ["门禁卡", "Access card"],
    physical: ["实体 SIM 卡", "Physical SIM"],
    esim: ["eSIM", "eSIM"],
  },
  channel: {
    online: ["线上", "Online"],
    counter: ["营业厅", "At a counter"],
    api: ["服务商系统", "Provider system"],
    involuntary: ["欠费销户", "Involuntary (arrears)"],
  },
  timing: {
    immediate: ["立即", "Immediately"],
    end_of_cycle: ["本计费周期末", "End of billing cycle"],
    date: ["指定日期", "On a chosen date"],
  },
  balanceOption: {
    refund: ["退款", "Refund"],
    transfer: ["转入其他号码", "Transfer"],
    spend: ["用完", "Spend"],
    forfeit: ["放弃", "Forfeit"],
  },
  money: {
    refundable_balance: ["可退余额", "Refundable balance"],
    gifted_forfeit: ["赠送余额（不退）", "Gifted balance (not refunded)"],
    deposit: ["押金", "Deposit"],
    payable: ["应缴费用", "Amount payable"],
    final_bill: ["最终账单", "Final bill"],
    offset: ["抵扣", "Offset"],
    refund: ["退款", "Refund"],
    transfer: ["转出", "Transfer"],
    forfeit: ["放弃余额", "Forfeited balance"],
    collections: ["欠费催收", "Sent to collections"],
    deposit_refund: ["退还押金", "Deposit refunded"],
  },
  cardStatus: {
    cancelled: ["已注销", "Cancelled"],
    pending_cancellation: ["注销中", "Being cancelled"],
    active: ["正常", "Active"],
  },
  numberStatus: {
    quarantined: ["冷冻期", "In quarantine"],
    released: ["已释放", "Released"],
    restored: ["已恢复", "Restored"],
    in_service: ["在用", "In service"],
  },
  idType: {
    resident_id: ["居民身份证", "Resident ID card"],
    passport: ["护照", "Passport"],
    hk_macao_permit: ["港澳居民来往内地通行证", "Home Return Permit"],
    taiwan_permit: ["台湾居民来往大陆通行证", "Taiwan Compatriot Permit"],
    foreign_permanent: ["外国人永久居留身份证", "Foreign Permanent Resident ID"],
  },
  identifier: {
    msisdn: ["号码", "Number"],
    iccid: ["ICCID", "ICCID"],
    eid: ["EID", "EID"],
    cardNumber: ["卡号", "Card number"],
  },
};

/** The pair for a coded value; an unknown code is shown as itself in both languages. */
export function label(group: keyof typeof VALUES | string, code: string | null | undefined): Pair {
  if (!code) return ["—", "—"];
  return VALUES[group]?.[code] ?? [code, code];
}

/** `¥36.50` from 3650 fen. */
export function yuan(fen: number): string {
  const sign = fen < 0 ? "-" : "";
  const abs = Math.abs(fen);
  return `${sign}¥${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, "0")}`;
}
