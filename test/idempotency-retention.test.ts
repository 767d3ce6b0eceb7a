import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { purgeIdempotencyRecords } from "../src/app/scheduled/purge-idempotency.js";
import { D } from "./support/demo.js";
import { Harness, type Session } from "./support/harness.js";

const DAY = 86_400_000;

describe("idempotency records are kept for the retention period, then deleted", () => {
  let h: Harness;
  let holder: Session;
  beforeEach(async () => {
    h = await Harness.start();
    holder = await h.signInHolder(D.cleanDebit.phone);
  });
  afterEach(() => h.close());

  const records = () => h.db.selectFrom("idempotencyRecords").select(["key", "createdAt"]).execute();

  it("replays within the period, deletes after it, and a reused key still makes no second application", async () => {
    const body = { cardId: D.cleanDebit.card };
    const first = await h.write(holder, "POST", "/api/v1/applications", body, "retained-key-1");
    expect(first.statusCode, first.body).toBe(201);
    const replay = await h.write(holder, "POST", "/api/v1/applications", body, "retained-key-1");
    expect(replay.statusCode).toBe(201);
    expect(replay.body).toBe(first.body);
    // A second record, two days younger (sessions last hours: sign in again).
    h.clock.advance(2 * DAY);
    const later = await h.signInHolder(D.cleanDebit.phone);
    const other = await h.write(later, "PATCH", "/api/v1/me", { language: "en" }, "retained-key-2");
    expect(other.statusCode, other.body).toBe(200);

    h.clock.advance(27 * DAY); // the first is 29 days old
    expect(await purgeIdempotencyRecords(h.rt.deps)).toBe(0);
    h.clock.advance(2 * DAY); // 31 and 29 days old
    expect(await purgeIdempotencyRecords(h.rt.deps)).toBeGreaterThanOrEqual(1);
    const keys = (await records()).map((r) => r.key);
    expect(keys).toContain("retained-key-2");
    expect(keys).not.toContain("retained-key-1");

    // The key is forgotten: the request runs again, and finds the card's open application.
    const now = await h.signInHolder(D.cleanDebit.phone);
    const again = await h.write(now, "POST", "/api/v1/applications", body, "retained-key-1");
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toMatchObject({
      created: false,
      application: { id: (first.json() as { application: { id: string } }).application.id },
    });
    const apps = await h.db
      .selectFrom("applications")
      .select("id")
      .where("cardId", "=", D.cleanDebit.card)
      .execute();
    expect(apps).toHaveLength(1);
  });

  it("deletes a large backlog in batches", async () => {
    const old = new Date(h.clock.now().getTime() - 40 * DAY).toISOString();
    const rows = Array.from({ length: 1_203 }, (_, i) => ({
      scope: "test",
      key: `backlog-${i}`,
      requestHash: "x",
      responseStatus: 200,
      responseBody: "{}",
      createdAt: old,
    }));
    for (let i = 0; i < rows.length; i += 200)
      await h.db
        .insertInto("idempotencyRecords")
        .values(rows.slice(i, i + 200))
        .execute();
    // A provider event's id, as old: kept, so a redelivery months later is still not applied again.
    await h.db
      .insertInto("idempotencyRecords")
      .values({ ...rows[0]!, scope: "webhook:prv_demo_bank", key: "evt-old" })
      .execute();
    const kept = (await records()).length - rows.length;
    expect(await purgeIdempotencyRecords(h.rt.deps)).toBe(rows.length);
    expect(await records()).toHaveLength(kept);
    expect((await records()).map((r) => r.key)).toContain("evt-old");
  });
});
