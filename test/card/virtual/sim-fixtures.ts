/**
 * What the test puts on the virtual SIM: 250 contacts (Chinese and Latin names, every alpha
 * coding, long numbers through EXT1, second numbers, e-mails, nicknames, groups) and 30 EF.SMS
 * records (GSM 7-bit with escapes, UCS2, 8-bit, concatenated parts in 8- and 16-bit reference
 * forms, stored out of order, zones east and west, sent and unsent messages).
 */
import type { Contact, SmsBox, SmsMessage } from "../../../src/card/model.js";
import type { SmsAlphabet } from "../../../src/card/sms-fields.js";
import { splitText } from "../../../src/card/sms-tpdu.js";

const SURNAMES = [
  "王",
  "李",
  "张",
  "刘",
  "陈",
  "杨",
  "黄",
  "赵",
  "吴",
  "周",
  "徐",
  "孙",
  "马",
  "朱",
  "胡",
  "郭",
  "何",
  "高",
  "林",
  "罗",
  "欧阳",
  "司马",
  "诸葛",
];
const GIVEN = [
  "伟",
  "芳",
  "娜",
  "秀英",
  "敏",
  "静",
  "丽",
  "强",
  "磊",
  "军",
  "洋",
  "勇",
  "艳",
  "杰",
  "娟",
  "涛",
  "明",
  "超",
  "秀兰",
  "霞",
  "平",
  "刚",
  "桂英",
  "玉",
];
/** Given and family names by script, so that a name stays in one UCS2 page (81/82 coding). */
const LATIN_NAMES: ReadonlyArray<readonly [readonly string[], readonly string[]]> = [
  [
    [
      "Alice",
      "Bob",
      "Chloé",
      "Émile",
      "François",
      "Günter",
      "Hélène",
      "Jürgen",
      "Søren",
      "Zoë",
      "Łukasz",
      "Ñoño",
      "Åsa",
      "Mary-Jane",
      "O'Neil",
    ],
    ["Smith", "Müller", "Dupont", "García", "Ødegaard", "Nakamura", "Brown", "Rossi", "Kowalski"],
  ],
  [
    ["Олег", "Ольга", "Дмитрий"],
    ["Иванов", "Петрова", "Смирнов"],
  ],
  [
    ["Γιώργος", "Ελένη"],
    ["Πάππας", "Νικολάου"],
  ],
];
const GROUPS = ["家人", "同事", "Friends", "客户", "VIP"];
const MOBILE_BLOCKS = ["138", "139", "150", "186", "189", "192", "195", "166", "177", "199"];

/** A small deterministic generator, so that a failing test shows the same card twice. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function pick<T>(r: () => number, list: readonly T[]): T {
  return list[Math.floor(r() * list.length)] as T;
}

function digits(r: () => number, n: number): string {
  let s = "";
  for (let i = 0; i < n; i++) s += String(Math.floor(r() * 10));
  return s;
}

/** The 250 contacts, in ADN record order. */
export function fixtureContacts(count = 250): Contact[] {
  const r = rng(20261124);
  const out: Contact[] = [];
  for (let i = 0; i < count; i++) {
    const chinese = i % 5 !== 1 && i % 5 !== 3;
    const [given, family] = LATIN_NAMES[
      i % 11 === 1 ? 1 : i % 13 === 3 ? 2 : 0
    ] as (typeof LATIN_NAMES)[number];
    let name = chinese ? `${pick(r, SURNAMES)}${pick(r, GIVEN)}` : `${pick(r, given)} ${pick(r, family)}`;
    // A few names that need care in vCard (, ;) and in GSM (escapes), one without a name at all.
    if (i === 7) name = "Smith, John";
    if (i === 8) name = "Team [Ops] {24h}";
    if (i === 9) name = "王玉";
    if (i === 10) name = "";
    if (i === 11) name = "张三";
    let number: string;
    switch (i % 7) {
      case 0:
        number = `+86${pick(r, MOBILE_BLOCKS)}${digits(r, 8)}`;
        break;
      case 1:
        number = `0${pick(r, ["10", "21", "755", "571"])}${digits(r, 8)}`;
        break;
      case 2:
        number = `${pick(r, ["10086", "95588", "12345", "*86#"])}`;
        break;
      default:
        number = `${pick(r, MOBILE_BLOCKS)}${digits(r, 8)}`;
    }
    // Long numbers (extension after a pause) that continue in EXT1, one of them over two records.
    if (i % 50 === 13) number = `+86${pick(r, MOBILE_BLOCKS)}${digits(r, 8)},${digits(r, 12)}`;
    if (i === 113) number = `+86${digits(r, 11)},${digits(r, 30)}`;
    const c: Contact = {
      name,
      phones: [{ number, types: ["cell"] }],
      emails: [],
      nickname: null,
      groups: [],
      note: null,
    };
    if (i % 6 === 0) c.phones.push({ number: `0${pick(r, ["10", "21"])}${digits(r, 8)}`, types: ["voice"] });
    if (i === 12) c.phones = [];
    if (i % 4 === 0) c.emails.push(`user${i}@example.${chinese ? "cn" : "com"}`);
    if (i % 9 === 0) c.nickname = chinese ? `小${name.slice(-1)}` : name.split(" ")[0] || "Nick";
    if (i % 3 === 0) c.groups.push(pick(r, GROUPS));
    if (i % 15 === 0) c.groups.push("VIP");
    c.groups = [...new Set(c.groups)];
    out.push(c);
  }
  return out;
}

