import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPiiVault } from "../adapters/pii-vault.js";
import { loadCardSnapshot } from "../db/cards-repository.js";
import { type Db, type DbHandle, openSqlite } from "../db/connect.js";
import { findHolder, findHolderByPhone } from "../db/holders-repository.js";
import { migrateToLatest } from "../db/migrations.js";
import { findProvider, rulesOf } from "../db/providers-repository.js";
import { evaluateEligibility, FINDING_CODES, type FindingCode } from "../domain/eligibility.js";
import { checkEid, checkIccid, checkIdNumber, checkMobile, luhnValid } from "../domain/identifiers.js";
import type { CounterCase } from "../domain/rules.js";
import type { Ids, PasswordHasher, PiiVault } from "../ports/index.js";
import { DEMO_CARDS } from "./demo-cards.js";
import { DEMO_HOLDERS, DEMO_PROVIDER_CODES } from "./demo-data.js";
import { DEMO_PHONES, type SeedDeps, seedDemo } from "./seed.js";

/** Tuesday 2026-11-24 10:00 in Shanghai: inside every demo service window, not a month end. */
const NOW = new Date("2026-11-24T02:00:00Z");

/** What each demo card yields at NOW: finding codes, and the counter cases behind COUNTER_REQUIRED. */
const EXPECTED: Record<string, { codes: FindingCode[]; counter?: CounterCase[] }> = {
  card_demo_sim_clean: { codes: ["BALANCE_REMAINING", "GIFTED_BALANCE_FORFEITED"] },
  card_demo_esim_clean: { codes: [] },
  card_demo_debit_clean: { codes: [] },
  card_demo_transit_deposit: {
    codes: ["BALANCE_REMAINING", "DEPOSIT_REFUNDABLE", "COUNTER_REQUIRED"],
    counter: ["deposit_return"],
  },
  card_demo_sim_arrears: { codes: ["ARREARS"] },
  card_demo_sim_roaming: { codes: ["UNBILLED_CHARGES"] },
  card_demo_sim_suspended: { codes: ["CARD_SUSPENDED"] },
  card_demo_sim_not_real_name: { codes: ["NOT_REAL_NAME"] },
  card_demo_credit_annual_fee: { codes: ["ANNUAL_FEE_DUE"] },
  card_demo_sim_family_primary: {
    codes: ["SECONDARY_CARDS_OPEN", "COUNTER_REQUIRED"],
    counter: ["family_plan"],
  },
  card_demo_sim_family_secondary: { codes: ["COUNTER_REQUIRED"], counter: ["family_plan"] },
  card_demo_sim_bundle: { codes: ["BUNDLE_ACTIVE", "COUNTER_REQUIRED"], counter: ["bundle"] },
  card_demo_sim_lost: { codes: ["CARD_LOST"] },
  card_demo_credit_overpayment: { codes: ["OVERPAYMENT_TO_WITHDRAW"] },
  card_demo_credit_debt: { codes: ["CREDIT_DEBT"] },
  card_demo_credit_instalments: { codes: ["INSTALMENTS_OUTSTANDING"] },
  card_demo_credit_primary: { codes: ["SUPPLEMENTARY_CARDS_OPEN"] },
  card_demo_credit_supplementary: { codes: [] },
  card_demo_sim_premium: { codes: ["LOCK_IN_BLOCKING"] },
  card_demo_sim_group: { codes: ["GROUP_MEMBER", "COUNTER_REQUIRED"], counter: ["group"] },
  card_demo_sim_contract: { codes: ["LOCK_IN_FEE", "COUNTER_REQUIRED"], counter: ["contract"] },
  card_demo_sim_handset: { codes: ["LOCK_IN_FEE"] },
  card_demo_sim_cancelled: { codes: ["ALREADY_CANCELLED"] },
  card_demo_sim_minor: { codes: ["COUNTER_REQUIRED"], counter: ["minor"] },
  card_demo_transit_online: { codes: ["BALANCE_REMAINING"] },
  card_demo_sim_passport: { codes: ["COUNTER_REQUIRED"], counter: ["non_id_card_document"] },
};

/** Cards that may be filed online right away: the happy paths plus the fee-only and cascade cases. */
const ONLINE = [
  "card_demo_sim_clean",
  "card_demo_esim_clean",
  "card_demo_debit_clean",
  "card_demo_sim_handset",
  "card_demo_credit_primary",
  "card_demo_credit_supplementary",
  "card_demo_transit_online",
];

