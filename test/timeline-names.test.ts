/**
 * Names, not ids, where a person reads an application: who acted in its timeline (staff readers
 * see the staff member's name beside the id, holders only that staff acted), and its provider.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { D } from "./support/demo.js";
import { Harness } from "./support/harness.js";

interface Event {
  action: string;
  actorType: string;
  actorId: string | null;
  actorName: string | null;
}

describe("the timeline's actors", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start();
  });
  afterAll(() => h.close());

  it("name the staff member for staff, and nobody for the holder", async () => {
    const agent = await h.signInStaff("agent");
    const created = await h.write(agent, "POST", "/api/v1/applications", {
      cardId: D.cleanDebit.card,
      submit: true,
      backup: { status: "waived", note: "no records needed" },
    });
    expect(created.statusCode).toBe(201);
    const id = (created.json() as { application: { id: string } }).application.id;
    const staff = await h.db
      .selectFrom("staff")
      .select(["id", "displayName"])
      .where("username", "=", "agent")
      .executeTakeFirstOrThrow();

    const read = async (headers: Record<string, string>) => {
      const r = await h.inject({ method: "GET", url: `/api/v1/applications/${id}`, headers });
      expect(r.statusCode).toBe(200);
      return (r.json() as { timeline: Event[] }).timeline;
    };
    const byStaff = (await read(agent.headers)).filter((e) => e.actorType === "staff");
    expect(byStaff.map((e) => e.action)).toEqual(["application.create", "application.submit"]);
    for (const e of byStaff) expect(e).toMatchObject({ actorId: staff.id, actorName: staff.displayName });

    const holder = await h.signInHolder(D.cleanDebit.phone);
    const seen = await read(holder.headers);
    expect(seen.length).toBeGreaterThan(0);
    for (const e of seen) expect(e).toMatchObject({ actorId: null, actorName: null });

    // The card's provider by name, for both.
    const provider = await h.db
      .selectFrom("cards")
      .innerJoin("providers", "providers.id", "cards.providerId")
      .select(["providers.id", "providers.nameZh", "providers.nameEn"])
      .where("cards.id", "=", D.cleanDebit.card)
      .executeTakeFirstOrThrow();
    for (const headers of [agent.headers, holder.headers]) {
      const r = await h.inject({ method: "GET", url: `/api/v1/applications/${id}`, headers });
      expect((r.json() as { provider: unknown }).provider).toMatchObject(provider);
    }
  });
});
