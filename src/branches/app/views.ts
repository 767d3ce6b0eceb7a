/**
 * The shapes the branch use cases answer with: plain JSON, times as ISO instants plus the local
 * date and time in the branch's zone, waits rounded for people (the ranking used full precision),
 * phone numbers masked.
 */
import type { AppointmentRow, BranchVisitRow } from "../../db/schema.js";
import { maskPhone } from "../../domain/masking.js";
import { type DayInfo, hhmm, utcToLocal } from "../domain/calendar.js";
import type { DemandModel } from "../domain/demand.js";
import type { HeatMap, HourPrediction } from "../domain/forecast.js";
import type { Recommendation } from "../domain/recommend.js";
import type { LoadedBranch } from "./branch-context.js";

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

export interface PredictionView {
  arrivalsPerHour: number;
  counters: number;
  utilisation: number;
  /** False when arrivals outrun the counters: no steady state, the wait keeps growing. */
  saturated: boolean;
  /** Minutes; null when saturated. */
  expectedWaitMinutes: number | null;
  pWait: number;
  pWaitOver15: number;
  level: HourPrediction["level"];
}

export function presentPrediction(p: HourPrediction): PredictionView {
  return {
    arrivalsPerHour: round(p.arrivalsPerHour, 2),
    counters: p.counters,
    utilisation: round(p.utilisation, 3),
    saturated: !p.stable,
    expectedWaitMinutes: p.stable ? round(p.expectedWaitMinutes, 1) : null,
    pWait: round(p.pWait, 3),
    pWaitOver15: round(p.pWaitOver15, 3),
    level: p.level,
  };
}

export function presentBranch(b: LoadedBranch, distanceKm: number | null = null) {
  const r = b.row;
  return {
    id: r.id,
    providerId: r.providerId,
    code: r.code,
    nameZh: r.nameZh,
    nameEn: r.nameEn,
    timeZone: r.timeZone,
    addressZh: r.addressZh,
    addressEn: r.addressEn,
    location: { lat: r.lat, lng: r.lng },
    distanceKm: distanceKm === null ? null : round(distanceKm, 2),
    counters: r.counters,
    services: b.services,
    openingHours: b.schedule.openingHours,
    slotMinutes: r.slotMinutes,
    slotCapacity: r.slotCapacity,
    monthEndCutoff: b.monthEndCutoff,
  };
}
export type BranchView = ReturnType<typeof presentBranch>;

export function presentDay(d: DayInfo) {
  return {
    date: d.date,
    isoWeekday: d.isoWeekday,
    kind: d.kind,
    nameZh: d.nameZh,
    nameEn: d.nameEn,
    monthEnd: d.monthEnd,
    lastDayOfMonth: d.lastDayOfMonth,
    calendarConfirmed: d.calendarConfirmed,
  };
}

export function presentHeatMap(h: HeatMap) {
  const cells = (m: HeatMap["cells"]) => m.map((row) => row.map((c) => (c ? presentPrediction(c) : null)));
  return {
    weekdays: h.weekdays,
    hours: h.hours,
    cells: cells(h.cells),
    monthEndCells: cells(h.monthEndCells),
  };
}

export function presentModel(m: DemandModel) {
  return {
    meanServiceMinutes: round(m.meanServiceMinutes, 2),
    monthEndFactor: round(m.monthEndFactor, 3),
    thin: m.thin,
    history: {
      ...m.history,
      observedWaitMinutes:
        m.history.observedWaitMinutes === null ? null : round(m.history.observedWaitMinutes, 1),
    },
  };
}

export function presentRecommendation(r: Recommendation, rank: number) {
  return {
    rank,
    branchId: r.branchId,
    start: r.start.toISOString(),
    end: r.end.toISOString(),
    date: r.date,
    time: r.time,
    isoWeekday: r.isoWeekday,
    hour: r.hour,
    day: presentDay(r.day),
    distanceKm: r.distanceKm === null ? null : round(r.distanceKm, 2),
    capacity: r.capacity,
    available: r.available,
    prediction: presentPrediction(r.prediction),
  };
}

function local(iso: string | null, timeZone: string) {
  if (iso === null) return null;
  const l = utcToLocal(new Date(iso), timeZone);
  return { date: l.date, time: hhmm(l.minute) };
}

export function presentAppointment(a: AppointmentRow, timeZone: string) {
  const start = local(a.slotStart, timeZone)!;
  return {
    id: a.id,
    branchId: a.branchId,
    applicationId: a.applicationId,
    service: a.service,
    status: a.status,
    start: a.slotStart,
    end: a.slotEnd,
    localDate: start.date,
    localTime: start.time,
    visitId: a.visitId,
    createdAt: a.createdAt,
    updatedAt: a.updatedAt,
    checkedInAt: a.checkedInAt,
    servedAt: a.servedAt,
    cancelledAt: a.cancelledAt,
    noShowAt: a.noShowAt,
  };
}
export type AppointmentView = ReturnType<typeof presentAppointment>;

export function presentVisit(v: BranchVisitRow) {
  const waited =
    v.serviceStartedAt === null ? null : (Date.parse(v.serviceStartedAt) - Date.parse(v.arrivedAt)) / 60_000;
  const served =
    v.serviceStartedAt === null || v.servedAt === null
      ? null
      : (Date.parse(v.servedAt) - Date.parse(v.serviceStartedAt)) / 60_000;
  return {
    id: v.id,
    branchId: v.branchId,
    appointmentId: v.appointmentId,
    status: v.status,
    arrivedAt: v.arrivedAt,
    serviceStartedAt: v.serviceStartedAt,
    servedAt: v.servedAt,
    counter: v.counter,
    waitedMinutes: waited === null ? null : round(waited, 1),
    serviceMinutes: served === null ? null : round(served, 1),
  };
}
export type VisitView = ReturnType<typeof presentVisit>;

/** Counter staff see who is coming, masked like everywhere else. */
export function presentHolderForCounter(nameMasked: string, phone: string) {
  return { nameMasked, phoneMasked: maskPhone(phone) };
}