/** Codes no card's data yields at a quiet hour: they come from an application in progress or the clock. */
const NOT_FROM_DATA: Partial<Record<FindingCode, string>> = {
  APPLICATION_OPEN: "an application in progress, which only the app creates",
  PENDING_CANCELLATION:
    "a card left pending without an application, which only a half-done cancellation leaves",
  OUTSIDE_SERVICE_WINDOW: "the clock outside the provider's online window",
  MONTH_END_CUTOFF: "the clock past the cut-off on the last day of a month",
};

const hasher: PasswordHasher = { hash: async (p) => `h:${p}`, verify: async (h, p) => h === `h:${p}` };

function sequentialIds(): Ids {
  let n = 0;
  const next = () => String(++n).padStart(6, "0");
  return {
    id: (prefix) => `${prefix}_${next()}`,
    applicationNumber: () => `ZX261124${next()}`,
    token: () => `token${next()}abcdefghijklmnop`,
    otpCode: () => "123456",
  };
}

async function openSeeded(opts?: Parameters<typeof seedDemo>[1]) {
  const handle = openSqlite(":memory:");
  await migrateToLatest(handle.db as never);
  const deps: SeedDeps = {
    db: handle.db,
    vault: createPiiVault(randomBytes(32)),
    hasher,
    clock: { now: () => new Date(NOW) },
    ids: sequentialIds(),
  };
  const result = await seedDemo(deps, opts);
  return { handle, deps, result };
}

async function evaluate(db: Db, cardId: string, now = NOW) {
  const card = await db.selectFrom("cards").selectAll().where("id", "=", cardId).executeTakeFirstOrThrow();
  const holder = await findHolder(db, card.holderId);
  const provider = await findProvider(db, card.providerId);
  if (!holder || !provider) throw new Error(`card ${cardId} has no holder or provider`);
  return evaluateEligibility(await loadCardSnapshot(db, card, holder), rulesOf(provider), now);
}

const codesOf = (e: { findings: Array<{ code: FindingCode }> }) =>
  [...new Set(e.findings.map((f) => f.code))].sort();

const TABLES = [
  "providers",
  "holders",
  "cards",
  "accounts",
  "lock_ins",
  "bindings",
  "applications",
  "audit_events",
  "staff",
] as const;

async function snapshotTables(db: Db): Promise<string> {
  const parts: string[] = [];
  for (const t of TABLES) {
    const rows = await db
      .selectFrom(t as "cards")
      .selectAll()
      .execute();
    parts.push(`${t}:${JSON.stringify(rows)}`);
  }
  return parts.join("\n");
}