/** One message as it is meant to be stored: split into parts when long. */
export interface SmsSpec {
  address: string;
  text: string;
  alphabet: SmsAlphabet;
  box: SmsBox;
  read: boolean;
  /** Local time at the service centre and its offset, for received messages. */
  local?: string;
  offsetMinutes?: number;
  /** EF.SMS status byte. */
  status: number;
  concat?: { ref: number; refBits: 8 | 16; reverse?: boolean };
}

export const SERVICE_CENTRE = "+8613800100500";

const LONG_EN =
  "Dear customer, your cancellation request for number 138****8000 has been received. Before we proceed, please back up the contacts and messages on your SIM card, settle any remaining balance, and unbind the number from payment apps, banks and government services. Bring your ID card to the counter. Reply 1 to confirm or call 10086 for help. Thank you!";
const LONG_ZH =
  "尊敬的客户：您的号码注销申请已受理。注销前请备份手机卡上的通讯录和短信，结清余额，并解除号码与支付宝、微信、银行及政务服务的绑定。携号转网及合约期内的号码需到营业厅办理。号码注销后将进入九十天冷冻期，冷冻期内可申请恢复。如有疑问，请拨打客服电话或前往就近营业厅咨询。感谢您的支持！";
const MEDIUM_ZH =
  "快递已到楼下驿站，取件码 8-3-1024，请于今晚八点前取走。超时将退回寄件人，如需改约请回复本短信。另：本周六驿站营业时间调整为上午九点至晚上九点，节假日照常营业。谢谢配合😀";

