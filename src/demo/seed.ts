/**
 * Loads the demo data set (docs/demo.md) into a database: the three demo providers from their
 * rules files, the holders with their personal data sealed, their cards with money, lock-ins,
 * bindings and dependants, one card already cancelled, and three staff accounts. Dates are
 * relative to the clock, so that lock-ins stay in force and the cancelled number stays in
 * quarantine whenever the demo is loaded.
 */

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { seedBranches } from "../branches/demo-branches.js";
import type { Db, DbOrTx, Tx } from "../db/connect.js";
import { rulesOf, upsertProvider } from "../db/providers-repository.js";
import type { ProviderRow } from "../db/schema.js";
import { checkIdNumber, isMinorOn } from "../domain/identifiers.js";
import { maskCardNumber, maskIdNumber, maskName } from "../domain/masking.js";
import { familyOf, ZERO_MONEY } from "../domain/model.js";
import type { ProviderRules } from "../domain/rules.js";
import { addDaysIso, zonedIsoDate } from "../domain/zoned-time.js";
import type { Clock, Ids, PasswordHasher, PiiVault } from "../ports/index.js";
import { DEMO_CARDS } from "./demo-cards.js";
import {
  DEMO_HOLDERS,
  DEMO_PROVIDER_CODES,
  DEMO_STAFF,
  type DemoCard,
  type DemoHolder,
} from "./demo-data.js";
import { insertDemoTransactions } from "./demo-transactions.js";

/** The ports the seed uses: a subset of the app's dependencies. */
export interface SeedDeps {
  db: Db;
  vault: PiiVault;
  hasher: PasswordHasher;
  clock: Clock;
  ids: Ids;
}

/** What a call to seedDemo loaded. */
export interface SeedResult {
  /** False when the demo data was already there; nothing was changed then. */
  seeded: boolean;
  providers: number;
  holders: number;
  cards: number;
  /** Staff accounts created, with their passwords in clear: shown once, to whoever loaded the data. */
  staff: Array<{ username: string; role: string; password: string }>;
}

/** Registered phone of every demo holder → what signing in with it shows. */
export const DEMO_PHONES: Readonly<Record<string, string>> = Object.freeze(
  Object.fromEntries(DEMO_HOLDERS.map((h) => [h.phone, h.description])),
);

const DAY_MS = 86_400_000;

interface LoadedProvider {
  row: ProviderRow;
  rules: ProviderRules;
}

/** A fresh object each time, so that no caller can alter another's answer. */
function notSeeded(): SeedResult {
  return { seeded: false, providers: 0, holders: 0, cards: 0, staff: [] };
}

