/**
 * "Back up first": what the provider can export for a card before anything irreversible happens,
 * and the exports themselves. Contacts and SMS live on the SIM itself, so they are read at a
 * counter with a card reader (or exported from the phone); the provider's records are downloads.
 */
import type { CardRow } from "../db/schema.js";
import { loadVisibleCard } from "./access.js";
import { type Actor, type AppDeps, authorize } from "./context.js";

type Text = { "zh-CN": string; en: string };

export interface BackupItem {
  kind: "transactions" | "records" | "contacts" | "sms";
  available: boolean;
  format: "csv" | null;
  href: string | null;
  count: number;
  note: Text;
}

export async function listBackupExports(
  deps: AppDeps,
  actor: Actor,
  input: { cardId: string },
): Promise<{ items: BackupItem[] }> {
  authorize(actor, "card.read");
  const card = await loadVisibleCard(deps.db, actor, input.cardId);
  const n = await deps.db
    .selectFrom("cardTransactions")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("cardId", "=", card.id)
    .executeTakeFirstOrThrow();
  const count = Number(n.n);
  const items: BackupItem[] = [
    {
      kind: "transactions",
      available: count > 0,
      format: count > 0 ? "csv" : null,
      href: count > 0 ? `/api/v1/cards/${card.id}/backup/transactions.csv` : null,
      count,
      note:
        card.family === "sim"
          ? { "zh-CN": "充值与消费记录（CSV）", en: "Top-ups and charges (CSV)" }
          : {
              "zh-CN": "交易明细（CSV），注销后将无法在线查询",
              en: "Transaction history (CSV); not viewable online after cancellation",
            },
    },
  ];
  if (card.family === "sim") {
    const atCounter: Text = {
      "zh-CN":
        "保存在 SIM 卡上的内容需在营业厅用读卡器导出，或在手机中自行导出（手机内存中的通讯录与短信不受注销影响）",
      en: "What is stored on the SIM is read out at a counter with a card reader, or exported from your phone (contacts and SMS in phone memory are not affected)",
    };
    items.push({ kind: "contacts", available: false, format: null, href: null, count: 0, note: atCounter });
    items.push({ kind: "sms", available: false, format: null, href: null, count: 0, note: atCounter });
  } else {
    items.push({
      kind: "records",
      available: false,
      format: null,
      href: null,
      count: 0,
      note: recordsNote(card),
    });
  }
  return { items };
}

function recordsNote(card: CardRow): Text {
  if (card.kind === "social_security") {
    return {
      "zh-CN": "医保与社保缴费记录请在社保经办机构或国家社会保险公共服务平台查询打印",
      en: "Insurance and contribution records are printed by the social-security office or its national service platform",
    };
  }
  return {
    "zh-CN": "其他记录（如对账单）可在营业网点打印",
    en: "Other records (such as statements) can be printed at a branch",
  };
}

function csvField(v: string | number | null): string {
  const s = v === null ? "" : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

function yuan(fen: number): string {
  const sign = fen < 0 ? "-" : "";
  const a = Math.abs(fen);
  return `${sign}${Math.floor(a / 100)}.${String(a % 100).padStart(2, "0")}`;
}

/** The card's transactions as CSV (UTF-8 with BOM so spreadsheet programs read the Chinese). */
export async function exportTransactionsCsv(
  deps: AppDeps,
  actor: Actor,
  input: { cardId: string },
): Promise<string> {
  authorize(actor, "card.read");
  const card = await loadVisibleCard(deps.db, actor, input.cardId);
  const rows = await deps.db
    .selectFrom("cardTransactions")
    .selectAll()
    .where("cardId", "=", card.id)
    .orderBy("at")
    .execute();
  const lines = [
    "time,description,amount_yuan,balance_after_yuan",
    ...rows.map((r) =>
      [
        r.at,
        r.description,
        yuan(Number(r.amountFen)),
        r.balanceAfterFen === null ? null : yuan(Number(r.balanceAfterFen)),
      ]
        .map(csvField)
        .join(","),
    ),
  ];
  return `\uFEFF${lines.join("\r\n")}\r\n`;
}
