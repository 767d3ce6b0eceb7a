/**
 * Status reads remembered until the database changes (src/app/read-cache.ts), through the
 * server on its SQLite file: never stale after a write through the API, a write by another
 * process on the same file, a sign-out, or the SLA state turning with the clock alone.
 */
import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { readCache } from "../src/app/read-cache.js";
import { D } from "./support/demo.js";
import { Harness, type Session } from "./support/harness.js";

const WAIVED = { backup: { status: "waived", note: "no records needed" } };

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function read(h: Harness, s: Session, id: string) {
  const r = await h.inject({ method: "GET", url: `/api/v1/applications/${id}`, headers: s.headers });
  return { status: r.statusCode, type: r.headers["content-type"], body: r.body, json: () => r.json() };
}

describe("status reads remembered until the database changes", () => {
  it("answers a repeated read from memory, and a write through the API at once", async () => {
    h = await Harness.start();
    const holder = await h.signInHolder(D.cleanDebit.phone);
    const app = await h.submitted(holder, D.cleanDebit.card, WAIVED);
    const agent = await h.signInStaff("agent");
    const cache = readCache(h.rt.deps);

    const first = await read(h, agent, app.id);
    expect(first.status).toBe(200);
    expect(first.type).toBe("application/json; charset=utf-8");
    // Kept from the second read on (a read never repeated is not kept).
    const hits = cache.hits;
    const second = await read(h, agent, app.id);
    expect(second.body).toBe(first.body);
    expect(cache.hits).toBe(hits);
    const third = await read(h, agent, app.id);
    expect(third.body).toBe(first.body);
    // The session and the answer both came from memory.
    expect(cache.hits).toBe(hits + 2);

    const review = await h.write(agent, "POST", `/api/v1/applications/${app.id}/start_review`);
    expect(review.statusCode, review.body).toBe(200);
    const after = (await read(h, agent, app.id)).json();
    expect(after.application.status).toBe("under_review");
    expect(after.timeline.map((e: { action: string }) => e.action)).toContain("application.start_review");
  });

  it("sees a write made by another process on the same database file", async () => {
    h = await Harness.start();
    const holder = await h.signInHolder(D.cleanDebit.phone);
    const app = await h.submitted(holder, D.cleanDebit.card, WAIVED);
    const agent = await h.signInStaff("agent");
    await read(h, agent, app.id);
    await read(h, agent, app.id);

    const other = new BetterSqlite3(join(h.dir, "zhuxiao.db"));
    try {
      other.pragma("busy_timeout = 5000");
      other.prepare("update applications set info_request = 'set elsewhere' where id = ?").run(app.id);
    } finally {
      other.close();
    }
    // Another process's commit is seen from the next turn of the event loop on (src/db/wal-probe.ts).
    await new Promise((resolve) => setImmediate(resolve));
    expect((await read(h, agent, app.id)).json().application.infoRequest).toBe("set elsewhere");
  });

  it("refuses a token at once after sign-out, and keeps each reader's answer to that reader", async () => {
    h = await Harness.start();
    const holder = await h.signInHolder(D.cleanDebit.phone);
    const app = await h.submitted(holder, D.cleanDebit.card, WAIVED);
    const agent = await h.signInStaff("agent");
    const staffView = await read(h, agent, app.id);
    const holderView = await read(h, holder, app.id);
    expect(holderView.status).toBe(200);
    // Staff and holder see different things of the same application (e.g. the holder's ID number).
    expect(holderView.body).not.toBe(staffView.body);
    expect((await read(h, agent, app.id)).body).toBe(staffView.body);
    expect((await read(h, holder, app.id)).body).toBe(holderView.body);
    // Another holder never gets the answer remembered for these two.
    const stranger = await h.signInHolder(D.arrears.phone);
    expect((await read(h, stranger, app.id)).status).toBe(404);

    const out = await h.inject({ method: "POST", url: "/api/v1/auth/logout", headers: agent.headers });
    expect(out.statusCode).toBeLessThan(300);
    expect((await read(h, agent, app.id)).status).toBe(401);
  });

  it("turns the SLA state when the clock passes its instant, with no write in between", async () => {
    // Sessions that outlast the SLA, so that nothing is written between the reads.
    h = await Harness.start({ env: { ZHUXIAO_SESSION_HOURS: String(24 * 30) } });
    const holder = await h.signInHolder(D.cleanDebit.phone);
    const app = await h.submitted(holder, D.cleanDebit.card, WAIVED);
    const agent = await h.signInStaff("agent");
    const cache = readCache(h.rt.deps);
    const before = (await read(h, agent, app.id)).json().application;
    expect(before.sla).toBe("on_track");
    expect((await read(h, agent, app.id)).json().application.sla).toBe("on_track");
    const due = Date.parse(before.dueAt);
    const atRisk = due - 0.2 * (due - Date.parse(before.submittedAt));
    const hits = cache.hits;
    const misses = cache.misses;
    // Just before the last fifth of the time, still on track (from memory); just inside, at risk.
    h.clock.t = new Date(atRisk - 1_000);
    expect((await read(h, agent, app.id)).json().application.sla).toBe("on_track");
    h.clock.t = new Date(atRisk + 1_000);
    expect((await read(h, agent, app.id)).json().application.sla).toBe("at_risk");
    h.clock.t = new Date(due + 1_000);
    expect((await read(h, agent, app.id)).json().application.sla).toBe("breached");
    // Nothing was written: the session came from memory every time, the answer once.
    expect(cache.hits - hits).toBe(3 + 1);
    expect(cache.misses - misses).toBe(2);
  });

  it("reads the database every time with ZHUXIAO_READ_CACHE_MB=0", async () => {
    h = await Harness.start({ env: { ZHUXIAO_READ_CACHE_MB: "0" } });
    const holder = await h.signInHolder(D.cleanDebit.phone);
    const app = await h.submitted(holder, D.cleanDebit.card, WAIVED);
    await read(h, holder, app.id);
    await read(h, holder, app.id);
    expect(readCache(h.rt.deps).hits).toBe(0);
  });
});
