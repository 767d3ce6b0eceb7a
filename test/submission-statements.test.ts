/**
 * What a create-and-submit asks of the database. Each statement is a round trip on PostgreSQL
 * (about 0.1 ms of CPU on each side): the card, its holder and its provider are read once and
 * handed on to the receipt and the notification (src/app/parties.ts), and the application after
 * its guarded update comes back from the update itself.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { D } from "./support/demo.js";
import { Harness, type Session } from "./support/harness.js";

describe("a create-and-submit's statements", () => {
  let h: Harness;
  let agent: Session;
  let recording = false;
  const seen: string[] = [];
  beforeAll(async () => {
    h = await Harness.start({ onQuery: (sql) => recording && seen.push(sql) });
    agent = await h.signInStaff("agent");
  });
  afterAll(() => h.close());

  const count = (pattern: RegExp) => seen.filter((s) => pattern.test(s)).length;

  it("reads the card, the holder and the provider once each, and the application once", async () => {
    recording = true;
    const r = await h.write(agent, "POST", "/api/v1/applications", {
      cardId: D.cleanDebit.card,
      submit: true,
      backup: { status: "waived", note: "no records needed" },
    });
    recording = false;
    expect(r.statusCode).toBe(201);
    const app = (r.json() as { application: { id: string; status: string; submittedAt: string } })
      .application;
    expect(app.status).toBe("submitted");

    expect(count(/^select \* from "cards" where "id" = (\?|\$1)$/)).toBe(1);
    expect(count(/^select \* from "holders" where "id" = (\?|\$1)$/)).toBe(1);
    expect(count(/^select \* from "providers" where "id" = (\?|\$1)$/)).toBe(1);
    expect(count(/^select \* from "applications" where "id" = (\?|\$1)$/)).toBe(1);
    expect(count(/^update "applications" .* returning \*$/)).toBe(1);
    expect(count(/^update "cards" .* returning \*$/)).toBe(1);

    // What the update handed back is the row after it: the receipt carries the submission time.
    const receipt = await h.db
      .selectFrom("receipts")
      .select("jws")
      .where("applicationId", "=", app.id)
      .executeTakeFirstOrThrow();
    const payload = JSON.parse(Buffer.from(receipt.jws.split(".")[1]!, "base64url").toString("utf8")) as {
      application: { submittedAt: string | null };
    };
    expect(payload.application.submittedAt).toBe(app.submittedAt);
    expect(app.submittedAt).toBeTruthy();
  });
});
