import { spawnSync } from "node:child_process";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { addStaff } from "../src/app/add-staff.js";
import { SYSTEM_ACTOR } from "../src/app/context.js";
import { verifyAuditChain } from "../src/db/audit-repository.js";
import { databaseEnvFor } from "./support/database.js";
import { Harness } from "./support/harness.js";

describe("audit trail hash chain", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await Harness.start({ seed: false });
    for (const name of ["ann", "bob", "cat", "dan", "eve"]) {
      await addStaff(h.rt.deps, SYSTEM_ACTOR, {
        username: name,
        displayName: name,
        role: "agent",
        password: "long-enough-password",
      });
    }
  });
  afterEach(() => h.close());

  it("verifies an untouched chain", async () => {
    const v = await verifyAuditChain(h.db);
    expect(v).toMatchObject({ ok: true, events: 5 });
  });

  it("names the event whose content was altered", async () => {
    await h.db
      .updateTable("auditEvents")
      .set({ afterJson: '{"username":"mallory","role":"admin"}' })
      .where("seq", "=", 3)
      .execute();
    const v = await verifyAuditChain(h.db);
    expect(v).toMatchObject({ ok: false, seq: 3, problem: "altered" });
  });

  it("catches an altered event even when its own hash was recomputed", async () => {
    const { auditHash } = await import("../src/db/audit-repository.js");
    const row = await h.db
      .selectFrom("auditEvents")
      .selectAll()
      .where("seq", "=", 2)
      .executeTakeFirstOrThrow();
    const forged = { ...row, actorId: "someone-else" };
    await h.db
      .updateTable("auditEvents")
      .set({ actorId: forged.actorId, hash: auditHash(row.prevHash, forged) })
      .where("seq", "=", 2)
      .execute();
    const v = await verifyAuditChain(h.db);
    // The next event still links to the original hash.
    expect(v).toMatchObject({ ok: false, seq: 3, problem: "inserted_or_reordered" });
  });

  it("names the gap where an event was removed", async () => {
    await h.db.deleteFrom("auditEvents").where("seq", "=", 4).execute();
    const v = await verifyAuditChain(h.db);
    expect(v).toMatchObject({ ok: false, seq: 4, problem: "removed" });
  });

  it("detects a removed tail through the chain head", async () => {
    await h.db.deleteFrom("auditEvents").where("seq", "=", 5).execute();
    const v = await verifyAuditChain(h.db);
    expect(v).toMatchObject({ ok: false, seq: 5, problem: "head_mismatch" });
  });

  it("finds an event added past the head without moving it", async () => {
    const last = await h.db
      .selectFrom("auditEvents")
      .selectAll()
      .where("seq", "=", 5)
      .executeTakeFirstOrThrow();
    const { auditHash } = await import("../src/db/audit-repository.js");
    const forged = { ...last, id: "evt_forged", seq: 6, prevHash: last.hash, actorId: "mallory" };
    await h.db
      .insertInto("auditEvents")
      .values({ ...forged, hash: auditHash(forged.prevHash, forged) })
      .execute();
    const v = await verifyAuditChain(h.db);
    expect(v).toMatchObject({ ok: false, seq: 6, problem: "head_mismatch" });
  });

  it("verifies while other writers keep appending (no snapshot, no lock)", async () => {
    const { appendAudit } = await import("../src/db/audit-repository.js");
    const { inTransaction } = await import("../src/db/connect.js");
    const APPENDS = 150;
    let appended = 0;
    // Four writers appending at once, one event per transaction.
    const writers = Array.from({ length: 4 }, async () => {
      while (appended < APPENDS) {
        appended++;
        await inTransaction(h.db, (tx) =>
          appendAudit(tx, {
            id: h.rt.deps.ids.id("evt"),
            entityType: "test",
            entityId: "t",
            applicationId: null,
            action: "test.append",
            actorType: "system",
            actorId: "test",
            at: h.clock.now().toISOString(),
          }),
        );
      }
    });
    let writing = true;
    const done = Promise.all(writers).finally(() => {
      writing = false;
    });
    const verdicts = [];
    // Small pages: many reads, with commits landing between them (and between the last page and
    // the head) on PostgreSQL, where every read is a round trip.
    while (writing) {
      verdicts.push(await verifyAuditChain(h.db, 3));
      await new Promise((resolve) => setImmediate(resolve));
    }
    await done;
    expect(verdicts.length).toBeGreaterThan(3);
    expect(verdicts.filter((v) => !v.ok)).toEqual([]);
    expect(await verifyAuditChain(h.db)).toMatchObject({ ok: true, events: 5 + APPENDS });
  });

  it("detects an inserted event", async () => {
    // Shift the tail up by one and slip a forged event into the hole.
    for (const seq of [5, 4, 3])
      await h.db
        .updateTable("auditEvents")
        .set({ seq: seq + 1 })
        .where("seq", "=", seq)
        .execute();
    const two = await h.db
      .selectFrom("auditEvents")
      .selectAll()
      .where("seq", "=", 2)
      .executeTakeFirstOrThrow();
    await h.db
      .insertInto("auditEvents")
      .values({
        ...two,
        seq: 3,
        id: "evt_forged",
        action: "staff.add",
        hash: "f".repeat(64),
        prevHash: two.hash,
      })
      .execute();
    const v = await verifyAuditChain(h.db);
    expect(v).toMatchObject({ ok: false, seq: 3, eventId: "evt_forged" });
  });

  it("`zhuxiao audit verify` exits 0 on a sound chain and 2 naming the altered event", async () => {
    const cli = (args: string[]) =>
      spawnSync(process.execPath, ["--import", "tsx", "src/cli/main.ts", ...args], {
        env: { ...process.env, ZHUXIAO_DATA_DIR: h.dir, LOG_LEVEL: "silent", ...databaseEnvFor(h.dir) },
        encoding: "utf8",
      });
    const ok = cli(["audit", "verify"]);
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stdout).toContain("intact: 5 events");
    await h.db.updateTable("auditEvents").set({ reason: "tampered" }).where("seq", "=", 2).execute();
    const bad = cli(["audit", "verify"]);
    expect(bad.status).toBe(2);
    expect(bad.stdout).toMatch(/BROKEN at seq 2 .*altered/);
  });
});
