/**
 * The error catalogue: every error the product can answer with, its HTTP status, its i18n key, its
 * title in both languages and when it is thrown. `docs/errors.md` is generated from this table,
 * and the API answers RFC 9457 problem+json carrying `code`.
 */

interface ErrorSpec {
  status: number;
  zh: string;
  en: string;
  /** When it is thrown: goes into docs/errors.md. */
  when: string;
}

export const ERROR_CATALOGUE = {
  MALFORMED_JSON: {
    status: 400,
    zh: "请求内容不是有效的 JSON",
    en: "The request body is not valid JSON",
    when: "The body cannot be parsed as JSON.",
  },
  VALIDATION_FAILED: {
    status: 400,
    zh: "请求参数有误",
    en: "The request is invalid",
    when: "A field is missing, has the wrong type, or is not allowed (unknown fields are rejected).",
  },
  UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    zh: "不支持的内容类型",
    en: "Unsupported content type",
    when: "A body is sent with a content type other than application/json.",
  },
  PAYLOAD_TOO_LARGE: {
    status: 413,
    zh: "请求内容过大",
    en: "The request body is too large",
    when: "The body exceeds the configured limit (64 KiB for JSON).",
  },
  ROUTE_NOT_FOUND: {
    status: 404,
    zh: "接口不存在",
    en: "No such endpoint",
    when: "No route matches the method and path.",
  },
  ID_NUMBER_INVALID: {
    status: 422,
    zh: "身份证号码无效",
    en: "The ID number is invalid",
    when: "A GB 11643 ID number fails its format, date or check-character test.",
  },
  ICCID_INVALID: {
    status: 422,
    zh: "ICCID 无效",
    en: "The ICCID is invalid",
    when: "An ICCID is not 19–20 characters starting with 89.",
  },
  MOBILE_INVALID: {
    status: 422,
    zh: "手机号码无效",
    en: "The mobile number is invalid",
    when: "A number is not a mainland China mobile number (1[3-9] + 9 digits).",
  },
  CARD_NUMBER_INVALID: {
    status: 422,
    zh: "卡号无效",
    en: "The card number is invalid",
    when: "A bank card number is not 16–19 digits or fails its Luhn check.",
  },
  IDENTITY_MISMATCH: {
    status: 422,
    zh: "身份信息与登记信息不符",
    en: "The identity details do not match our records",
    when: "An ID number, ICCID or card number given to identify the holder does not match the card's records.",
  },
  IDEMPOTENCY_KEY_REQUIRED: {
    status: 400,
    zh: "缺少 Idempotency-Key 请求头",
    en: "The Idempotency-Key header is required",
    when: "A mutating request has no Idempotency-Key header.",
  },
  IDEMPOTENCY_KEY_INVALID: {
    status: 400,
    zh: "Idempotency-Key 格式无效",
    en: "The Idempotency-Key header is malformed",
    when: "The key is not 8–128 characters of [A-Za-z0-9_.:-].",
  },
  IDEMPOTENCY_KEY_REUSED: {
    status: 409,
    zh: "该 Idempotency-Key 已用于另一个请求",
    en: "This Idempotency-Key was used for a different request",
    when: "The same key is replayed with another method, path or body.",
  },
  UNAUTHENTICATED: {
    status: 401,
    zh: "请先登录",
    en: "Please sign in",
    when: "No valid session or token accompanies a request that needs one.",
  },
  CSRF_FAILED: {
    status: 403,
    zh: "请求校验失败，请刷新页面后重试",
    en: "Request verification failed; reload and try again",
    when: "A cookie-authenticated write lacks the matching X-CSRF-Token header.",
  },
  FORBIDDEN: {
    status: 403,
    zh: "您无权执行此操作",
    en: "You are not allowed to do this",
    when: "The actor's role may not perform the action (policy table).",
  },
  OTP_COOLDOWN: {
    status: 429,
    zh: "验证码发送过于频繁，请稍后再试",
    en: "Please wait before requesting another code",
    when: "A code was sent to this phone less than the cooldown ago.",
  },
  OTP_INVALID: {
    status: 401,
    zh: "验证码错误或已过期",
    en: "The code is wrong or has expired",
    when: "The code does not match an unexpired, unused challenge.",
  },
  OTP_LOCKED: {
    status: 429,
    zh: "验证码错误次数过多，请重新获取",
    en: "Too many wrong codes; request a new one",
    when: "Five wrong codes were entered for one challenge.",
  },
  RATE_LIMITED: {
    status: 429,
    zh: "请求过于频繁，请稍后再试",
    en: "Too many requests; try again later",
    when: "A per-IP or per-phone limit was reached.",
  },
  TOTP_REQUIRED: {
    status: 401,
    zh: "请输入动态验证码",
    en: "Enter the code from your authenticator app",
    when: "Staff sign-in without the one-time code for an account that has a second factor.",
  },
  TOTP_INVALID: {
    status: 401,
    zh: "动态验证码错误",
    en: "The authenticator code is wrong",
    when: "A wrong or stale TOTP code, at sign-in (counted towards lock-out) or when confirming enrolment.",
  },
  LOGIN_FAILED: {
    status: 401,
    zh: "用户名或密码错误",
    en: "Wrong username or password",
    when: "Staff sign-in with an unknown user or a wrong password.",
  },
  ACCOUNT_LOCKED: {
    status: 423,
    zh: "账户已临时锁定，请稍后再试",
    en: "The account is temporarily locked",
    when: "Too many failed staff sign-ins in a row.",
  },
  NOT_FOUND: {
    status: 404,
    zh: "未找到该资源",
    en: "Not found",
    when: "The resource does not exist or belongs to someone else (never told apart, to avoid leaking).",
  },
  CARD_NOT_FOUND: {
    status: 404,
    zh: "未找到该卡",
    en: "Card not found",
    when: "The card does not exist or is not the holder's.",
  },
  APPLICATION_NOT_FOUND: {
    status: 404,
    zh: "未找到该申请",
    en: "Application not found",
    when: "The application does not exist or is not visible to the actor.",
  },
  CARD_ALREADY_CANCELLED: {
    status: 409,
    zh: "该卡已注销",
    en: "This card is already cancelled",
    when: "An application is made for a card that an earlier application cancelled; names that application.",
  },
  CARD_NOT_ELIGIBLE: {
    status: 422,
    zh: "该卡暂不满足注销条件",
    en: "This card cannot be cancelled yet",
    when: "Submission while eligibility has blockers; the findings are included.",
  },
  COUNTER_REQUIRED: {
    status: 422,
    zh: "该业务需到营业厅办理",
    en: "This case must be handled at a counter",
    when: "An online submission for a case the provider only handles at a counter, or outside the online service window.",
  },
  BACKUP_REQUIRED: {
    status: 422,
    zh: "请先完成数据备份或说明放弃备份的原因",
    en: "Back up the card's data first, or waive it with a reason",
    when: "Submission before the backup step is done or waived.",
  },
  UNBINDING_INCOMPLETE: {
    status: 422,
    zh: "请先处理全部解绑事项",
    en: "Resolve every unbinding item first",
    when: "A SIM application is submitted while bound services are neither unbound nor skipped with a reason.",
  },
  BALANCE_OPTION_REQUIRED: {
    status: 422,
    zh: "请选择余额处理方式",
    en: "Choose what happens to the balance",
    when: "Submission with a remaining balance but no balance option.",
  },
  BALANCE_OPTION_NOT_ALLOWED: {
    status: 422,
    zh: "该余额处理方式不可用",
    en: "This balance option is not offered",
    when: "The chosen balance option is not in the provider's rules.",
  },
  TRANSFER_TARGET_INVALID: {
    status: 422,
    zh: "余额转入号码无效",
    en: "The transfer target number is invalid",
    when: "Transfer is chosen without a valid mainland mobile number, or to the card's own number.",
  },
  TIMING_NOT_ALLOWED: {
    status: 422,
    zh: "该注销时间选项不可用",
    en: "This cancellation timing is not offered",
    when: "The timing is not in the provider's rules, or a chosen date is missing or in the past.",
  },
  REASON_REQUIRED: {
    status: 422,
    zh: "请填写原因",
    en: "A reason is required",
    when: "A waiver, skip or rejection is given without a reason.",
  },
  DOCUMENTS_REQUIRED: {
    status: 422,
    zh: "请先上传所需材料",
    en: "Upload the required documents first",
    when: "An online submission while a document kind the provider requires is missing; names the missing kinds.",
  },
  DOCUMENT_TYPE_NOT_ALLOWED: {
    status: 415,
    zh: "仅支持 JPEG、PNG 或 PDF 文件",
    en: "Only JPEG, PNG or PDF files are accepted",
    when: "An upload whose content is not JPEG, PNG or PDF, whatever its declared type.",
  },
  DOCUMENT_TOO_LARGE: {
    status: 413,
    zh: "文件过大（最大 5 MB）",
    en: "The file is too large (5 MB at most)",
    when: "An upload over the document size limit.",
  },
  BATCH_ITEM_FAILED: {
    status: 422,
    zh: "批量申请中有一张卡未能提交",
    en: "One card in the batch could not be submitted",
    when: "Submitting a batch stopped at one application; nothing in the batch was submitted. Names the application and the cause.",
  },
  NUMBER_NOT_RESTORABLE: {
    status: 409,
    zh: "该号码不在冷冻期内，无法恢复",
    en: "This number cannot be restored",
    when: "Restoring a number that is not a SIM number in quarantine, or whose quarantine has ended.",
  },
  HOLDER_HAS_OPEN_APPLICATIONS: {
    status: 409,
    zh: "该持卡人仍有进行中的申请，暂不能删除其个人信息",
    en: "The holder still has applications in progress",
    when: "Erasing a holder's personal data while an application of theirs is open; names them.",
  },
  RECEIPT_NOT_FOUND: {
    status: 404,
    zh: "该申请尚无此回执或证明",
    en: "This application has no such receipt or certificate",
    when: "A receipt is asked for before submission, or a certificate before completion (or the application is not visible).",
  },
  EMAIL_REQUIRED: {
    status: 422,
    zh: "选择邮件通知时请填写邮箱地址",
    en: "An e-mail address is needed to be told by e-mail",
    when: "Notification preferences choose e-mail while no address is given or on file.",
  },
  BRANCH_NOT_FOUND: {
    status: 404,
    zh: "未找到该营业厅",
    en: "Branch not found",
    when: "The branch does not exist, or belongs to another provider than the staff member's.",
  },
  PROVIDER_NOT_FOUND: {
    status: 404,
    zh: "未找到该服务商",
    en: "Provider not found",
    when: "A processing-time estimate is asked for a provider that does not exist.",
  },
  APPOINTMENT_NOT_FOUND: {
    status: 404,
    zh: "未找到该预约",
    en: "Appointment not found",
    when: "The appointment does not exist, is another holder's, or is at another provider's branch.",
  },
  SLOT_NOT_AVAILABLE: {
    status: 422,
    zh: "该时段不可预约",
    en: "This slot cannot be booked",
    when: "Booking or rescheduling to a time that is not a slot of the branch; `reason` is off_grid, closed, holiday, past, too_far or month_end_cutoff.",
  },
  SLOT_FULL: {
    status: 409,
    zh: "该时段已约满",
    en: "This slot is fully booked",
    when: "Every place in the slot was taken, possibly by a booking that arrived at the same moment.",
  },
  ALREADY_BOOKED: {
    status: 409,
    zh: "您已预约该时段",
    en: "You already hold this slot",
    when: "A holder books (or moves an appointment to) a slot they already hold.",
  },
  APPOINTMENT_LIMIT_REACHED: {
    status: 409,
    zh: "预约数量已达上限",
    en: "Too many upcoming appointments",
    when: "A holder with three upcoming appointments books another; cancel one first.",
  },
  APPOINTMENT_NOT_DUE: {
    status: 409,
    zh: "尚未到该预约的办理时间",
    en: "It is not time for this appointment yet",
    when: "Check-in before the appointment's day, or a no-show marked before the slot ended plus 15 minutes.",
  },
  APPOINTMENT_PAST: {
    status: 409,
    zh: "该预约时间已过",
    en: "This appointment's time has passed",
    when: "Cancelling, rescheduling or checking in an appointment whose day or slot is over.",
  },
  BRANCH_WRONG_PROVIDER: {
    status: 422,
    zh: "该营业厅不受理此申请",
    en: "This branch does not handle this application",
    when: "An appointment names an application of another provider than the branch's.",
  },
  TRANSITION_NOT_ALLOWED: {
    status: 409,
    zh: "当前状态下不能执行此操作",
    en: "This action is not allowed in the current state",
    when: "A transition is requested from a state the state machine does not allow it from.",
  },
  CONCURRENT_UPDATE: {
    status: 409,
    zh: "申请已被他人更新，请刷新后重试",
    en: "The application changed meanwhile; reload and retry",
    when: "A guarded update found the application no longer in the expected state.",
  },
  STAFF_USERNAME_TAKEN: {
    status: 409,
    zh: "用户名已存在",
    en: "This username is taken",
    when: "Adding staff with a username that exists.",
  },
  LOOKUP_FAILED: {
    status: 404,
    zh: "申请编号与手机号不匹配",
    en: "Application number and phone do not match",
    when: "Progress lookup with an application number and phone that do not belong together.",
  },
  SERVICE_UNAVAILABLE: {
    status: 503,
    zh: "服务暂时不可用，请稍后再试",
    en: "Service temporarily unavailable",
    when: "The database is busy or unreachable.",
  },
  DATABASE_UNAVAILABLE: {
    status: 503,
    zh: "数据库暂时无法连接，请稍后再试",
    en: "The database is temporarily unreachable",
    when: "PostgreSQL is down, restarting or unreachable; the request changed nothing and is safe to retry.",
  },
  INTERNAL: {
    status: 500,
    zh: "系统内部错误",
    en: "Internal error",
    when: "An unexpected failure; logged with the request id.",
  },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

export function i18nKeyOf(code: ErrorCode): string {
  return `errors.${code}`;
}

/** An expected failure with a catalogue code; anything else is a bug and answers INTERNAL. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly params: Record<string, unknown>;
  constructor(code: ErrorCode, params: Record<string, unknown> = {}, detail?: string) {
    super(detail ?? ERROR_CATALOGUE[code].en);
    this.name = "AppError";
    this.code = code;
    this.params = params;
  }
  get status(): number {
    return ERROR_CATALOGUE[this.code].status;
  }
}
