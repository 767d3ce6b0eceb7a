/**
 * The staff queue read as indexes allow (0009_hot_path_indexes): several statuses merged from one
 * ordered read each, totals counted up to a cap. Every page must equal the same slice of all
 * matches sorted in memory, on every page, filter and sort.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  listQueue,
  QUEUE_COUNT_CAP,
  QUEUE_COUNT_CAP_CARD_FILTER,
  type QueueFilter,
  type QueueSort,
} from "../src/db/applications-repository.js";
import type { ApplicationRow } from "../src/db/schema.js";
import type { ApplicationStatus } from "../src/domain/states.js";
import { Harness } from "./support/harness.js";

const STATUSES: ApplicationStatus[] = [
  "closed",
  "submitted",
  "under_review",
  "needs_info",
  "withdrawn",
  "rejected",
];
const OPEN: ApplicationStatus[] = ["submitted", "under_review", "needs_info"];
const N = QUEUE_COUNT_CAP + 300;

let h: Harness;
let all: Array<ApplicationRow & { cardFamily: string }>;

beforeAll(async () => {
  h = await Harness.start();
  const db = h.rt.deps.db;
  const templateApp = await db.selectFrom("applications").selectAll().executeTakeFirstOrThrow();
  const sim = await db.selectFrom("cards").selectAll().where("family", "=", "sim").executeTakeFirstOrThrow();
  const smart = await db
    .selectFrom("cards")
    .selectAll()
    .where("family", "!=", "sim")
    .executeTakeFirstOrThrow();
  const cards = Array.from({ length: N }, (_, i) => {
    const base = i % 3 === 0 ? sim : smart;
    return { ...base, id: `qcard_${i}`, iccid: null, msisdn: null };
  });
  const apps = Array.from({ length: N }, (_, i) => ({
    ...templateApp,
    id: `qapp_${String((i * 7919) % N).padStart(6, "0")}`,
    number: `QZ${String(i).padStart(8, "0")}`,
    cardId: `qcard_${i}`,
    status: STATUSES[i % STATUSES.length]!,
    branch: i % 4 === 0 ? "B1" : null,
    // Few distinct due dates (ties broken by id), some none at all.
    dueAt: i % 11 === 0 ? null : new Date(Date.UTC(2026, 0, 1 + (i % 37))).toISOString(),
    createdAt: new Date(Date.UTC(2025, 0, 1, 0, i % 500)).toISOString(),
  }));
  for (let i = 0; i < N; i += 500) {
    await db
      .insertInto("cards")
      .values(cards.slice(i, i + 500))
      .execute();
    await db
      .insertInto("applications")
      .values(apps.slice(i, i + 500))
      .execute();
  }
  all = await db
    .selectFrom("applications as a")
    .innerJoin("cards as c", "c.id", "a.cardId")
    .selectAll("a")
    .select("c.family as cardFamily")
    .execute();
}, 120_000);

afterAll(async () => {
  await h?.close();
});

const COLUMN = {
  due_at: "dueAt",
  created_at: "createdAt",
  submitted_at: "submittedAt",
  updated_at: "updatedAt",
};

/** What a page must hold: every match sorted (nulls first, ties by id as SQLite does), sliced. */
function expected(filter: QueueFilter, sort: QueueSort, order: "asc" | "desc") {
  const col = COLUMN[sort] as "dueAt";
  const cmp = (x: string | null, y: string | null) =>
    x === y ? 0 : x === null ? -1 : y === null ? 1 : x < y ? -1 : 1;
  return all
    .filter(
      (a) =>
        (!filter.status || filter.status.includes(a.status as ApplicationStatus)) &&
        (!filter.family || a.cardFamily === filter.family) &&
        (!filter.branch || a.branch === filter.branch),
    )
    .sort((a, b) => (order === "asc" ? 1 : -1) * cmp(a[col], b[col]) || (a.id < b.id ? -1 : 1))
    .map((a) => a.id);
}

describe("staff queue", () => {
  const cases: Array<[string, QueueFilter, QueueSort, "asc" | "desc"]> = [
    ["open work by due date", { status: OPEN }, "due_at", "asc"],
    ["open work, latest due first", { status: OPEN }, "due_at", "desc"],
    ["two statuses, newest first", { status: ["closed", "rejected"] }, "created_at", "desc"],
    ["one status", { status: ["submitted"] }, "due_at", "asc"],
    ["everything by due date", {}, "due_at", "asc"],
    ["open SIM cards", { status: OPEN, family: "sim" }, "due_at", "asc"],
    ["one branch's open work", { status: OPEN, branch: "B1" }, "created_at", "asc"],
  ];
  for (const [name, filter, sort, order] of cases) {
    it(`pages ${name} exactly as sorting every match would`, async () => {
      const want = expected(filter, sort, order);
      for (const offset of [0, 50, 1000, want.length - 20]) {
        const page = await listQueue(h.rt.deps.db, filter, { limit: 50, offset, sort, order });
        expect(page.items.map((a) => a.id)).toEqual(want.slice(offset, offset + 50));
        const cap = filter.family ? QUEUE_COUNT_CAP_CARD_FILTER : QUEUE_COUNT_CAP;
        expect(page.total).toBe(Math.min(want.length, cap));
        expect(page.totalCapped).toBe(want.length > cap);
      }
    });
  }

  it("caps the total past 10 000 and says so, through HTTP too", async () => {
    const page = await listQueue(h.rt.deps.db, {}, { limit: 10, offset: 0, sort: "due_at", order: "asc" });
    expect(all.length).toBeGreaterThan(QUEUE_COUNT_CAP);
    expect(page).toMatchObject({ total: QUEUE_COUNT_CAP, totalCapped: true });
    const staff = await h.signInStaff("admin");
    const r = await h.app.inject({
      method: "GET",
      url: "/api/v1/applications?limit=5",
      headers: staff.headers,
    });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ total: QUEUE_COUNT_CAP, totalCapped: true });
    const few = await h.app.inject({
      method: "GET",
      url: "/api/v1/applications?status=needs_info&branch=B1&limit=5",
      headers: staff.headers,
    });
    expect(few.json()).toMatchObject({
      total: expected({ status: ["needs_info"], branch: "B1" }, "due_at", "asc").length,
      totalCapped: false,
    });
  });
});
