/**
 * Errors of the card tooling, each with a stable code and a message in English and zh-CN that
 * says what to do. These stay on the counter's machine (CLI, reader client); the HTTP API's
 * catalogue is `src/app/errors.ts`.
 */
import { swHex, swMeaning } from "./apdu.js";

export const CARD_ERRORS = {
  PCSC_UNAVAILABLE: {
    en: "PC/SC is not available: {detail}. Install the `smartcard` package (optional dependency; needs libpcsclite-dev and a C++ toolchain) and start pcscd (Debian: apt-get install pcscd libpcsclite-dev)",
    zh: "PC/SC 不可用：{detail}。请安装 smartcard 包（可选依赖，需要 libpcsclite-dev 和 C++ 编译环境）并启动 pcscd（Debian：apt-get install pcscd libpcsclite-dev）",
  },
  READER_NOT_FOUND: {
    en: "No card reader matches {reader}; readers present: {readers}",
    zh: "没有匹配 {reader} 的读卡器；当前读卡器：{readers}",
  },
  CARD_ABSENT: {
    en: "No card in {reader}: insert the SIM (chip down, cut corner first) and try again",
    zh: "读卡器 {reader} 中没有卡：请插入 SIM 卡（芯片朝下，缺角先入）后重试",
  },
  PCSC_ERROR: { en: "The reader reported an error: {detail}", zh: "读卡器报告错误：{detail}" },
  CARD_STATUS: {
    en: "The card answered {sw} ({meaning}) to {command}",
    zh: "卡片对 {command} 的应答为 {sw}（{meaning}）",
  },
  NOT_A_UICC: {
    en: "The card does not answer UICC commands (CLA 00 → 6E00): it is probably a 2G SIM, which this tool does not read",
    zh: "卡片不响应 UICC 指令（CLA 00 → 6E00），可能是 2G SIM 卡，本工具暂不支持读取",
  },
  PIN_REQUIRED: {
    en: "The SIM's PIN is enabled ({triesLeft} tries left): give the PIN with --pin-stdin, or disable the PIN lock on the phone first",
    zh: "SIM 卡已开启 PIN 码（剩余 {triesLeft} 次）：请用 --pin-stdin 输入 PIN，或先在手机上关闭 PIN 锁",
  },
  PIN_LAST_TRY: {
    en: "Only one PIN try is left, so no PIN was sent: a wrong PIN now would block the SIM. Have the holder unlock it in their phone, or unblock it with the PUK at the operator",
    zh: "PIN 码只剩最后一次机会，因此没有发送 PIN：此时输错会锁死 SIM 卡。请持卡人在手机上解锁，或到运营商处用 PUK 解锁",
  },
  PIN_BLOCKED: {
    en: "The PIN is blocked: only the PUK (from the operator) can unblock it; nothing was read that needs the PIN",
    zh: "PIN 码已锁定：只能用运营商提供的 PUK 码解锁；需要 PIN 的数据未读取",
  },
  PIN_WRONG: {
    en: "Wrong PIN; {triesLeft} tries left. Check the PIN with the holder before trying again",
    zh: "PIN 码错误，剩余 {triesLeft} 次。请与持卡人核对后再试",
  },
  PIN_FORMAT: { en: "A PIN has 4 to 8 digits", zh: "PIN 码为 4 至 8 位数字" },
  CARD_TERMINATION_UNAVAILABLE: {
    en: "The card cannot be terminated from here: TERMINATE CARD USAGE (ETSI TS 102 222) needs the operator's ADM key and GlobalPlatform SET STATUS TERMINATED needs a secure channel with the issuer's security-domain keys, and no secure-channel provider is configured. Do instead: have the operator cancel the subscription (network side), then destroy the card physically by cutting through the chip",
    zh: "无法在此终止卡片：TERMINATE CARD USAGE（ETSI TS 102 222）需要运营商的 ADM 密钥，GlobalPlatform SET STATUS TERMINATED 需要与发卡方安全域密钥建立的安全通道，而当前未配置安全通道提供方。请改为：由运营商在网络侧注销号码，然后剪断芯片进行物理销毁",
  },
  CARD_TERMINATION_REFUSED: {
    en: "The card refused termination ({sw}) through the secure channel",
    zh: "卡片通过安全通道拒绝了终止指令（{sw}）",
  },
  ESIM_PROFILE_NOT_FOUND: {
    en: "No eSIM profile with ICCID {iccid} on this eUICC; profiles present: {present}",
    zh: "该 eUICC 上没有 ICCID 为 {iccid} 的 eSIM 配置文件；现有：{present}",
  },
  ESIM_OPERATION_FAILED: {
    en: "{operation} of profile {iccid} failed: {result}",
    zh: "配置文件 {iccid} 的 {operation} 操作失败：{result}",
  },
  ES10_ERROR: {
    en: "The eUICC answered an ES10 call with an error: {detail}",
    zh: "eUICC 返回 ES10 错误：{detail}",
  },
  ES9_NOTIFICATION_FAILED: {
    en: "The SM-DP+ at {url} did not accept the notification (HTTP {status}); it stays on the chip to be sent again",
    zh: "SM-DP+（{url}）未接受通知（HTTP {status}）；通知保留在芯片上，可稍后重发",
  },
  BACKUP_FORMAT_UNKNOWN: {
    en: "{file} is neither a vCard, an SMS Backup & Restore XML nor a zhuxiao JSON backup",
    zh: "{file} 既不是 vCard，也不是 SMS Backup & Restore XML 或 zhuxiao JSON 备份",
  },
  BACKUP_FORMAT_INVALID: { en: "{file}: {detail}", zh: "{file}：{detail}" },
} as const;

export type CardErrorCode = keyof typeof CARD_ERRORS;

/** `CARD_STATUS` for an unexpected status word, with what the word means. */
export function statusError(sw: number, commandName: string): CardError {
  return new CardError("CARD_STATUS", { sw: swHex(sw), meaning: swMeaning(sw), command: commandName });
}

function fill(template: string, params: Record<string, unknown>): string {
  return template.replace(/\{(\w+)\}/g, (_, k: string) => (k in params ? String(params[k]) : `{${k}}`));
}

export class CardError extends Error {
  override name = "CardError";
  readonly zh: string;
  constructor(
    readonly code: CardErrorCode,
    readonly params: Record<string, unknown> = {},
  ) {
    super(fill(CARD_ERRORS[code].en, params));
    this.zh = fill(CARD_ERRORS[code].zh, params);
  }
}
