/**
 * `POST /api/v1/applications/{id}/sim-backup`: the counter attaches the SIM backup to a draft and
 * its backup step is done — in one transaction, exactly once, typed by content.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeSmsBackupXml } from "../../src/card/sms-backup-xml.js";
import { writeVCards } from "../../src/card/vcard-write.js";
import { D } from "../support/demo.js";
import { Harness, newKey, type Session, TINY_PNG } from "../support/harness.js";
import { expectedMessage, fixtureContacts, SMS_SPECS } from "./virtual/sim-fixtures.js";

const vcf = writeVCards(fixtureContacts(30), "3.0");
const xml = writeSmsBackupXml(SMS_SPECS.map(expectedMessage), {
  backupSet: "set-1",
  backupDate: 1_716_000_000_000,
});

describe("attaching a SIM backup to an application", () => {
  let h: Harness;
  let agent: Session;
  beforeAll(async () => {
    h = await Harness.start();
    agent = await h.signInStaff("agent");
  });
  afterAll(() => h.close());

  async function draft(cardId: string, session = agent): Promise<string> {
    const r = await h.write(session, "POST", "/api/v1/applications", { cardId });
    expect(r.statusCode, r.body).toBe(201);
    return r.json().application.id;
  }

  const url = (id: string) => `/api/v1/applications/${id}/sim-backup`;

  it("stores both files sealed, marks the backup done with a note naming them, and audits it", async () => {
    const id = await draft(D.cleanSim.card);
    const key = newKey("sim");
    const files = [
      { name: "contacts.vcf", content: vcf },
      { name: "sms.xml", content: xml },
    ];
    const r = await h.write(agent, "POST", url(id), { files }, key);
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json().backupNote).toBe("SIM backup: contacts.vcf (30 contacts), sms.xml (24 messages)");
    expect(r.json().documents.map((d: { kind: string }) => d.kind)).toEqual([
      "sim_backup_contacts",
      "sim_backup_sms",
    ]);

    const app = await h.inject({ method: "GET", url: `/api/v1/applications/${id}`, headers: agent.headers });
    expect(app.json().application).toMatchObject({ backup: { status: "done" } });
    const docId = r.json().documents[0].id;
    const back = await h.inject({
      method: "GET",
      url: `/api/v1/applications/${id}/documents/${docId}`,
      headers: agent.headers,
    });
    expect(back.headers["content-type"]).toMatch(/^text\/vcard/);
    expect(back.body).toBe(vcf);
    const stored = await h.db
      .selectFrom("documents")
      .select("dataSealed")
      .where("id", "=", docId)
      .executeTakeFirstOrThrow();
    expect(Buffer.from(stored.dataSealed).includes(Buffer.from("BEGIN:VCARD"))).toBe(false);
    const audit = await h.db
      .selectFrom("auditEvents")
      .select("action")
      .where("applicationId", "=", id)
      .orderBy("at")
      .execute();
    expect(audit.map((a) => a.action).filter((a) => a !== "application.create")).toEqual([
      "document.upload",
      "document.upload",
      "application.update_draft",
    ]);

    // Replayed with the same key: the stored answer, nothing added.
    const again = await h.write(agent, "POST", url(id), { files }, key);
    expect(again.headers["idempotent-replayed"]).toBe("true");
    const count = await h.db.selectFrom("documents").select("id").where("applicationId", "=", id).execute();
    expect(count).toHaveLength(2);
  });

  it("decides the type by content: a PNG named .vcf is refused and nothing changes", async () => {
    const id = await draft(D.arrears.card);
    const r = await h.write(agent, "POST", url(id), {
      files: [{ name: "contacts.vcf", content: TINY_PNG.toString("latin1") }],
    });
    expect(r.statusCode).toBe(400);
    expect(r.json()).toMatchObject({ code: "VALIDATION_FAILED", params: { name: "contacts.vcf" } });
    const app = await h.db
      .selectFrom("applications")
      .select("backupStatus")
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    expect(app.backupStatus).toBe("pending");
  });

  it("accepts a backup only for a SIM card's draft", async () => {
    const debit = await draft(D.cleanDebit.card);
    const r = await h.write(agent, "POST", url(debit), { files: [{ name: "contacts.vcf", content: vcf }] });
    expect(r.statusCode).toBe(400);
    const holder = await h.signInHolder(D.cleanSim.phone);
    const e = await h.inject({
      method: "GET",
      url: "/api/v1/cards/card_demo_esim_clean/eligibility",
      headers: holder.headers,
    });
    const unbinding = (e.json().bindings as Array<{ id: string }>).map((b) => ({
      bindingId: b.id,
      state: "unbound",
    }));
    const submitted = await h.submitted(holder, "card_demo_esim_clean", {
      backup: { status: "waived", note: "eSIM: contacts are in the phone" },
      unbinding,
      balanceOption: "refund",
    });
    const late = await h.write(agent, "POST", url(submitted.id), {
      files: [{ name: "sms.xml", content: xml }],
    });
    expect(late.statusCode).toBe(409);
    expect(late.json().code).toBe("TRANSITION_NOT_ALLOWED");
  });

  it("lets a holder attach a phone-side backup to their own draft, and hides other holders' drafts", async () => {
    const holder = await h.signInHolder(D.arrears.phone);
    const own = await h.inject({ method: "GET", url: "/api/v1/applications", headers: holder.headers });
    const id = (own.json().items as Array<{ id: string; cardId: string }>).find(
      (a) => a.cardId === D.arrears.card,
    )?.id;
    expect(id).toBeDefined();
    const r = await h.write(holder, "POST", url(id as string), {
      files: [{ name: "sms.xml", content: xml }],
    });
    expect(r.statusCode, r.body).toBe(201);
    const other = await draft(D.creditPrimary.card);
    const denied = await h.write(holder, "POST", url(other), { files: [{ name: "sms.xml", content: xml }] });
    expect(denied.statusCode).toBe(404);
  });
});
