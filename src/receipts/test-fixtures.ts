/** A receipt and a certificate as the demo SIM would get them, for the unit tests of this folder. */
import type { ReceiptKind, ReceiptPayload } from "./payload.js";

export function samplePayload(kind: ReceiptKind = "receipt"): ReceiptPayload {
  const certificate = kind === "certificate";
  return {
    v: 1,
    kind,
    id: certificate ? "crt_5f0c2a9d7b3e4c1a8e6d2f4b9a7c3e1d" : "rcp_0b7e4d2a9c5f4e3b8a1d6c2f9e7b4a30",
    issuer: "http://127.0.0.1:8080",
    issuedAt: certificate ? "2026-11-25T03:00:00.000Z" : "2026-11-24T02:00:00.000Z",
    application: {
      number: "ZX2611240A7K3Q",
      channel: "online",
      timing: "immediate",
      submittedAt: "2026-11-24T02:00:00.000Z",
      requestedDate: "2026-11-24",
      serviceEndDate: "2026-11-24",
      billingEndDate: "2026-11-24",
      completedAt: certificate ? "2026-11-25T03:00:00.000Z" : null,
    },
    provider: { code: "demo-mobile", nameZh: "示例移动", nameEn: "Demo Mobile", timeZone: "Asia/Shanghai" },
    card: {
      family: "sim",
      kind: "physical",
      label: "手机卡 尾号8000",
      identifiers: { msisdn: "138****8000", iccid: "898600**********4616" },
    },
    holder: { name: "张*", idType: "resident_id", idNumber: "110105********0012" },
    money: certificate
      ? {
          currency: "CNY",
          balanceOption: "refund",
          settled: true,
          items: [
            { kind: "gifted_forfeit", amountFen: 2000 },
            { kind: "refund", amountFen: 3650 },
          ],
        }
      : {
          currency: "CNY",
          balanceOption: "refund",
          settled: false,
          items: [
            { kind: "refundable_balance", amountFen: 3650 },
            { kind: "gifted_forfeit", amountFen: 2000 },
          ],
        },
    outcome: certificate
      ? {
          cardStatus: "cancelled",
          cancelledAt: "2026-11-25T03:00:00.000Z",
          numberStatus: "quarantined",
          quarantineUntil: "2027-02-23T03:00:00.000Z",
        }
      : null,
    audit: { seq: 42, hash: "3f1d9c0b6a5e4d7c8b2a1f0e9d8c7b6a5f4e3d2c1b0a99887766554433221100" },
  };
}
