import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SYSTEM_ACTOR } from "../src/app/context.js";
import type { AppError } from "../src/app/errors.js";
import { eraseHolder, exportHolder, purgeOldDocuments } from "../src/app/holder-data.js";
import { verifyAuditChain } from "../src/db/audit-repository.js";
import { D, TRANSIT_ONLINE } from "./support/demo.js";
import { Harness, type Session } from "./support/harness.js";

describe("personal data: export, erasure, retention", () => {
  let h: Harness;
  let holder: Session;
  let appId: string;
  beforeEach(async () => {
    h = await Harness.start();
    holder = await h.signInHolder(TRANSIT_ONLINE.phone);
    const app = await h.submitted(holder, TRANSIT_ONLINE.card, {
      backup: { status: "done" },
      balanceOption: "refund",
    });
    appId = app.id;
  });
  afterEach(() => h.close());

  it("exports everything held about the holder, decrypted", async () => {
    const data = await exportHolder(h.rt.deps, SYSTEM_ACTOR, { holder: TRANSIT_ONLINE.phone });
    expect(data.holder).toMatchObject({
      name: "王小明",
      idNumber: "330106201206010310",
      phone: TRANSIT_ONLINE.phone,
    });
    expect(data.cards.map((c) => c.id)).toContain(TRANSIT_ONLINE.card);
    const app = data.applications.find((a) => a.id === appId)!;
    expect(app.documents).toHaveLength(1);
    expect(app.timeline.map((e) => e.action)).toContain("application.submit");
  });

  it("refuses to erase while an application is open, then erases personal data and keeps the records", async () => {
    await expect(
      eraseHolder(h.rt.deps, SYSTEM_ACTOR, { holder: TRANSIT_ONLINE.phone }),
    ).rejects.toMatchObject({ code: "HOLDER_HAS_OPEN_APPLICATIONS" } satisfies Partial<AppError>);
    await h.write(holder, "POST", `/api/v1/applications/${appId}/withdraw`);
    const r = await eraseHolder(h.rt.deps, SYSTEM_ACTOR, { holder: TRANSIT_ONLINE.phone });
    expect(r.documentsDeleted).toBe(1);
    const row = await h.db
      .selectFrom("holders")
      .selectAll()
      .where("id", "=", r.holderId)
      .executeTakeFirstOrThrow();
    expect(h.rt.deps.vault.decrypt(row.nameEnc)).toBe("");
    expect(h.rt.deps.vault.decrypt(row.idNumberEnc)).toBe("");
    expect(row.phone).not.toBe(TRANSIT_ONLINE.phone);
    // The application and its history remain, and the audit chain still verifies.
    expect(await h.db.selectFrom("applications").select("id").where("id", "=", appId).execute()).toHaveLength(
      1,
    );
    expect(await verifyAuditChain(h.db)).toMatchObject({ ok: true });
    // The old session and the old phone no longer work.
    expect(
      (await h.inject({ method: "GET", url: "/api/v1/me/cards", headers: holder.headers })).statusCode,
    ).toBe(401);
  });

  it("cancels the outbox's unsent messages to the holder and keeps no address or text in any", async () => {
    // Another holder's sign-in code, not yet sent: it stays as it is.
    const otp = await h.inject({
      method: "POST",
      url: "/api/v1/auth/otp",
      payload: { phone: D.cleanDebit.phone },
    });
    expect(otp.statusCode).toBe(202);
    await h.write(holder, "POST", `/api/v1/applications/${appId}/withdraw`);
    const jobs = () => h.db.selectFrom("jobs").selectAll().where("task", "like", "notify.%").execute();
    const mine = (await jobs()).filter((j) => j.payloadJson.includes(TRANSIT_ONLINE.phone));
    const waiting = mine.filter((j) => j.status === "pending");
    expect(waiting.length).toBeGreaterThanOrEqual(2); // submitted, withdrawn
    expect(mine.some((j) => j.status === "done")).toBe(true); // the sign-in code, sent
    // One message is being sent at this moment (claimed by a worker): it is not cancelled.
    const inFlight = waiting[0]!;
    await h.db.updateTable("jobs").set({ status: "running" }).where("id", "=", inFlight.id).execute();
    const others = (await jobs()).filter((j) => !mine.some((m) => m.id === j.id));
    expect(others.some((j) => j.payloadJson.includes(D.cleanDebit.phone))).toBe(true);

    const sentToHolder = async () =>
      (await h.outbox()).filter((m) => m.to === TRANSIT_ONLINE.phone || m.to.startsWith("erased:")).length;
    const r = await eraseHolder(h.rt.deps, SYSTEM_ACTOR, { holder: TRANSIT_ONLINE.phone });
    expect(r.messagesCancelled).toBe(waiting.length - 1);

    const after = await jobs();
    expect(after.filter((j) => j.payloadJson.includes(TRANSIT_ONLINE.phone))).toEqual([]);
    for (const j of mine) {
      const row = after.find((a) => a.id === j.id)!;
      const payload = JSON.parse(row.payloadJson) as { to: string; text: string };
      expect(payload).toMatchObject({ to: `erased:${r.holderId}`, text: "" });
      expect(row.status).toBe(
        j.status === "pending" && j.id !== inFlight.id
          ? "cancelled"
          : j.id === inFlight.id
            ? "running"
            : j.status,
      );
    }
    // Everyone else's messages are untouched.
    expect(after.filter((j) => others.some((o) => o.id === j.id))).toEqual(others);
    expect(
      await h.db.selectFrom("otpChallenges").select("id").where("phone", "=", TRANSIT_ONLINE.phone).execute(),
    ).toEqual([]);

    // The message in flight comes back for another try (a failure, quiet hours): it is dropped.
    await h.db
      .updateTable("jobs")
      .set({ status: "pending", runAt: h.clock.now().toISOString() })
      .where("id", "=", inFlight.id)
      .execute();
    // Only the sign-in code went out to the holder; nothing after the erasure.
    expect(await sentToHolder()).toBe(mine.filter((j) => j.status === "done").length);
    const ended = await h.db
      .selectFrom("jobs")
      .select("status")
      .where("id", "=", inFlight.id)
      .executeTakeFirstOrThrow();
    expect(ended.status).toBe("done");
    // Erasing again changes nothing more.
    const again = await eraseHolder(h.rt.deps, SYSTEM_ACTOR, { holder: r.holderId });
    expect(again.messagesCancelled).toBe(0);
  });

  it("deletes documents the configured days after the application ended", async () => {
    await h.write(holder, "POST", `/api/v1/applications/${appId}/withdraw`);
    h.clock.advance(29 * 86_400_000);
    expect(await purgeOldDocuments(h.rt.deps)).toBe(0);
    h.clock.advance(2 * 86_400_000);
    expect(await purgeOldDocuments(h.rt.deps)).toBe(1);
    expect(
      await h.db.selectFrom("documents").select("id").where("applicationId", "=", appId).execute(),
    ).toEqual([]);
  });
});
