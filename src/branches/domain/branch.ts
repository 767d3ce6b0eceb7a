/**
 * What a branch offers, and the limits of an appointment's life: booked → checked_in → served, or
 * cancelled (by the holder, before the slot) or no_show (by staff, after the slot and a grace
 * period); a visit is waiting → in_service → served.
 */
import { z } from "zod";

/** Counter services a branch may offer; a booking may name the one it is for. */
export const BRANCH_SERVICES = [
  "sim_cancellation",
  "card_cancellation",
  "identity_check",
  "document_check",
  "deposit_return",
  "card_destruction",
  "number_restore",
  "guardian_cases",
] as const;
export type BranchService = (typeof BRANCH_SERVICES)[number];
export const servicesSchema = z.array(z.enum(BRANCH_SERVICES));

/** A holder may hold this many upcoming bookings at once (all branches). */
export const MAX_UPCOMING_APPOINTMENTS = 3;
/** Staff may mark a no-show this long after the slot ended. */
export const NO_SHOW_GRACE_MINUTES = 15;
