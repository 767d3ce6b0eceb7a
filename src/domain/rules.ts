/**
 * Provider rules as data (product.md §3). One file per provider, validated by this schema; every
 * rule carries where it comes from, how sure we are, and when it was last checked, so that staff
 * can tell a published rule from a guess.
 */
import { z } from "zod";
import { BALANCE_OPTIONS, CARD_KINDS, LOCK_IN_KINDS, PROVIDER_KINDS, TIMINGS } from "./model.js";

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "expected YYYY-MM-DD");
const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "expected HH:MM");

/** Wraps a rule's value with its provenance. */
function ruled<T extends z.ZodType>(value: T) {
  return z
    .object({
      value,
      source: z.string().min(1),
      confidence: z.enum(["high", "medium", "low"]),
      lastVerified: isoDate,
    })
    .strict();
}

/** Cases that may have to go to a counter instead of online. */
export const COUNTER_CASES = [
  "minor",
  "non_id_card_document",
  "contract",
  "family_plan",
  "bundle",
  "group",
  "proxy",
  "credit_card",
  "deposit_return",
] as const;
export type CounterCase = (typeof COUNTER_CASES)[number];

export const DOCUMENT_KINDS = [
  "id_front",
  "id_back",
  "passport",
  "card_photo",
  "authorisation_letter",
  "proxy_id",
  "guardian_id",
  "household_register",
  /** Contacts (vCard) and messages (SMS Backup & Restore XML) read off a SIM at the counter. */
  "sim_backup_contacts",
  "sim_backup_sms",
] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

const dependantPolicy = z.enum(["block", "cascade"]);

export const providerRulesSchema = z
  .object({
    provider: z
      .object({
        code: z.string().regex(/^[a-z0-9-]{2,40}$/),
        kind: z.enum(PROVIDER_KINDS),
        nameZh: z.string().min(1),
        nameEn: z.string().min(1),
        timeZone: z.string().min(1),
      })
      .strict(),
    version: z.string().min(1),
    cardKinds: z.array(z.enum(CARD_KINDS)).min(1),
    rules: z
      .object({
        realNameRequired: ruled(z.boolean()),
        blockedCardStatuses: ruled(z.array(z.enum(["lost", "suspended"]))),
        arrears: ruled(z.object({ blockBilled: z.boolean(), blockUnbilled: z.boolean() }).strict()),
        /** Per lock-in kind: show the early-termination fee and go on, or block. */
        lockIn: ruled(z.record(z.enum(LOCK_IN_KINDS), z.enum(["fee", "block"]))),
        dependants: ruled(
          z
            .object({
              secondary: dependantPolicy,
              supplementary: dependantPolicy,
              bundle: z.literal("block"),
              group: z.literal("block"),
            })
            .strict(),
        ),
        money: ruled(
          z
            .object({
              blockOnDebt: z.boolean(),
              blockOnInstalments: z.boolean(),
              blockOnAnnualFee: z.boolean(),
              /** Overpayment must be withdrawn (or refunded) before closing. */
              blockOnOverpayment: z.boolean(),
            })
            .strict(),
        ),
        balanceOptions: ruled(z.array(z.enum(BALANCE_OPTIONS)).min(1)),
        timings: ruled(z.array(z.enum(TIMINGS)).min(1)),
        /** Cases that need a counter visit; every other case may go online. */
        counterOnly: ruled(z.array(z.enum(COUNTER_CASES))),
        documents: ruled(
          z
            .object({
              online: z.array(z.enum(DOCUMENT_KINDS)),
              counter: z.array(z.enum(DOCUMENT_KINDS)),
              proxy: z.array(z.enum(DOCUMENT_KINDS)),
              minor: z.array(z.enum(DOCUMENT_KINDS)),
            })
            .strict(),
        ),
        /** Online service window in the provider's time zone; days 1 = Monday … 7 = Sunday. */
        serviceWindow: ruled(
          z.object({ days: z.array(z.number().int().min(1).max(7)).min(1), from: clock, to: clock }).strict(),
        ),
        /** No online cancellation after this time on the last day of a month (null: no cut-off). */
        monthEndCutoff: ruled(z.object({ after: clock }).strict().nullable()),
        quarantineDays: ruled(z.number().int().min(0).max(365)),
        slaDays: ruled(z.number().int().min(1).max(90)),
        creditCloseWaitDays: ruled(z.number().int().min(0).max(180)),
        /** Involuntary path: suspend after this many days of arrears, cancel after that many. */
        arrearsLadder: ruled(
          z
            .object({
              suspendAfterDays: z.number().int().min(1).max(3650),
              cancelAfterDays: z.number().int().min(1).max(3650),
            })
            .strict()
            .refine(
              (v) => v.cancelAfterDays > v.suspendAfterDays,
              "cancelAfterDays must come after suspendAfterDays",
            ),
        ).optional(),
      })
      .strict(),
  })
  .strict();

export type ProviderRules = z.infer<typeof providerRulesSchema>;
export type RuleValues = {
  [K in keyof ProviderRules["rules"]]: NonNullable<ProviderRules["rules"][K]>["value"];
};

/** The values of every rule, without provenance. */
export function ruleValues(rules: ProviderRules): RuleValues {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(rules.rules)) out[k] = v.value;
  return out as RuleValues;
}