/** The first demo provider marks the whole set as loaded: the seed writes everything or nothing. */
async function demoPresent(db: DbOrTx): Promise<boolean> {
  const row = await db
    .selectFrom("providers")
    .select("id")
    .where("code", "=", DEMO_PROVIDER_CODES[0])
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Loads the demo data set unless it is already there (then returns `seeded: false` and changes
 * nothing). Everything is written in one transaction.
 *
 * @param opts.providersDir directory of the `<code>.json` rules files; defaults to `providers/` at
 *   the package root.
 * @param opts.staffPasswords passwords by username; missing ones are generated.
 */
export async function seedDemo(
  deps: SeedDeps,
  opts: { providersDir?: string; staffPasswords?: Record<string, string> } = {},
): Promise<SeedResult> {
  if (await demoPresent(deps.db)) return notSeeded();
  // Two levels up from src/demo/ (tsx) and from dist/demo/ (compiled) alike.
  const dir = opts.providersDir ?? fileURLToPath(new URL("../../providers/", import.meta.url));
  const rulesFiles = DEMO_PROVIDER_CODES.map((code) => ({
    code,
    input: JSON.parse(readFileSync(join(dir, `${code}.json`), "utf8")) as unknown,
  }));
  // Password hashing is slow by design: do it before the transaction takes the write lock.
  const staff = await Promise.all(
    DEMO_STAFF.map(async (s) => {
      const password = opts.staffPasswords?.[s.username] ?? deps.ids.token().slice(0, 16);
      return { ...s, password, passwordHash: await deps.hasher.hash(password) };
    }),
  );
  const now = deps.clock.now();

  return deps.db.transaction().execute(async (tx) => {
    // Another process may have loaded the data since the check above.
    if (await demoPresent(tx)) return notSeeded();
    const providers = new Map<string, LoadedProvider>();
    for (const { code, input } of rulesFiles) {
      const row = await upsertProvider(tx, input, `prv_${code.replaceAll("-", "_")}`, now.toISOString());
      if (row.code !== code) throw new Error(`providers/${code}.json describes provider ${row.code}`);
      providers.set(code, { row, rules: rulesOf(row) });
    }
    // Records date from a year back (before the cancelled card's application), cards one second
    // apart after their holders so that a holder's cards list in DEMO_CARDS order.
    const start = now.getTime() - 365 * DAY_MS;
    for (const h of DEMO_HOLDERS) await insertHolder(tx, deps.vault, h, new Date(start), now);
    for (const [i, c] of DEMO_CARDS.entries()) {
      // DemoCard.provider is one of DEMO_PROVIDER_CODES, every one of them loaded above.
      const provider = providers.get(c.provider) as LoadedProvider;
      await insertCard(tx, deps, c, provider, new Date(start + (i + 1) * 1000), now);
      await insertDemoTransactions(tx, c, () => deps.ids.id("txn"), now);
    }
    const created = await insertStaff(tx, deps.ids, staff, now);
    await seedBranches({ db: tx, ids: deps.ids }, now);
    return {
      seeded: true,
      providers: providers.size,
      holders: DEMO_HOLDERS.length,
      cards: DEMO_CARDS.length,
      staff: created,
    };
  });
}

/** A resident ID number as checkIdNumber normalises it (what identity checks hash); others upper-cased. */
function normalisedIdNumber(h: DemoHolder): string {
  if (h.idType !== "resident_id") return h.idNumber.replace(/\s/g, "").toUpperCase();
  const r = checkIdNumber(h.idNumber);
  if (!r.ok) throw new Error(`demo holder ${h.id}: invalid ID number (${r.code})`);
  return r.value;
}

/** Passport and permit numbers are too short for maskIdNumber's 6 + 4 visible characters. */
function maskDocumentNumber(h: DemoHolder, id: string): string {
  if (h.idType === "resident_id") return maskIdNumber(id);
  return id.slice(0, 1) + "*".repeat(Math.max(1, id.length - 3)) + id.slice(-2);
}

async function insertHolder(
  tx: Tx,
  vault: PiiVault,
  h: DemoHolder,
  createdAt: Date,
  now: Date,
): Promise<void> {
  const idNumber = normalisedIdNumber(h);
  await tx
    .insertInto("holders")
    .values({
      id: h.id,
      nameEnc: vault.encrypt(h.name),
      nameMasked: maskName(h.name),
      idType: h.idType,
      idNumberEnc: vault.encrypt(idNumber),
      idNumberHash: vault.hash(idNumber),
      idNumberMasked: maskDocumentNumber(h, idNumber),
      phone: h.phone,
      realNameVerified: 1,
      // Only a resident ID carries a birth date; the demo's passport holder is an adult.
      isMinor: h.idType === "resident_id" && isMinorOn(idNumber, now) ? 1 : 0,
      preferredLanguage: h.preferredLanguage,
      createdAt: createdAt.toISOString(),
    })
    .execute();
}

async function insertCard(
  tx: Tx,
  deps: SeedDeps,
  c: DemoCard,
  { row: provider, rules }: LoadedProvider,
  createdAt: Date,
  now: Date,
): Promise<void> {
  const family = familyOf(c.kind);
  const nowIso = now.toISOString();
  const cancelledAt = c.cancelled ? new Date(now.getTime() - c.cancelled.daysAgo * DAY_MS) : null;
  // Destroyed, and the application closed, two days after the provider cancelled the card.
  const destroyedAt = cancelledAt ? new Date(cancelledAt.getTime() + 2 * DAY_MS) : null;
  const quarantineUntil =
    cancelledAt && family === "sim"
      ? new Date(cancelledAt.getTime() + rules.rules.quarantineDays.value * DAY_MS)
      : null;
  let numberStatus: string | null = null;
  if (family === "sim") {
    numberStatus = "in_service";
    if (quarantineUntil) numberStatus = quarantineUntil > now ? "quarantined" : "released";
  }
  await tx
    .insertInto("cards")
    .values({
      id: c.id,
      providerId: provider.id,
      holderId: c.holderId,
      family,
      kind: c.kind,
      networkGeneration: c.networkGeneration ?? null,
      label: c.label,
      cardNumberEnc: c.cardNumber ? deps.vault.encrypt(c.cardNumber) : null,
      cardNumberHash: c.cardNumber ? deps.vault.hash(c.cardNumber) : null,
      cardNumberMasked: c.cardNumber ? maskCardNumber(c.cardNumber) : null,
      iccid: c.iccid ?? null,
      msisdn: c.msisdn ?? null,
      eid: c.eid ?? null,
      status: c.status ?? "active",
      numberStatus,
      quarantineUntil: quarantineUntil?.toISOString() ?? null,
      realNameVerified: c.realNameVerified === false ? 0 : 1,
      parentCardId: c.parent?.cardId ?? null,
      relation: c.parent?.relation ?? null,
      bundle: c.bundle ?? null,
      groupName: c.groupName ?? null,
      familyPlan: c.familyPlan ? 1 : 0,
      destroyedAt: destroyedAt?.toISOString() ?? null,
      destroyedHow: c.cancelled?.destroyedHow ?? null,
      cancelledAt: cancelledAt?.toISOString() ?? null,
      createdAt: createdAt.toISOString(),
      updatedAt: (destroyedAt ?? createdAt).toISOString(),
    })
    .execute();
  await tx
    .insertInto("accounts")
    .values({ cardId: c.id, ...ZERO_MONEY, ...c.money, updatedAt: nowIso })
    .execute();

  const today = zonedIsoDate(now, provider.timeZone);
  for (const l of c.lockIns ?? []) {
    await tx
      .insertInto("lockIns")
      .values({
        id: deps.ids.id("lck"),
        cardId: c.id,
        kind: l.kind,
        termEnd: addDaysIso(today, l.termEndInDays),
        terminationFeeFen: l.terminationFeeFen,
      })
      .execute();
  }
  for (const b of c.bindings ?? []) {
    await tx
      .insertInto("bindings")
      .values({ id: deps.ids.id("bnd"), cardId: c.id, ...b })
      .execute();
  }
  if (c.cancelled && cancelledAt && destroyedAt) {
    await insertClosedApplication(tx, deps.ids, {
      card: c,
      cancelled: c.cancelled,
      provider: { row: provider, rules },
      cancelledAt,
      closedAt: destroyedAt,
    });
  }
}

/**
 * The application that cancelled a demo card, as the app would have left it when closed. Its
 * audit events are not invented: the audit chain is written only by the app's own transitions.
 */
async function insertClosedApplication(
  tx: Tx,
  ids: Ids,
  a: {
    card: DemoCard;
    cancelled: NonNullable<DemoCard["cancelled"]>;
    provider: LoadedProvider;
    cancelledAt: Date;
    closedAt: Date;
  },
): Promise<void> {
  const { card: c, cancelled, cancelledAt, closedAt } = a;
  const provider = a.provider.row;
  const slaDays = a.provider.rules.rules.slaDays.value;
  const submittedAt = new Date(cancelledAt.getTime() - 6 * DAY_MS);
  const decidedAt = new Date(cancelledAt.getTime() - 5 * DAY_MS);
  // "immediate": requested, service-end and billing-end dates are the day of submission.
  const requested = zonedIsoDate(submittedAt, provider.timeZone);
  await tx
    .insertInto("applications")
    .values({
      id: ids.id("app"),
      number: cancelled.applicationNumber,
      cardId: c.id,
      holderId: c.holderId,
      providerId: provider.id,
      batchId: null,
      status: "closed",
      channel: "online",
      reason: "已换用新号码",
      timing: "immediate",
      requestedDate: requested,
      serviceEndDate: requested,
      billingEndDate: requested,
      balanceOption: null,
      transferTo: null,
      backupStatus: "done",
      backupNote: null,
      unbindingJson: "[]",
      proxy: 0,
      eligibilityJson: null,
      infoRequest: null,
      infoResponse: null,
      rejectReason: null,
      rejectComment: null,
      failureCause: null,
      closedHow: cancelled.destroyedHow,
      dueAt: new Date(submittedAt.getTime() + slaDays * DAY_MS).toISOString(),
      createdByType: "holder",
      createdById: c.holderId,
      createdAt: submittedAt.toISOString(),
      updatedAt: closedAt.toISOString(),
      submittedAt: submittedAt.toISOString(),
      decidedAt: decidedAt.toISOString(),
      completedAt: cancelledAt.toISOString(),
      closedAt: closedAt.toISOString(),
      // Created at 1, then submit, start_review, approve, start_processing, complete, close.
      version: 7,
    })
    .execute();
}

/** Usernames already taken (an operator may have added an `admin`) are left alone. */
async function insertStaff(
  tx: Tx,
  ids: Ids,
  staff: Array<(typeof DEMO_STAFF)[number] & { password: string; passwordHash: string }>,
  now: Date,
): Promise<SeedResult["staff"]> {
  const taken = new Set(
    (
      await tx
        .selectFrom("staff")
        .select("username")
        .where(
          "username",
          "in",
          staff.map((s) => s.username),
        )
        .execute()
    ).map((r) => r.username),
  );
  const created: SeedResult["staff"] = [];
  for (const s of staff) {
    if (taken.has(s.username)) continue;
    await tx
      .insertInto("staff")
      .values({
        id: ids.id("stf"),
        username: s.username,
        displayName: s.displayName,
        role: s.role,
        providerId: null,
        branch: null,
        passwordHash: s.passwordHash,
        failedLogins: 0,
        lockedUntil: null,
        createdAt: now.toISOString(),
      })
      .execute();
    created.push({ username: s.username, role: s.role, password: s.password });
  }
  return created;
}
