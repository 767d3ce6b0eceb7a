/**
 * A few months of plausible transactions per demo card, ending at the card's current balance, so
 * that "back up first" has something real to export. Deterministic: the same card and clock
 * always give the same rows.
 */
import type { Tx } from "../db/connect.js";
import type { DemoCard } from "./demo-data.js";

const DAY_MS = 86_400_000;

const DESCRIPTIONS: Record<string, Array<[string, number]>> = {
  physical: [
    ["话费充值 Top-up", 5000],
    ["月租 Monthly plan", -3900],
    ["流量加油包 Data add-on", -1000],
  ],
  esim: [
    ["话费充值 Top-up", 10000],
    ["月租 Monthly plan", -5900],
  ],
  bank_debit: [
    ["工资 Salary", 1_250_000],
    ["超市 Supermarket", -23_850],
    ["转账 Transfer", -300_000],
    ["水电费 Utilities", -18_200],
  ],
  bank_credit: [
    ["餐饮 Restaurant", -16_800],
    ["网购 Online shopping", -45_990],
    ["还款 Repayment", 62_790],
  ],
  transit: [
    ["充值 Top-up", 5000],
    ["地铁 Metro", -400],
    ["公交 Bus", -200],
    ["地铁 Metro", -600],
  ],
  social_security: [
    ["医保个人账户划入 Insurance credit", 18_000],
    ["药店 Pharmacy", -4_250],
  ],
  access: [],
};

/** Simple deterministic generator seeded by the card id. */
function seeded(id: string): () => number {
  let x = 2166136261;
  for (const ch of id) x = Math.imul(x ^ ch.charCodeAt(0), 16777619) >>> 0;
  return () => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    return x / 2 ** 32;
  };
}

export async function insertDemoTransactions(
  tx: Tx,
  card: DemoCard,
  newId: () => string,
  now: Date,
): Promise<number> {
  const pattern = DESCRIPTIONS[card.kind] ?? [];
  if (pattern.length === 0 || card.status === "cancelled") return 0;
  const rnd = seeded(card.id);
  const count = 8 + Math.floor(rnd() * 8);
  // Walk backwards from today's balance so the newest row ends where the account stands.
  let balance = card.money?.balanceFen ?? 0;
  const rows = [];
  for (let i = 0; i < count; i++) {
    const [description, amountFen] = pattern[Math.floor(rnd() * pattern.length)]!;
    const at = new Date(
      now.getTime() - (i * 6 + Math.floor(rnd() * 5) + 1) * DAY_MS - Math.floor(rnd() * 8) * 3_600_000,
    );
    rows.push({
      id: newId(),
      cardId: card.id,
      at: at.toISOString(),
      description,
      amountFen,
      balanceAfterFen: balance,
    });
    balance -= amountFen;
  }
  await tx.insertInto("cardTransactions").values(rows).execute();
  return rows.length;
}
