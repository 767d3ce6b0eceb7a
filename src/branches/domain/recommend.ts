/**
 * Off-peak advice: the three quietest bookable slots that fit the holder's constraints — weekdays,
 * a time window, how far they will travel — predicted by the queueing model, never on a public
 * holiday, never full, never after a month-end cut-off.
 */
import { type BranchSchedule, type DayInfo, minutesOf } from "./calendar.js";
import type { DemandModel } from "./demand.js";
import { type HourPrediction, predictHour } from "./forecast.js";
import type { HolidayCalendar } from "./holidays.js";
import { daySlots, horizonDates, MIN_LEAD_MINUTES } from "./slots.js";

export interface GeoPoint {
  lat: number;
  lng: number;
}

const EARTH_RADIUS_KM = 6371.0088;

/** Great-circle (haversine) distance in kilometres. */
export function distanceKm(a: GeoPoint, b: GeoPoint): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLng = (b.lng - a.lng) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

export interface AdviceConstraints {
  /** ISO weekdays the holder can come (1 = Monday … 7 = Sunday); all when absent. */
  weekdays?: readonly number[];
  /** Earliest slot start and latest slot end, local `HH:MM`. */
  from?: string;
  to?: string;
  /** Days ahead to look, from today. */
  horizonDays: number;
  /** Where the holder starts from, and how far they will go. */
  origin?: GeoPoint;
  maxDistanceKm?: number;
}

export interface BranchForAdvice {
  id: string;
  schedule: BranchSchedule;
  model: DemandModel;
  location: GeoPoint;
  /** Default capacity of a slot. */
  slotCapacity: number;
  /** Slots already holding bookings, by start instant (ms): their capacity and bookings. */
  booked: ReadonlyMap<number, { capacity: number; booked: number }>;
  /** The provider's month-end cut-off, `HH:MM`, or null. */
  monthEndCutoff: string | null;
}

export interface Recommendation {
  branchId: string;
  start: Date;
  end: Date;
  date: string;
  /** Local `HH:MM` of the start. */
  time: string;
  isoWeekday: number;
  hour: number;
  day: DayInfo;
  distanceKm: number | null;
  capacity: number;
  available: number;
  prediction: HourPrediction;
}

export interface AdviceResult {
  recommendations: Recommendation[];
  /** Bookable slots that met every constraint, among which the quietest were chosen. */
  candidates: number;
  /** Branches within reach, with their distance. */
  branches: Array<{ id: string; distanceKm: number | null }>;
}

/** Expected wait first, then the chance of a long wait, then the shorter trip, then the sooner. */
function compare(x: Recommendation, y: Recommendation): number {
  return (
    x.prediction.expectedWaitMinutes - y.prediction.expectedWaitMinutes ||
    x.prediction.pWaitOver15 - y.prediction.pWaitOver15 ||
    (x.distanceKm ?? 0) - (y.distanceKm ?? 0) ||
    x.start.getTime() - y.start.getTime()
  );
}

/**
 * The `count` quietest slots meeting the constraints, at most one per branch and day so that the
 * holder gets real alternatives rather than three neighbouring half-hours.
 */
export function recommend(
  branches: readonly BranchForAdvice[],
  constraints: AdviceConstraints,
  calendar: HolidayCalendar,
  now: Date,
  count = 3,
): AdviceResult {
  const from = constraints.from === undefined ? 0 : minutesOf(constraints.from);
  const to = constraints.to === undefined ? 1440 : minutesOf(constraints.to);
  const weekdays = constraints.weekdays ? new Set(constraints.weekdays) : null;
  const earliest = now.getTime() + MIN_LEAD_MINUTES * 60_000;
  // At most one slot per branch and day is kept, so only each day's best is a contender.
  const contenders: Recommendation[] = [];
  let candidates = 0;
  const reachable: AdviceResult["branches"] = [];

  for (const b of branches) {
    const distance = constraints.origin ? distanceKm(constraints.origin, b.location) : null;
    if (distance !== null && constraints.maxDistanceKm !== undefined && distance > constraints.maxDistanceKm)
      continue;
    reachable.push({ id: b.id, distanceKm: distance });
    for (const date of horizonDates(now, b.schedule.timeZone, constraints.horizonDays)) {
      const { day, slots } = daySlots(b.schedule, calendar, date, b.monthEndCutoff);
      if (slots.length === 0 || (weekdays && !weekdays.has(day.isoWeekday))) continue;
      // One prediction per hour of the day, shared by the slots in it.
      const byHour = new Map<number, HourPrediction>();
      let best: Recommendation | null = null;
      for (const s of slots) {
        if (s.startMinute < from || s.endMinute > to || s.afterCutoff) continue;
        if (s.start.getTime() < earliest) continue;
        const taken = b.booked.get(s.start.getTime());
        const capacity = taken?.capacity ?? b.slotCapacity;
        const available = capacity - (taken?.booked ?? 0);
        if (available <= 0) continue;
        candidates++;
        const hour = Math.floor(s.startMinute / 60);
        let prediction = byHour.get(hour);
        if (!prediction) {
          prediction = predictHour(b.model, day, hour, s.counters);
          byHour.set(hour, prediction);
        }
        const c: Recommendation = {
          branchId: b.id,
          start: s.start,
          end: s.end,
          date,
          time: `${String(hour).padStart(2, "0")}:${String(s.startMinute % 60).padStart(2, "0")}`,
          isoWeekday: day.isoWeekday,
          hour,
          day,
          distanceKm: distance,
          capacity,
          available,
          prediction,
        };
        if (best === null || compare(c, best) < 0) best = c;
      }
      if (best) contenders.push(best);
    }
  }

  contenders.sort(compare);
  const picked = contenders.slice(0, count);
  return { recommendations: picked, candidates, branches: reachable };
}