describe("seedDemo", () => {
  let handle: DbHandle;
  let db: Db;
  let vault: PiiVault;
  let deps: SeedDeps;
  let result: Awaited<ReturnType<typeof seedDemo>>;
  const staffPasswords = { admin: "admin-password-1", supervisor: "supervisor-password-1" };

  beforeAll(async () => {
    ({ handle, deps, result } = await openSeeded({ staffPasswords }));
    db = handle.db;
    vault = deps.vault;
  });
  afterAll(() => handle.close());

  it("loads three providers, seven holders, every card and three staff accounts", async () => {
    expect(result).toMatchObject({ seeded: true, providers: 3, holders: 7, cards: DEMO_CARDS.length });
    const codes = (await db.selectFrom("providers").select("code").execute()).map((p) => p.code).sort();
    expect(codes).toEqual([...DEMO_PROVIDER_CODES].sort());
    expect(await db.selectFrom("cards").select("id").execute()).toHaveLength(DEMO_CARDS.length);
    expect(await db.selectFrom("accounts").select("cardId").execute()).toHaveLength(DEMO_CARDS.length);
    const bindings = await db
      .selectFrom("bindings")
      .selectAll()
      .where("cardId", "=", "card_demo_sim_clean")
      .execute();
    expect(bindings.map((b) => b.nameZh).sort()).toEqual(
      ["个人所得税", "微信支付", "工商银行", "支付宝", "铁路12306"].sort(),
    );
  });

  it("uses the given staff passwords, generates the others, and stores only their hashes", async () => {
    expect(result.staff.map((s) => [s.username, s.role])).toEqual([
      ["admin", "admin"],
      ["supervisor", "supervisor"],
      ["agent", "agent"],
    ]);
    const byName = Object.fromEntries(result.staff.map((s) => [s.username, s.password]));
    expect(byName).toMatchObject(staffPasswords);
    expect(byName.agent).toHaveLength(16);
    const rows = await db.selectFrom("staff").selectAll().execute();
    for (const r of rows) expect(r.passwordHash).toBe(`h:${byName[r.username]}`);
  });

  it("does nothing the second time", async () => {
    const before = await snapshotTables(db);
    const again = await seedDemo(deps, { staffPasswords });
    expect(again).toEqual({ seeded: false, providers: 0, holders: 0, cards: 0, staff: [] });
    expect(await snapshotTables(db)).toBe(before);
  });

  it("has an expected-findings entry for exactly the demo cards", () => {
    expect(Object.keys(EXPECTED).sort()).toEqual(DEMO_CARDS.map((c) => c.id).sort());
  });

  it.each(Object.entries(EXPECTED))("%s yields its documented findings", async (cardId, expected) => {
    const e = await evaluate(db, cardId);
    expect(codesOf(e)).toEqual([...expected.codes].sort());
    expect(e.counterCases).toEqual(expected.counter ?? []);
    expect(e.onlineAllowed).toBe(ONLINE.includes(cardId));
  });

  it("asks for uploads online only for the transit card, and for a guardian's papers for the minor", async () => {
    for (const id of ONLINE) {
      const docs = (await evaluate(db, id)).requiredDocuments;
      expect(docs, id).toEqual(id === "card_demo_transit_online" ? ["card_photo"] : []);
    }
    expect((await evaluate(db, "card_demo_sim_minor")).requiredDocuments).toEqual([
      "id_front",
      "id_back",
      "guardian_id",
      "household_register",
    ]);
  });

  it("exercises every finding code that can come from data, and only those", () => {
    const fromData = new Set(Object.values(EXPECTED).flatMap((e) => e.codes));
    for (const code of Object.keys(NOT_FROM_DATA)) expect(fromData.has(code as FindingCode)).toBe(false);
    expect([...fromData, ...Object.keys(NOT_FROM_DATA)].sort()).toEqual([...FINDING_CODES].sort());
  });

  it("sends the clean SIM to a counter outside the online window and after the month-end cut-off", async () => {
    const late = await evaluate(db, "card_demo_sim_clean", new Date("2026-11-24T15:30:00Z"));
    expect(codesOf(late)).toContain("OUTSIDE_SERVICE_WINDOW");
    expect(late.channel).toBe("counter");
    // Monday 30 November, 19:00 in Shanghai: inside the window, after the 18:00 cut-off.
    const monthEnd = await evaluate(db, "card_demo_sim_clean", new Date("2026-11-30T11:00:00Z"));
    expect(codesOf(monthEnd)).toContain("MONTH_END_CUTOFF");
    expect(codesOf(monthEnd)).not.toContain("OUTSIDE_SERVICE_WINDOW");
  });

  it("answers for the cancelled card with the closed application that cancelled it", async () => {
    const e = await evaluate(db, "card_demo_sim_cancelled");
    expect(e.findings[0]?.params).toEqual({ applicationNumber: "ZX2610150DEMO1" });
    const app = await db
      .selectFrom("applications")
      .selectAll()
      .where("number", "=", "ZX2610150DEMO1")
      .executeTakeFirstOrThrow();
    expect(app).toMatchObject({
      status: "closed",
      closedHow: "destroyed",
      cardId: "card_demo_sim_cancelled",
    });
    expect(await db.selectFrom("auditEvents").select("seq").execute()).toEqual([]);
    const card = await db
      .selectFrom("cards")
      .selectAll()
      .where("id", "=", "card_demo_sim_cancelled")
      .executeTakeFirstOrThrow();
    expect(card).toMatchObject({
      status: "cancelled",
      numberStatus: "quarantined",
      destroyedHow: "destroyed",
    });
    expect(Date.parse(card.quarantineUntil ?? "")).toBe(Date.parse(card.cancelledAt ?? "") + 90 * 86_400_000);
  });

  it("keeps ID numbers, names and card numbers only sealed, hashed and masked", async () => {
    const holders = await db.selectFrom("holders").selectAll().execute();
    const cards = JSON.stringify(await db.selectFrom("cards").selectAll().execute());
    for (const h of DEMO_HOLDERS) {
      const row = holders.find((r) => r.id === h.id);
      expect(row?.idNumberEnc).not.toContain(h.idNumber);
      expect(vault.decrypt(row?.idNumberEnc ?? "")).toBe(h.idNumber);
      expect(row?.idNumberHash).toBe(vault.hash(h.idNumber));
      expect(JSON.stringify(holders)).not.toContain(h.idNumber);
      expect(JSON.stringify(holders)).not.toContain(h.name);
    }
    expect(holders.find((r) => r.id === "hld_demo_zhang_wei")).toMatchObject({
      idNumberMasked: "110105********0012",
      nameMasked: "张*",
    });
    for (const c of DEMO_CARDS.filter((c) => c.cardNumber)) expect(cards).not.toContain(c.cardNumber);
    const debit = await db
      .selectFrom("cards")
      .selectAll()
      .where("id", "=", "card_demo_debit_clean")
      .executeTakeFirstOrThrow();
    expect(debit.cardNumberMasked).toBe("6234***********2755");
    expect(debit.cardNumberHash).toBe(vault.hash("6234561002083412755"));
  });

  it("marks only the holder born in 2012 as a minor", async () => {
    const minors = await db.selectFrom("holders").select("id").where("isMinor", "=", 1).execute();
    expect(minors.map((m) => m.id)).toEqual(["hld_demo_wang_xiaoming"]);
  });

  it("signs every demo phone in to a holder with cards, one of them at all three providers", async () => {
    expect(Object.keys(DEMO_PHONES).sort()).toEqual(DEMO_HOLDERS.map((h) => h.phone).sort());
    const providersPerHolder: number[] = [];
    for (const phone of Object.keys(DEMO_PHONES)) {
      const holder = await findHolderByPhone(db, phone);
      const cards = await db
        .selectFrom("cards")
        .select("providerId")
        .where("holderId", "=", holder?.id ?? "")
        .execute();
      expect(cards.length).toBeGreaterThan(0);
      providersPerHolder.push(new Set(cards.map((c) => c.providerId)).size);
    }
    expect(Math.max(...providersPerHolder)).toBe(3);
  });
});

