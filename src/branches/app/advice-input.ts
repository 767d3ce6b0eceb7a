/**
 * The holder's constraints for off-peak advice, as the API takes them (query parameters, so lists
 * are comma-separated and numbers arrive as strings).
 */
import { z } from "zod";
import { BRANCH_SERVICES } from "../domain/branch.js";
import { minutesOf } from "../domain/calendar.js";
import { BOOKING_HORIZON_DAYS } from "../domain/slots.js";

const CLOCK = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;
const clock = z.string().regex(CLOCK, "expected HH:MM");

/**
 * Object refinements run even when a field already failed (zod 4), so the window check must not
 * trust its inputs: a malformed time is reported by its own field, not thrown here.
 */
function windowInOrder(c: { from?: string | undefined; to?: string | undefined }): boolean {
  if (c.from === undefined || c.to === undefined || !CLOCK.test(c.from) || !CLOCK.test(c.to)) return true;
  return minutesOf(c.from) < minutesOf(c.to);
}

/** "1,2,5" → [1, 2, 5]: ISO weekdays, 1 = Monday … 7 = Sunday. */
const weekdayList = z
  .string()
  .regex(/^[1-7](,[1-7])*$/, "comma-separated ISO weekdays 1–7")
  .transform((s) => [...new Set(s.split(",").map(Number))]);

/** The constraints both the one-branch advice and the cross-branch recommendations take. */
const constraintFields = {
  weekdays: weekdayList.optional(),
  from: clock.optional(),
  to: clock.optional(),
  horizonDays: z.coerce.number().int().min(1).max(BOOKING_HORIZON_DAYS).default(14),
  lat: z.coerce.number().min(-90).max(90).optional(),
  lng: z.coerce.number().min(-180).max(180).optional(),
  maxDistanceKm: z.coerce.number().positive().max(500).optional(),
  /** Language of problem titles only: the answers carry both languages. */
  lang: z.enum(["zh-CN", "en"]).optional(),
};

interface ConstraintShape {
  lat?: number | undefined;
  lng?: number | undefined;
  maxDistanceKm?: number | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

/** The checks across fields, the same for both. */
function checked<T extends z.ZodType<ConstraintShape>>(schema: T) {
  return schema
    .refine((c) => (c.lat === undefined) === (c.lng === undefined), "lat and lng go together")
    .refine((c) => c.maxDistanceKm === undefined || c.lat !== undefined, "maxDistanceKm needs lat and lng")
    .refine(windowInOrder, "from must be before to");
}

export const adviceConstraintsSchema = checked(z.object(constraintFields).strict());
export type AdviceConstraintsInput = z.infer<typeof adviceConstraintsSchema>;

export const recommendInputSchema = checked(
  z
    .object({
      providerId: z.string().min(1).max(100).optional(),
      service: z.enum(BRANCH_SERVICES).optional(),
      ...constraintFields,
    })
    .strict(),
);
export type RecommendInput = z.infer<typeof recommendInputSchema>;

/** The domain's constraints from the API's. */
export function toConstraints(c: {
  weekdays?: number[] | undefined;
  from?: string | undefined;
  to?: string | undefined;
  horizonDays: number;
  lat?: number | undefined;
  lng?: number | undefined;
  maxDistanceKm?: number | undefined;
}) {
  return {
    weekdays: c.weekdays,
    from: c.from,
    to: c.to,
    horizonDays: c.horizonDays,
    origin: c.lat !== undefined && c.lng !== undefined ? { lat: c.lat, lng: c.lng } : undefined,
    maxDistanceKm: c.maxDistanceKm,
  };
}
