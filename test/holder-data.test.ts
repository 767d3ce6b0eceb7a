import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SYSTEM_ACTOR } from "../src/app/context.js";
import type { AppError } from "../src/app/errors.js";
import { eraseHolder, exportHolder, purgeOldDocuments } from "../src/app/holder-data.js";
import { verifyAuditChain } from "../src/db/audit-repository.js";
import { TRANSIT_ONLINE } from "./support/demo.js";
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
