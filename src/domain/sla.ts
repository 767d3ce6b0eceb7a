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
