/**
 * "Booking 2× capacity concurrently for one slot books exactly the capacity": many simultaneous
 * HTTP requests against a listening server, then against two server processes sharing one
 * database — the guarded `booked = booked + 1 WHERE booked < capacity` is what holds, not an if.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_HOLDERS } from "../../src/demo/demo-data.js";
import { Harness, newKey, type Session } from "../support/harness.js";
import { type ServerProcess, startServer } from "../support/server-process.js";
import { bookableSlot, slotRow } from "./helpers.js";

const BRANCH = "brn_mobile_lujiazui";
const CAPACITY = 3;

async function race(base: string, tokens: string[], body: object) {
  return Promise.all(
    tokens.map((token, i) =>
      fetch(`${base}/api/v1/appointments`, {
        method: "POST",
        body: JSON.stringify(body),
        headers: {
          "content-type": "application/json",
          authorization: `Bearer ${token}`,
          "idempotency-key": newKey(`race${i}`),
        },
      }).then(async (r) => ({ status: r.status, body: (await r.json()) as { code?: string } })),
    ),
  );
}

describe("concurrent bookings of one slot, one server", () => {
  let h: Harness;
  let base: string;
  let holders: Session[];
  beforeAll(async () => {
    h = await Harness.start();
    await h.db.updateTable("branches").set({ slotCapacity: CAPACITY }).where("id", "=", BRANCH).execute();
    holders = [];
    for (const d of DEMO_HOLDERS.slice(0, 2 * CAPACITY)) holders.push(await h.signInHolder(d.phone));
    base = await h.listen();
  });
  afterAll(() => h.close());

  it("books exactly the capacity when twice as many holders book at once", async () => {
    const slot = await bookableSlot(h, holders[0]!, BRANCH, "2026-11-25", "09:00");
    const results = await race(
      base,
      holders.map((s) => s.token),
      { branchId: BRANCH, start: slot.start },
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(CAPACITY);
    const refused = results.filter((r) => r.status !== 201);
    expect(refused).toHaveLength(CAPACITY);
    for (const r of refused) expect(r).toMatchObject({ status: 409, body: { code: "SLOT_FULL" } });
    expect(await slotRow(h, BRANCH, slot.start)).toMatchObject({ capacity: CAPACITY, booked: CAPACITY });
    const booked = await h.db
      .selectFrom("appointments")
      .select("holderId")
      .where("branchId", "=", BRANCH)
      .where("slotStart", "=", slot.start)
      .where("status", "=", "booked")
      .execute();
    expect(new Set(booked.map((b) => b.holderId)).size).toBe(CAPACITY);
  });

  it("holds over many rounds on fresh slots", async () => {
    for (const time of ["10:00", "10:30", "11:00"]) {
      const slot = await bookableSlot(h, holders[0]!, BRANCH, "2026-11-26", time);
      // Each holder may hold three upcoming bookings: cancel nothing, use a new day's slots.
      const results = await race(
        base,
        holders.map((s) => s.token),
        { branchId: BRANCH, start: slot.start },
      );
      const ok = results.filter((r) => r.status === 201).length;
      const full = results.filter((r) => r.body.code === "SLOT_FULL").length;
      const limit = results.filter((r) => r.body.code === "APPOINTMENT_LIMIT_REACHED").length;
      expect(ok + full + limit).toBe(2 * CAPACITY);
      expect(ok).toBeLessThanOrEqual(CAPACITY);
      expect((await slotRow(h, BRANCH, slot.start))?.booked ?? 0).toBe(ok);
    }
  });
});

/** The newest sign-in code sent to `phone`, from a server process's outbox file (once written). */
async function codeFor(dataDir: string, phone: string): Promise<string> {
  for (let i = 0; i < 100; i++) {
    try {
      return codeIn(readFileSync(join(dataDir, "outbox", "messages.jsonl"), "utf8"), phone);
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`no code for ${phone}`);
}

function codeIn(outbox: string, phone: string): string {
  const lines = outbox.split("\n").filter(Boolean);
  const msgs = lines.map((l) => JSON.parse(l) as { to: string; template: string; text: string });
  const m = msgs
    .filter((x) => x.to === phone && x.template.startsWith("otp_"))
    .at(-1)
    ?.text.match(/(?:验证码为|is) (\d{6})/);
  if (!m) throw new Error(`no code for ${phone}`);
  return m[1]!;
}

async function signIn(base: string, dataDir: string, phone: string): Promise<string> {
  const post = (path: string, body: object) =>
    fetch(`${base}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
  const r1 = await post("/api/v1/auth/otp", { phone });
  if (r1.status !== 202) throw new Error(`otp: ${r1.status} ${await r1.text()}`);
  const r2 = await post("/api/v1/auth/otp/verify", { phone, code: await codeFor(dataDir, phone) });
  if (r2.status !== 200) throw new Error(`verify: ${r2.status} ${await r2.text()}`);
  return ((await r2.json()) as { token: string }).token;
}

describe("concurrent bookings of one slot, two server processes on one database", () => {
  let dir: string;
  let a: ServerProcess;
  let b: ServerProcess;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "zhuxiao-branches-"));
    // The first process delivers the sign-in codes (its worker writes the outbox).
    a = await startServer(dir);
    b = await startServer(dir, { ZHUXIAO_WORKER: "false" });
  }, 90_000);
  afterAll(async () => {
    await a?.kill();
    await b?.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  it("books exactly the capacity with requests split across both processes", async () => {
    const tokens: string[] = [];
    for (const d of DEMO_HOLDERS.slice(0, 6)) tokens.push(await signIn(a.base, dir, d.phone));
    // The real clock: find a bookable slot a few days on at the busiest demo store (capacity 3).
    const slotsRes = await fetch(`${a.base}/api/v1/branches/brn_mobile_xujiahui/slots?days=7`, {
      headers: { authorization: `Bearer ${tokens[0]}` },
    });
    const days = (
      (await slotsRes.json()) as {
        days: Array<{ slots: Array<{ start: string; bookable: boolean; available: number }> }>;
      }
    ).days;
    const slot = days
      .slice(2)
      .flatMap((d) => d.slots)
      .find((s) => s.bookable && s.available === 3);
    expect(slot).toBeDefined();
    const body = JSON.stringify({ branchId: "brn_mobile_xujiahui", start: slot!.start });
    const results = await Promise.all(
      tokens.map((token, i) =>
        fetch(`${(i % 2 === 0 ? a : b).base}/api/v1/appointments`, {
          method: "POST",
          body,
          headers: {
            "content-type": "application/json",
            authorization: `Bearer ${token}`,
            "idempotency-key": newKey(`proc${i}`),
          },
        }).then(async (r) => ({ status: r.status, body: (await r.json()) as { code?: string } })),
      ),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(3);
    expect(results.filter((r) => r.status === 409 && r.body.code === "SLOT_FULL")).toHaveLength(3);
  }, 60_000);
});
