/** What the staff endpoints answer (src/http/presenters.ts, src/app/stats.ts). */
import type {
  Application,
  Card,
  CardDetail,
  CardFamily,
  CardKind,
  Eligibility,
  TimelineEvent,
} from "../api/types";

export type Sla = "on_track" | "at_risk" | "breached" | null;

export interface StaffApplication extends Application {
  sla: Sla;
  branch: string | null;
  version: number;
  eligibilityAtSubmission: Eligibility | null;
}

export interface QueueItem extends StaffApplication {
  card: { family: CardFamily; kind: CardKind; label: string };
}

export interface QueuePage {
  items: QueueItem[];
  total: number;
  /** The count stopped at `total`: there are at least that many. */
  totalCapped?: boolean;
  limit: number;
  offset: number;
}

export interface MaskedHolder {
  id: string;
  name: string;
  idType: string;
  idNumber: string;
  phone: string;
  realNameVerified: boolean;
  isMinor: boolean;
  language: string;
}

/** A card's issuer or operator (GET /providers, and with an application). */
export interface ProviderItem {
  id: string;
  code: string;
  nameZh: string;
  nameEn: string;
}

export interface StaffApplicationView {
  application: StaffApplication;
  card: Card;
  holder: MaskedHolder | null;
  /** The card's issuer or operator. */
  provider: ProviderItem | null;
  timeline: Array<TimelineEvent & { actorId: string | null; actorName?: string | null }>;
}

export interface ProcessingView {
  status: string;
  failureCause: string | null;
  steps: Array<{
    step: string;
    status: string;
    attempts: number;
    result: unknown;
    lastError: string | null;
    waitUntil: string | null;
    startedAt: string | null;
    finishedAt: string | null;
  }>;
  ledger: Array<{
    kind: string;
    amountFen: number;
    counterparty: string | null;
    externalRef: string | null;
    createdAt: string;
  }>;
}

export interface Stats {
  from: string;
  to: string;
  backlog: Record<string, number>;
  completionsPerDay: Array<{ day: string; count: number }>;
  hoursToCompletion: { median: number | null; p90: number | null; count: number };
  sla: {
    completed: number;
    onTime: number;
    compliance: number | null;
    openBreached: number;
    openAtRisk: number;
  };
  loadPerBranch: Array<{ branch: string; count: number }>;
}

export type { CardDetail };
