/**
 * Table types for Kysely. Columns are snake_case in SQL and camelCase here (CamelCasePlugin).
 * Timestamps are ISO-8601 UTC strings and booleans are 0/1 integers so that the same migrations and
 * queries run on SQLite and PostgreSQL; money is integer fen.
 */
import type { Generated, Insertable, Selectable, Updateable } from "kysely";

export interface ProvidersTable {
  id: string;
  code: string;
  kind: string;
  nameZh: string;
  nameEn: string;
  timeZone: string;
  rulesJson: string;
  rulesVersion: string;
  createdAt: string;
}

export interface HoldersTable {
  id: string;
  nameEnc: string;
  nameMasked: string;
  idType: string;
  idNumberEnc: string;
  /** Keyed hash (HMAC-SHA-256) of the normalised ID number: the only way to find a holder by it. */
  idNumberHash: string;
  idNumberMasked: string;
  phone: string;
  realNameVerified: number;
  isMinor: number;
  preferredLanguage: string;
  createdAt: string;
  /** Where notifications go besides SMS; null until the holder gives one. */
  email: Generated<string | null>;
  /** Comma-separated channels the holder wants: "sms", "email", "sms,email". */
  notifyChannels: Generated<string>;
}

export interface CardsTable {
  id: string;
  providerId: string;
  holderId: string;
  family: string;
  kind: string;
  networkGeneration: string | null;
  label: string;
  cardNumberEnc: string | null;
  cardNumberHash: string | null;
  cardNumberMasked: string | null;
  iccid: string | null;
  msisdn: string | null;
  eid: string | null;
  status: string;
  numberStatus: string | null;
  quarantineUntil: string | null;
  realNameVerified: number;
  parentCardId: string | null;
  relation: string | null;
  bundle: string | null;
  groupName: string | null;
  familyPlan: number;
  destroyedAt: string | null;
  destroyedHow: string | null;
  cancelledAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface AccountsTable {
  cardId: string;
  balanceFen: number;
  giftedBalanceFen: number;
  depositFen: number;
  arrearsFen: number;
  unbilledFen: number;
  debtFen: number;
  instalmentsFen: number;
  overpaymentFen: number;
  annualFeeDueFen: number;
  /** When the arrears began: the involuntary-cancellation ladder counts from here. */
  arrearsSince: string | null;
  updatedAt: string;
}

export interface LockInsTable {
  id: string;
  cardId: string;
  kind: string;
  termEnd: string;
  terminationFeeFen: number;
}

export interface BindingsTable {
  id: string;
  cardId: string;
  service: string;
  category: string;
  nameZh: string;
  nameEn: string;
}

export interface ApplicationsTable {
  id: string;
  number: string;
  cardId: string;
  holderId: string;
  providerId: string;
  batchId: string | null;
  /** Order within a batch: dependants before the card they depend on. */
  batchPosition: number | null;
  /** Branch of the staff member who took it at a counter; null online. */
  branch: string | null;
  status: string;
  channel: string;
  reason: string | null;
  timing: string;
  requestedDate: string | null;
  serviceEndDate: string | null;
  billingEndDate: string | null;
  balanceOption: string | null;
  transferTo: string | null;
  backupStatus: string;
  backupNote: string | null;
  /** JSON array of { bindingId, state: pending|unbound|skipped, reason }. */
  unbindingJson: string;
  proxy: number;
  eligibilityJson: string | null;
  infoRequest: string | null;
  infoResponse: string | null;
  rejectReason: string | null;
  rejectComment: string | null;
  failureCause: string | null;
  closedHow: string | null;
  /**
   * At a counter: the physical card destroyed in front of the holder or handed back (a deposit is
   * refunded on return), recorded when the application is filed; closing starts from it.
   */
  cardDisposition: Generated<string | null>;
  dueAt: string | null;
  createdByType: string;
  createdById: string;
  createdAt: string;
  updatedAt: string;
  submittedAt: string | null;
  decidedAt: string | null;
  completedAt: string | null;
  closedAt: string | null;
  /** Bumped by every guarded update; lets readers detect change. */
  version: number;
}

export interface AuditEventsTable {
  /** Gapless position in the hash chain, assigned from audit_head inside the transaction. */
  seq: number;
  id: string;
  entityType: string;
  entityId: string;
  applicationId: string | null;
  action: string;
  actorType: string;
  actorId: string;
  reason: string | null;
  comment: string | null;
  beforeJson: string | null;
  afterJson: string | null;
  at: string;
  prevHash: string;
  hash: string;
}

export interface AuditHeadTable {
  id: number;
  seq: number;
  hash: string;
}

export interface IdempotencyRecordsTable {
  scope: string;
  key: string;
  requestHash: string;
  responseStatus: number;
  responseBody: string;
  createdAt: string;
}

export interface JobsTable {
  id: Generated<number>;
  task: string;
  payloadJson: string;
  dedupeKey: string;
  status: string;
  attempts: number;
  maxAttempts: number;
  runAt: string;
  lockedAt: string | null;
  lockedBy: string | null;
  lastError: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface StaffTable {
  id: string;
  username: string;
  displayName: string;
  role: string;
  providerId: string | null;
  branch: string | null;
  passwordHash: string;
  failedLogins: number;
  lockedUntil: string | null;
  /** Sealed base32 TOTP secret; the second factor is required once `totpEnabled` is 1. */
  totpSecretSealed: string | null;
  totpEnabled: Generated<number>;
  createdAt: string;
}

export interface SessionsTable {
  tokenHash: string;
  subjectType: string;
  subjectId: string;
  role: string;
  csrfToken: string;
  createdAt: string;
  expiresAt: string;
}

export interface OtpChallengesTable {
  id: string;
  purpose: string;
  phone: string;
  applicationId: string | null;
  codeHash: string;
  attempts: number;
  expiresAt: string;
  consumedAt: string | null;
  createdAt: string;
}

export interface DocumentsTable {
  id: string;
  applicationId: string;
  kind: string;
  contentType: string;
  size: number;
  sha256: string;
  dataSealed: Buffer;
  uploadedByType: string;
  uploadedById: string;
  createdAt: string;
}

export interface CardTransactionsTable {
  id: string;
  cardId: string;
  at: string;
  description: string;
  amountFen: number;
  balanceAfterFen: number | null;
}

export interface ProcessingStepsTable {
  applicationId: string;
  step: string;
  position: number;
  status: string;
  attempts: number;
  resultJson: string | null;
  lastError: string | null;
  waitUntil: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  updatedAt: string;
}

export interface LedgerEntriesTable {
  id: string;
  applicationId: string;
  cardId: string;
  kind: string;
  amountFen: number;
  counterparty: string | null;
  externalRef: string | null;
  createdAt: string;
}

export interface ApiKeysTable {
  id: string;
  name: string;
  providerId: string;
  secretHash: string;
  /** Comma-separated, e.g. "tmf". */
  scopes: string;
  createdAt: string;
  revokedAt: string | null;
}

export interface ReceiptsTable {
  id: string;
  applicationId: string;
  /** receipt (回执, at submission) or certificate (注销证明, at completion). */
  kind: string;
  /** The compact JWS: the document itself; the PDF is rendered from it. */
  jws: string;
  kid: string;
  createdAt: string;
}

export interface NotificationDeliveriesTable {
  /** The message's dedupe key: one row per application, event and channel. */
  messageKey: string;
  applicationId: string | null;
  channel: string;
  template: string;
  /** delivered | failed: written once, in the transaction that finishes the job. */
  status: string;
  /** Message-ID, gateway reference or the error. */
  detail: string | null;
  attempts: number;
  at: string;
}

/** A counter location of a provider (营业厅), with its week and where it is. */
export interface BranchesTable {
  id: string;
  providerId: string;
  code: string;
  nameZh: string;
  nameEn: string;
  timeZone: string;
  addressZh: string;
  addressEn: string;
  lat: number;
  lng: number;
  /** Counters normally open; opening-hours intervals may say fewer (lunch). */
  counters: number;
  /** JSON array of service codes offered (src/branches/domain/branch.ts). */
  servicesJson: string;
  /** JSON opening hours per ISO weekday "1"…"7": [{ from, to, counters? }]. */
  openingHoursJson: string;
  slotMinutes: number;
  /** Appointments per slot unless the slot row says otherwise. */
  slotCapacity: number;
  createdAt: string;
  updatedAt: string;
}

/** A slot that has bookings; `booked` never exceeds `capacity` (guarded update and CHECK). */
export interface BranchSlotsTable {
  branchId: string;
  startAt: string;
  endAt: string;
  capacity: number;
  booked: number;
}

export interface AppointmentsTable {
  id: string;
  branchId: string;
  holderId: string;
  applicationId: string | null;
  service: string | null;
  slotStart: string;
  slotEnd: string;
  /** booked | cancelled | checked_in | served | no_show */
  status: string;
  visitId: string | null;
  createdAt: string;
  updatedAt: string;
  checkedInAt: string | null;
  servedAt: string | null;
  cancelledAt: string | null;
  noShowAt: string | null;
  version: number;
}

/** One arrival at a counter (appointment check-in or walk-in): an observation for the model. */
export interface BranchVisitsTable {
  id: string;
  branchId: string;
  appointmentId: string | null;
  /** waiting | in_service | served */
  status: string;
  arrivedAt: string;
  serviceStartedAt: string | null;
  servedAt: string | null;
  counter: number | null;
  /** Local date and hour of arrival in the branch's zone. */
  localDate: string;
  hour: number;
}

/** Observations summed per branch, local date and hour of arrival. */
export interface BranchHourlyLoadTable {
  branchId: string;
  localDate: string;
  hour: number;
  /** ISO weekday whose pattern the day follows (a make-up workday follows Monday). */
  profileWeekday: number;
  monthEnd: number;
  holiday: number;
  arrivals: number;
  served: number;
  serviceSeconds: number;
  serviceCount: number;
  waitSeconds: number;
  waitCount: number;
}

/** Requests per key in the current window, shared by the API processes (rate limits). */
export interface RateLimitCountersTable {
  key: string;
  count: number;
  /** Epoch milliseconds when the window ends. */
  resetAt: number;
}

export interface Database {
  providers: ProvidersTable;
  holders: HoldersTable;
  cards: CardsTable;
  accounts: AccountsTable;
  lockIns: LockInsTable;
  bindings: BindingsTable;
  applications: ApplicationsTable;
  auditEvents: AuditEventsTable;
  auditHead: AuditHeadTable;
  idempotencyRecords: IdempotencyRecordsTable;
  jobs: JobsTable;
  staff: StaffTable;
  sessions: SessionsTable;
  otpChallenges: OtpChallengesTable;
  documents: DocumentsTable;
  cardTransactions: CardTransactionsTable;
  processingSteps: ProcessingStepsTable;
  ledgerEntries: LedgerEntriesTable;
  apiKeys: ApiKeysTable;
  receipts: ReceiptsTable;
  notificationDeliveries: NotificationDeliveriesTable;
  branches: BranchesTable;
  branchSlots: BranchSlotsTable;
  appointments: AppointmentsTable;
  branchVisits: BranchVisitsTable;
  branchHourlyLoad: BranchHourlyLoadTable;
  rateLimitCounters: RateLimitCountersTable;
}

export type ProviderRow = Selectable<ProvidersTable>;
export type HolderRow = Selectable<HoldersTable>;
export type CardRow = Selectable<CardsTable>;
export type AccountRow = Selectable<AccountsTable>;
export type LockInRow = Selectable<LockInsTable>;
export type ApplicationRow = Selectable<ApplicationsTable>;
export type AuditEventRow = Selectable<AuditEventsTable>;
export type StaffRow = Selectable<StaffTable>;
export type DocumentRow = Selectable<DocumentsTable>;
export type ProcessingStepRow = Selectable<ProcessingStepsTable>;
export type JobRow = Selectable<JobsTable>;
export type ReceiptRow = Selectable<ReceiptsTable>;
export type NewApplication = Insertable<ApplicationsTable>;
export type ApplicationPatch = Updateable<ApplicationsTable>;
export type BranchRow = Selectable<BranchesTable>;
export type AppointmentRow = Selectable<AppointmentsTable>;
export type BranchVisitRow = Selectable<BranchVisitsTable>;