describe("demo identifiers", () => {
  it("are valid numbers of their kind", () => {
    for (const h of DEMO_HOLDERS) {
      expect(checkMobile(h.phone)).toMatchObject({ ok: true, value: h.phone });
      if (h.idType === "resident_id")
        expect(checkIdNumber(h.idNumber, NOW)).toMatchObject({ ok: true, value: h.idNumber });
    }
    for (const c of DEMO_CARDS) {
      if (c.msisdn) expect(checkMobile(c.msisdn)).toMatchObject({ ok: true, value: c.msisdn });
      if (c.iccid) {
        expect(c.iccid).toMatch(/^8986(00|01|03)\d{14}$/);
        expect(checkIccid(c.iccid)).toMatchObject({ ok: true, warnings: [] });
      }
      if (c.eid) expect(checkEid(c.eid).ok).toBe(true);
      if (c.cardNumber) expect(luhnValid(c.cardNumber)).toBe(true);
      if (c.kind === "bank_debit" || c.kind === "bank_credit") expect(c.cardNumber).toMatch(/^62\d{14,17}$/);
    }
  });

  it("are unique, and no label shows a whole number", () => {
    const numbers = DEMO_CARDS.flatMap((c) => [c.msisdn, c.iccid, c.eid, c.cardNumber]).filter(Boolean);
    expect(new Set(numbers).size).toBe(numbers.length);
    for (const c of DEMO_CARDS) {
      for (const n of [c.msisdn, c.iccid, c.eid, c.cardNumber]) if (n) expect(c.label).not.toContain(n);
      expect(c.label).toMatch(/尾号\d{4}$/);
    }
  });
});

describe("finding codes from application state", () => {
  let handle: DbHandle;
  beforeAll(async () => {
    ({ handle } = await openSeeded());
  });
  afterAll(() => handle.close());

  it("reports an open application, and a card pending cancellation without one", async () => {
    const db = handle.db;
    const closed = await db
      .selectFrom("applications")
      .selectAll()
      .where("number", "=", "ZX2610150DEMO1")
      .executeTakeFirstOrThrow();
    const debit = await db
      .selectFrom("cards")
      .selectAll()
      .where("id", "=", "card_demo_debit_clean")
      .executeTakeFirstOrThrow();
    await db
      .insertInto("applications")
      .values({
        ...closed,
        id: "app_open",
        number: "ZX261124OPEN01",
        cardId: debit.id,
        holderId: debit.holderId,
        providerId: debit.providerId,
        status: "submitted",
        closedHow: null,
      })
      .execute();
    expect(codesOf(await evaluate(db, debit.id))).toEqual(["APPLICATION_OPEN"]);

    await db
      .updateTable("cards")
      .set({ status: "pending_cancellation" })
      .where("id", "=", "card_demo_esim_clean")
      .execute();
    expect(codesOf(await evaluate(db, "card_demo_esim_clean"))).toEqual(["PENDING_CANCELLATION"]);
  });
});