// biome-ignore format: one message per line
export const SMS_SPECS: SmsSpec[] = [
  { address: "+8613800138000", text: "Hello from Beijing! Meet at 10:00?", alphabet: "gsm7", box: "inbox", read: true, local: "2024-05-01T12:34:56", offsetMinutes: 480, status: 0x01 },
  { address: "13912345678", text: "你好，明天见。", alphabet: "ucs2", box: "inbox", read: false, local: "2024-05-02T08:00:00", offsetMinutes: 480, status: 0x03 },
  { address: "10086", text: "Price: 10€ [promo] {code} ~ok~ ^_^ | back\\slash", alphabet: "gsm7", box: "inbox", read: true, local: "2024-05-03T09:15:00", offsetMinutes: 480, status: 0x01 },
  { address: "+447700900123", text: "Binary-ish text: café", alphabet: "8bit", box: "inbox", read: true, local: "2024-05-03T10:00:00", offsetMinutes: 60, status: 0x01 },
  { address: "+8613700137000", text: "生日快乐🎂", alphabet: "ucs2", box: "inbox", read: true, local: "2024-05-04T00:00:01", offsetMinutes: 480, status: 0x01 },
  { address: "ChinaMobile", text: "Your bill for April is 58.00 CNY.", alphabet: "gsm7", box: "inbox", read: true, local: "2024-05-05T18:00:00", offsetMinutes: 480, status: 0x01 },
  { address: "+12125550123", text: "See you soon", alphabet: "gsm7", box: "inbox", read: true, local: "2024-05-05T21:30:00", offsetMinutes: -300, status: 0x01 },
  { address: "13800138000", text: "On my way", alphabet: "gsm7", box: "sent", read: true, status: 0x05 },
  { address: "+8613912345678", text: "好的，收到", alphabet: "ucs2", box: "sent", read: true, status: 0x0d },
  { address: "10010", text: "CXYE", alphabet: "gsm7", box: "outbox", read: true, status: 0x07 },
  { address: "+8613800138000", text: LONG_EN, alphabet: "gsm7", box: "inbox", read: true, local: "2024-05-06T11:11:11", offsetMinutes: 480, status: 0x01, concat: { ref: 0x2a, refBits: 8 } },
  { address: "95588", text: LONG_ZH, alphabet: "ucs2", box: "inbox", read: false, local: "2024-05-07T07:07:07", offsetMinutes: 480, status: 0x03, concat: { ref: 0x1f40, refBits: 16 } },
  { address: "+8618612345678", text: MEDIUM_ZH, alphabet: "ucs2", box: "inbox", read: true, local: "2024-05-08T19:45:00", offsetMinutes: 480, status: 0x01, concat: { ref: 0x07, refBits: 8, reverse: true } },
  { address: "13800138000", text: `${LONG_EN.slice(0, 200)}`, alphabet: "gsm7", box: "sent", read: true, status: 0x15, concat: { ref: 0x99, refBits: 8 } },
  { address: "+919876543210", text: "Namaste! Call me at 5.", alphabet: "gsm7", box: "inbox", read: true, local: "2024-05-09T09:30:00", offsetMinutes: 330, status: 0x01 },
  { address: "+81312345678", text: "こんにちは", alphabet: "ucs2", box: "inbox", read: true, local: "2024-05-09T10:00:00", offsetMinutes: 540, status: 0x01 },
  { address: "+5511987654321", text: "Olá! Tudo bem?", alphabet: "ucs2", box: "inbox", read: true, local: "2024-05-09T11:00:00", offsetMinutes: -180, status: 0x01 },
  { address: "+442071234567", text: "Line one\nLine two", alphabet: "gsm7", box: "inbox", read: true, local: "2024-01-15T08:00:00", offsetMinutes: 0, status: 0x01 },
  { address: "12306", text: '<b>车票</b> & "G1234" \'二等座\'', alphabet: "ucs2", box: "inbox", read: true, local: "2024-05-10T06:30:00", offsetMinutes: 480, status: 0x01 },
  { address: "+8613600136000", text: "验证码 482913，5分钟内有效。", alphabet: "ucs2", box: "inbox", read: true, local: "2024-05-11T14:00:00", offsetMinutes: 480, status: 0x01 },
  { address: "+8613500135000", text: "OK, thanks!", alphabet: "gsm7", box: "inbox", read: true, local: "2024-05-12T20:20:20", offsetMinutes: 480, status: 0x01 },
  { address: "+8613500135000", text: "收到，谢谢", alphabet: "ucs2", box: "sent", read: true, status: 0x1d },
  { address: "+8613400134000", text: "Dinner at 7? @Hotpot", alphabet: "gsm7", box: "inbox", read: false, local: "2024-05-13T17:00:00", offsetMinutes: 480, status: 0x03 },
  { address: "+85291234567", text: "Ünïcödé in a GSM-incompatible way: ë", alphabet: "ucs2", box: "inbox", read: true, local: "2024-05-14T12:00:00", offsetMinutes: 480, status: 0x01 },
]

/** The parts of a spec as they go on the card, in storage order. */
export function partsOf(spec: SmsSpec): string[] {
  const parts = spec.concat ? splitText(spec.text, spec.alphabet, spec.concat.refBits) : [spec.text];
  if (spec.concat && parts.length < 2)
    throw new Error(`"${spec.text.slice(0, 20)}" does not need concatenation`);
  return parts;
}

export function localToEpoch(local: string, offsetMinutes: number): number {
  return Date.parse(`${local}Z`) - offsetMinutes * 60_000;
}

function zone(offsetMinutes: number): string {
  const a = Math.abs(offsetMinutes);
  return `${offsetMinutes < 0 ? "-" : "+"}${String(Math.floor(a / 60)).padStart(2, "0")}:${String(a % 60).padStart(2, "0")}`;
}

/** What a correct reader must get back for each spec. */
export function expectedMessage(spec: SmsSpec): SmsMessage {
  const received = spec.local !== undefined && spec.offsetMinutes !== undefined;
  return {
    address: spec.address,
    body: spec.alphabet === "8bit" ? spec.text : spec.text,
    box: spec.box,
    read: spec.read,
    date: received ? localToEpoch(spec.local as string, spec.offsetMinutes as number) : null,
    dateLocal: received ? `${spec.local}${zone(spec.offsetMinutes as number)}` : null,
    serviceCenter: SERVICE_CENTRE,
    status: spec.box !== "sent" ? -1 : spec.status === 0x0d ? 32 : spec.status === 0x05 ? -1 : 0,
  };
}

/** Record count these specs take; the fixture is built to fill exactly 30. */
export function recordCount(specs: readonly SmsSpec[] = SMS_SPECS): number {
  return specs.reduce((n, s) => n + partsOf(s).length, 0);
}
