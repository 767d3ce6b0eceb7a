/**
 * The API's response shapes as the portal reads them (src/http/presenters.ts and the routes). The
 * browser build cannot import the server's modules, so these mirror them; only the fields the
 * portal uses are spelled out.
 */

export type Lang = "zh-CN" | "en";
export type LocalizedText = Record<Lang, string>;

export type CardFamily = "smart_card" | "sim";
export type CardKind =
  | "bank_debit"
  | "bank_credit"
  | "transit"
  | "social_security"
  | "access"
  | "physical"
  | "esim";
export type CardStatus = "active" | "lost" | "suspended" | "pending_cancellation" | "cancelled";
export type BalanceOption = "refund" | "transfer" | "spend" | "forfeit";
export type Timing = "immediate" | "end_of_cycle" | "date";
export type DocumentKind =
  | "id_front"
  | "id_back"
  | "passport"
  | "card_photo"
  | "authorisation_letter"
  | "proxy_id"
  | "guardian_id"
  | "household_register";

export type ApplicationStatus =
  | "draft"
  | "submitted"
  | "under_review"
  | "needs_info"
  | "approved"
  | "processing"
  | "completed"
  | "closed"
  | "withdrawn"
  | "rejected"
  | "failed";

export interface Card {
  id: string;
  providerId: string;
  family: CardFamily;
  kind: CardKind;
  label: string;
  networkGeneration: string | null;
  status: CardStatus;
  cardNumber: string | null;
  iccid: string | null;
  msisdn: string | null;
  eid: string | null;
  numberStatus: string | null;
  quarantineUntil: string | null;
  parentCardId: string | null;
  relation: "secondary" | "supplementary" | null;
  bundle: string | null;
  groupName: string | null;
  familyPlan: boolean;
  destroyedHow: string | null;
  destroyedAt: string | null;
  cancelledAt: string | null;
}

export interface Provider {
  id: string;
  code: string;
  kind: "mobile_operator" | "bank" | "transit_issuer";
  nameZh: string;
  nameEn: string;
  timeZone: string;
}

export type Severity = "blocker" | "counter" | "notice";

export interface Finding {
  code: string;
  severity: Severity;
  params: Record<string, string | number>;
  message: LocalizedText;
  action: LocalizedText;
}

export interface Money {
  refundableFen: number;
  giftedForfeitFen: number;
  depositFen: number;
  terminationFeeFen: number;
  payableFen: number;
}

export interface Eligibility {
  cardId: string;
  evaluatedAt: string;
  eligible: boolean;
  onlineAllowed: boolean;
  channel: "online" | "counter";
  findings: Finding[];
  counterCases: string[];
  requiredDocuments: DocumentKind[];
  balanceOptions: BalanceOption[];
  timings: Timing[];
  money: Money;
}

export type StepKey = "backup" | "unbind" | "contact" | "submit" | "balance" | "wait" | "destroy";
export type StepState = "done" | "current" | "todo" | "blocked" | "waived" | "skipped";

export interface JourneyStep {
  key: StepKey;
  index: number;
  state: StepState;
  titleZh: string;
  titleEn: string;
}

export interface UnbindingItem {
  bindingId: string;
  state: "pending" | "unbound" | "skipped";
  reason?: string;
}

export interface Application {
  id: string;
  number: string;
  cardId: string;
  providerId: string;
  status: ApplicationStatus;
  channel: string;
  reason: string | null;
  timing: Timing;
  requestedDate: string | null;
  serviceEndDate: string | null;
  billingEndDate: string | null;
  balanceOption: BalanceOption | null;
  transferTo: string | null;
  backup: { status: "pending" | "done" | "waived"; note: string | null };
  unbinding: UnbindingItem[];
  proxy: boolean;
  infoRequest: string | null;
  infoResponse: string | null;
  rejectReason: string | null;
  rejectComment: string | null;
  failureCause: string | null;
  closedHow: string | null;
  /** At a counter: the physical card destroyed there or handed back, recorded at filing. */
  cardDisposition?: "destroyed" | "returned" | null;
  dueAt: string | null;
  waitingFor: LocalizedText | null;
  batchId: string | null;
  batchPosition: number | null;
  createdAt: string;
  updatedAt: string;
  submittedAt: string | null;
  decidedAt: string | null;
  completedAt: string | null;
  closedAt: string | null;
  allowedTransitions: string[];
}

export interface TimelineEvent {
  seq: number;
  action: string;
  at: string;
  actorType: string;
  reason: string | null;
  comment: string | null;
  from: string | null;
  to: string | null;
}

export interface MyCardItem {
  card: Card;
  provider: Provider;
  eligibility: Eligibility | null;
  openApplication: Application | null;
  /** A cancelled card with nothing open: the application that cancelled it. */
  cancelledBy: Application | null;
  journey: JourneyStep[];
}

export interface Binding {
  id: string;
  service: string;
  category: string;
  nameZh: string;
  nameEn: string;
}

export interface LockIn {
  kind: string;
  termEnd: string;
  terminationFeeFen: number;
}

export interface Ruled<T> {
  value: T;
  source: string;
  confidence: string;
  lastVerified: string;
}

export interface CardDetail {
  card: Card;
  provider: Provider;
  eligibility: Eligibility;
  journey: JourneyStep[];
  bindings: Binding[];
  money: Record<string, number>;
  lockIns: LockIn[];
  dependants: Array<{ cardId: string; relation: string; label: string; status: CardStatus }>;
  openApplication: Application | null;
  cancelledBy: Application | null;
  /** Provider rules as data: each value with where it comes from and how sure it is. */
  rules: { slaDays: Ruled<number>; quarantineDays: Ruled<number> };
}

/** A signed receipt (at submission) or certificate of cancellation (at completion). */
export interface SignedDocument {
  id: string;
  kind: "receipt" | "certificate";
  number: string;
  jws: string;
  createdAt: string;
  /** The PDF's address under the API. */
  pdf: string;
}

export interface BackupItem {
  kind: "transactions" | "records" | "contacts" | "sms";
  available: boolean;
  format: "csv" | null;
  href: string | null;
  count?: number;
  note: LocalizedText;
}

export interface ApplicationView {
  application: Application;
  card: Card;
  timeline: TimelineEvent[];
}

export interface DocumentMeta {
  id: string;
  kind: DocumentKind;
  contentType: "image/jpeg" | "image/png" | "application/pdf";
  size: number;
  createdAt: string;
}

export interface DocumentList {
  items: DocumentMeta[];
  required: DocumentKind[];
  missing: DocumentKind[];
}

export interface Batch {
  id: string;
  items: Array<{ position: number; card: Card; application: Application }>;
}

export interface Me {
  type: string;
  role: string;
  id: string;
  name: string | null;
  phone: string | null;
  language: Lang;
}

export interface Session {
  csrfToken: string;
  expiresAt: string;
}

export interface OtpSent {
  cooldownSeconds: number;
  expiresInSeconds: number;
}

export interface LookupResult {
  number: string;
  status: ApplicationStatus;
  card: { family: CardFamily; kind: CardKind; label: string };
  submittedAt: string | null;
  dueAt: string | null;
  completedAt: string | null;
  infoRequest: string | null;
  timeline: TimelineEvent[];
}
