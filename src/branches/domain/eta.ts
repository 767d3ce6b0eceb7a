/**
 * How long an online application will take, from the queue in front of it and how fast the
 * provider has been finishing applications lately (Little's law: time ≈ backlog ÷ throughput),
 * said the way a person would say it: "about a week", "约一周".
 */
import { addDays } from "./calendar.js";

export interface EtaInput {
  /** Applications submitted and not yet completed (or withdrawn, rejected, failed). */
  backlog: number;
  /** Applications completed in the window. */
  completed: number;
  windowDays: number;
  /** The provider's SLA: the answer when there is no recent throughput to go by. */
  slaDays: number;
  /** Today in the provider's zone. */
  today: string;
}

export interface Eta {
  days: number;
  basis: "throughput" | "sla";
  throughputPerDay: number;
  expectedBy: string;
  wording: { zh: string; en: string };
}

/** Human wording of a duration in days. */
export function etaWording(days: number): { zh: string; en: string } {
  if (days < 1) return { zh: "不到一天", en: "less than a day" };
  if (days < 1.5) return { zh: "约一天", en: "about a day" };
  if (days < 4.5) {
    const n = Math.round(days);
    return { zh: `约${["", "一", "两", "三", "四"][n]}天`, en: `about ${n} days` };
  }
  if (days < 10.5) return { zh: "约一周", en: "about a week" };
  if (days < 17.5) return { zh: "约两周", en: "about two weeks" };
  if (days < 24.5) return { zh: "约三周", en: "about three weeks" };
  if (days < 45) return { zh: "约一个月", en: "about a month" };
  const months = Math.round(days / 30);
  return { zh: `约${months}个月`, en: `about ${months} months` };
}

/**
 * The expected time to completion of an application filed now: the backlog plus this one, at the
 * recent daily throughput. With no completions in the window, the SLA is the best promise there is.
 */
export function processingEta(input: EtaInput): Eta {
  const throughputPerDay = input.windowDays > 0 ? input.completed / input.windowDays : 0;
  const basis = throughputPerDay > 0 ? "throughput" : "sla";
  const days = basis === "throughput" ? (input.backlog + 1) / throughputPerDay : input.slaDays;
  return {
    days,
    basis,
    throughputPerDay,
    expectedBy: addDays(input.today, Math.ceil(days)),
    wording: etaWording(days),
  };
}
