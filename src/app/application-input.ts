/**
 * Input schemas for the application use cases, shared by the HTTP layer (validation, OpenAPI) and
 * the CLI, so that a type is written once.
 */
import { z } from "zod";
import { BALANCE_OPTIONS, COUNTER_DISPOSITIONS, DESTROYED_HOW, TIMINGS } from "../domain/model.js";
import { REJECT_REASONS } from "../domain/states.js";

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "expected YYYY-MM-DD");
const text = (max: number) => z.string().trim().min(1).max(max);

export const unbindingItemSchema = z
  .object({
    bindingId: z.string().min(1).max(100),
    state: z.enum(["pending", "unbound", "skipped"]),
    reason: text(300).optional(),
  })
  .strict();
export type UnbindingItem = z.infer<typeof unbindingItemSchema>;

export const draftFieldsSchema = z
  .object({
    reason: text(500).optional(),
    timing: z.enum(TIMINGS).optional(),
    requestedDate: isoDate.optional(),
    balanceOption: z.enum(BALANCE_OPTIONS).optional(),
    transferTo: z.string().max(32).optional(),
    backup: z
      .object({ status: z.enum(["pending", "done", "waived"]), note: text(500).optional() })
      .strict()
      .optional(),
    unbinding: z.array(unbindingItemSchema).max(200).optional(),
    proxy: z.boolean().optional(),
  })
  .strict();
export type DraftFields = z.infer<typeof draftFieldsSchema>;

/** What the holder gives to prove who they are (product.md §2 step 2); checked against the records. */
export const identitySchema = z
  .object({
    idNumber: z.string().max(40).optional(),
    iccid: z.string().max(40).optional(),
    cardNumber: z.string().max(40).optional(),
  })
  .strict();
export type IdentityInput = z.infer<typeof identitySchema>;

export const createApplicationSchema = draftFieldsSchema
  .extend({
    identity: identitySchema.optional(),
    cardId: z.string().min(1).max(100),
    /** Submit straight away instead of leaving a draft. */
    submit: z.boolean().optional(),
    /** Staff at a counter: the physical card destroyed there or handed back (closing starts from it). */
    cardDisposition: z.enum(COUNTER_DISPOSITIONS).optional(),
  })
  .strict();
export type CreateApplicationInput = z.infer<typeof createApplicationSchema>;

export const requestInfoSchema = z.object({ message: text(1000) }).strict();
export const supplyInfoSchema = z.object({ response: text(2000) }).strict();
export const rejectSchema = z
  .object({ reason: z.enum(REJECT_REASONS), comment: text(1000).optional() })
  .strict();
export const failSchema = z.object({ cause: text(1000) }).strict();
export const closeSchema = z.object({ how: z.enum(DESTROYED_HOW), comment: text(500).optional() }).strict();
export const commentSchema = z.object({ comment: text(1000).optional() }).strict();
