/**
 * Where an application stands against its SLA (the provider's `slaDays` from submission): on
 * track, at risk (less than a fifth of the time left), or breached. Finished ones have no timer.
 */
import type { ApplicationStatus } from "./states.js";

export type SlaState = "on_track" | "at_risk" | "breached";

const TIMED: readonly ApplicationStatus[] = [
  "submitted",
  "under_review",
  "needs_info",
  "approved",
  "processing",
  "failed",
];

export function slaState(
  status: ApplicationStatus,
  submittedAt: string | null,
  dueAt: string | null,
  now: Date,
): SlaState | null {
  if (!TIMED.includes(status) || !submittedAt || !dueAt) return null;
  const due = Date.parse(dueAt);
  const left = due - now.getTime();
  if (left < 0) return "breached";
  return left < 0.2 * (due - Date.parse(submittedAt)) ? "at_risk" : "on_track";
}

/**
 * The first instant (epoch ms) at which `slaState` may answer differently than it does at `now`;
 * undefined when it never will (no timer, or already breached). Lets an answer showing the SLA
 * state be remembered exactly as long as it stays true.
 */
export function slaStateUntil(
  status: ApplicationStatus,
  submittedAt: string | null,
  dueAt: string | null,
  now: Date,
): number | undefined {
  if (!TIMED.includes(status) || !submittedAt || !dueAt) return undefined;
  const due = Date.parse(dueAt);
  const atRisk = due - 0.2 * (due - Date.parse(submittedAt));
  const t = now.getTime();
  // On track while t <= atRisk, at risk while t <= due, breached after.
  if (t <= atRisk) return Math.floor(atRisk) + 1;
  if (t <= due) return due + 1;
  return undefined;
}
