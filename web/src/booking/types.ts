/** What the branch and appointment endpoints answer (src/branches/app/views.ts, docs/branches.md). */

export type WaitLevel = "quiet" | "moderate" | "busy" | "very_busy" | "saturated";

export interface Prediction {
  arrivalsPerHour: number;
  counters: number;
  utilisation: number;
  saturated: boolean;
  expectedWaitMinutes: number | null;
  pWait: number;
  pWaitOver15: number;
  level: WaitLevel;
}

export interface Branch {
  id: string;
  providerId: string;
  code: string;
  nameZh: string;
  nameEn: string;
  timeZone: string;
  addressZh: string;
  addressEn: string;
  location: { lat: number; lng: number };
  distanceKm: number | null;
  counters: number;
  services: string[];
  slotMinutes: number;
  slotCapacity: number;
  monthEndCutoff: string | null;
}

export type DayKind = "workday" | "weekend" | "holiday" | "makeup_workday";

export interface Day {
  date: string;
  isoWeekday: number;
  kind: DayKind;
  nameZh: string | null;
  nameEn: string | null;
  monthEnd: boolean;
  lastDayOfMonth: boolean;
  calendarConfirmed: boolean;
}

export interface AdviceDay extends Day {
  open: boolean;
  firstSlot: string | null;
  lastSlot: string | null;
  monthEndCutoff: string | null;
}

export interface Recommendation {
  rank: number;
  branchId: string;
  start: string;
  end: string;
  date: string;
  time: string;
  isoWeekday: number;
  hour: number;
  day: Day;
  distanceKm: number | null;
  capacity: number;
  available: number;
  prediction: Prediction;
}

export interface HeatMap {
  weekdays: number[];
  hours: number[];
  cells: Array<Array<Prediction | null>>;
  monthEndCells: Array<Array<Prediction | null>>;
}

export interface Advice {
  branch: Branch;
  generatedAt: string;
  today: string;
  horizonEnd: string;
  heatMap: HeatMap;
  recommendations: Recommendation[];
  candidates: number;
  days: AdviceDay[];
  model: { meanServiceMinutes: number; monthEndFactor: number; thin: boolean };
}

export type SlotRefusal =
  | "off_grid"
  | "closed"
  | "holiday"
  | "past"
  | "too_far"
  | "month_end_cutoff"
  | "full";

export interface Slot {
  start: string;
  end: string;
  time: string;
  capacity: number;
  booked: number;
  available: number;
  bookable: boolean;
  refusal: SlotRefusal | null;
  afterMonthEndCutoff: boolean;
  prediction: Prediction | null;
}

export interface SlotsAnswer {
  branch: Branch;
  today: string;
  days: Array<Day & { open: boolean; slots: Slot[] }>;
}

export type AppointmentStatus = "booked" | "checked_in" | "served" | "cancelled" | "no_show";

export interface Appointment {
  id: string;
  branchId: string;
  applicationId: string | null;
  service: string | null;
  status: AppointmentStatus;
  start: string;
  end: string;
  localDate: string;
  localTime: string;
  visitId: string | null;
  createdAt: string;
  checkedInAt: string | null;
  servedAt: string | null;
  cancelledAt: string | null;
  noShowAt: string | null;
}

export interface MyAppointment extends Appointment {
  branch: { id: string; code: string; nameZh: string; nameEn: string };
}

export type VisitStatus = "waiting" | "in_service" | "served";

export interface Visit {
  id: string;
  branchId: string;
  appointmentId: string | null;
  status: VisitStatus;
  arrivedAt: string;
  serviceStartedAt: string | null;
  servedAt: string | null;
  counter: number | null;
  waitedMinutes: number | null;
  serviceMinutes: number | null;
}

export interface CounterAppointment extends Appointment {
  holder: { nameMasked: string; phoneMasked: string };
  visit: Visit | null;
}

export interface CounterDay {
  branch: Branch;
  date: string;
  day: Day;
  appointments: CounterAppointment[];
  walkIns: Visit[];
  queue: {
    waiting: number;
    inService: number;
    served: number;
    appointmentsBooked: number;
    appointmentsCheckedIn: number;
    noShows: number;
  };
  forecast: Array<Prediction & { hour: number; past: boolean }>;
}

/** A branch's name in the reader's language. */
export const branchName = (b: { nameZh: string; nameEn: string }, lang: string) =>
  lang === "en" ? b.nameEn : b.nameZh;
