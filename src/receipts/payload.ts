/**
 * What a receipt (回执) and a certificate of cancellation (注销证明) say, as one versioned,
 * canonical JSON payload. Identifiers of the card and the holder are masked: the paper is shown to
 * third parties, and the payload travels inside the QR code.
 */
import { z } from "zod";
import type { ApplicationRow, CardRow, HolderRow, ProviderRow } from "../db/schema.js";
import type { Eligibility } from "../domain/eligibility.js";
import { maskIccid, maskPhone } from "../domain/masking.js";

export const RECEIPT_KINDS = ["receipt", "certificate"] as const;
export type ReceiptKind = (typeof RECEIPT_KINDS)[number];

/** The JWS `typ` header of every receipt and certificate. */
export const RECEIPT_TYP = "zhuxiao-receipt+jws";

const nullableString = z.string().nullable();

export const receiptPayloadSchema = z
  .object({
    v: z.literal(1),
    kind: z.enum(RECEIPT_KINDS),
    /** Unique id of this document. */
    id: z.string(),
    /** The public base URL of the service that issued it; verification lives at `<issuer>/verify`. */
    issuer: z.string(),
    issuedAt: z.string(),
    application: z.object({
      number: z.string(),
      channel: z.string(),
      timing: z.string(),
      submittedAt: nullableString,
      requestedDate: nullableString,
      serviceEndDate: nullableString,
      billingEndDate: nullableString,
      completedAt: nullableString,
    }),
    provider: z.object({ code: z.string(), nameZh: z.string(), nameEn: z.string(), timeZone: z.string() }),
    card: z.object({
      family: z.string(),
      kind: z.string(),
      label: z.string(),
      /** Masked: `msisdn`, `iccid`, `eid`, `cardNumber` as they apply. */
      identifiers: z.record(z.string(), z.string()),
    }),
    holder: z.object({ name: z.string(), idType: z.string(), idNumber: z.string() }),
    money: z.object({
      currency: z.literal("CNY"),
      balanceOption: nullableString,
      /** Certificate: the ledger as settled. Receipt: what was expected at submission. */
      settled: z.boolean(),
      items: z.array(z.object({ kind: z.string(), amountFen: z.number().int() })),
    }),
    /** How the card ended (certificate only). */
    outcome: z
      .object({
        cardStatus: z.string(),
        cancelledAt: nullableString,
        numberStatus: nullableString,
        quarantineUntil: nullableString,
      })
      .nullable(),
    /** The audit chain's head inside the issuing transaction; the next event is the submission or completion. */
    audit: z.object({ seq: z.number().int(), hash: z.string().regex(/^[0-9a-f]{64}$/) }),
  })
  .strict();

export type ReceiptPayload = z.infer<typeof receiptPayloadSchema>;

export interface PayloadSources {
  kind: ReceiptKind;
  id: string;
  issuer: string;
  issuedAt: string;
  application: ApplicationRow;
  provider: ProviderRow;
  card: CardRow;
  holder: HolderRow;
  ledger: Array<{ kind: string; amountFen: number }>;
  audit: { seq: number; hash: string };
}

function cardIdentifiers(card: CardRow): Record<string, string> {
  const ids: Record<string, string> = {};
  if (card.msisdn) ids.msisdn = maskPhone(card.msisdn);
  if (card.iccid) ids.iccid = maskIccid(card.iccid);
  if (card.eid) ids.eid = maskIccid(card.eid);
  if (card.cardNumberMasked) ids.cardNumber = card.cardNumberMasked;
  return ids;
}

/** At submission the money is not settled yet: the receipt states what the holder was shown. */
function expectedMoney(app: ApplicationRow): Array<{ kind: string; amountFen: number }> {
  if (!app.eligibilityJson) return [];
  const m = (JSON.parse(app.eligibilityJson) as Eligibility).money;
  return [
    { kind: "refundable_balance", amountFen: m.refundableFen },
    { kind: "gifted_forfeit", amountFen: m.giftedForfeitFen },
    { kind: "deposit", amountFen: m.depositFen },
    { kind: "payable", amountFen: m.payableFen },
  ].filter((i) => i.amountFen !== 0);
}

export function buildPayload(s: PayloadSources): ReceiptPayload {
  const a = s.application;
  const certificate = s.kind === "certificate";
  return receiptPayloadSchema.parse({
    v: 1,
    kind: s.kind,
    id: s.id,
    issuer: s.issuer,
    issuedAt: s.issuedAt,
    application: {
      number: a.number,
      channel: a.channel,
      timing: a.timing,
      submittedAt: a.submittedAt,
      requestedDate: a.requestedDate,
      serviceEndDate: a.serviceEndDate,
      billingEndDate: a.billingEndDate,
      completedAt: a.completedAt,
    },
    provider: {
      code: s.provider.code,
      nameZh: s.provider.nameZh,
      nameEn: s.provider.nameEn,
      timeZone: s.provider.timeZone,
    },
    card: {
      family: s.card.family,
      kind: s.card.kind,
      label: s.card.label,
      identifiers: cardIdentifiers(s.card),
    },
    holder: { name: s.holder.nameMasked, idType: s.holder.idType, idNumber: s.holder.idNumberMasked },
    money: {
      currency: "CNY",
      balanceOption: a.balanceOption,
      settled: certificate,
      items: certificate
        ? [...s.ledger]
            .sort((x, y) => (x.kind < y.kind ? -1 : 1))
            .map((l) => ({ kind: l.kind, amountFen: Number(l.amountFen) }))
        : expectedMoney(a),
    },
    outcome: certificate
      ? {
          cardStatus: s.card.status,
          cancelledAt: s.card.cancelledAt,
          numberStatus: s.card.numberStatus,
          quarantineUntil: s.card.quarantineUntil,
        }
      : null,
    audit: s.audit,
  });
}
