/**
 * "My cards" and a card's eligibility as the holder reads them: their own application is progress,
 * not a blocker; a cancelled card is finished, with the application that cancelled it.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { D } from "./support/demo.js";
import { Harness } from "./support/harness.js";

interface Step {
  key: string;
  state: string;
  titleZh: string;
  titleEn: string;
}
interface Item {
  card: { id: string; status: string };
  eligibility: { eligible: boolean; findings: Array<{ code: string }> } | null;
  openApplication: { number: string; status: string } | null;
  cancelledBy: { number: string; status: string } | null;
  journey: Step[];
}

describe("my cards and eligibility", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await Harness.start();
  });
  afterEach(() => h.close());

  async function myCard(phone: string, cardId: string): Promise<Item> {
    const holder = await h.signInHolder(phone);
    const r = await h.inject({ method: "GET", url: "/api/v1/me/cards", headers: holder.headers });
    expect(r.statusCode).toBe(200);
    return (r.json().items as Item[]).find((i) => i.card.id === cardId)!;
  }

  const codes = (e: Item["eligibility"]) => e?.findings.map((f) => f.code) ?? [];

  it("shows the holder's own open application as in progress, not as a blocker", async () => {
    const holder = await h.signInHolder(D.cleanDebit.phone);
    const app = await h.submitted(holder, D.cleanDebit.card, { backup: { status: "done" } });

    const item = await myCard(D.cleanDebit.phone, D.cleanDebit.card);
    expect(item.openApplication).toMatchObject({ number: app.number, status: "submitted" });
    expect(codes(item.eligibility)).not.toContain("APPLICATION_OPEN");
    expect(codes(item.eligibility)).not.toContain("PENDING_CANCELLATION");
    expect(item.eligibility?.eligible).toBe(true);
    expect(item.journey.find((s) => s.key === "contact")?.state).toBe("done");
    expect(item.journey.find((s) => s.key === "wait")?.state).toBe("current");

    const own = await h.inject({
      method: "GET",
      url: `/api/v1/cards/${D.cleanDebit.card}/eligibility`,
      headers: holder.headers,
    });
    expect(codes(own.json().eligibility)).not.toContain("APPLICATION_OPEN");
    expect(own.json().openApplication.number).toBe(app.number);

    // Staff still see that someone is already on this card.
    const agent = await h.signInStaff("agent");
    const staff = await h.inject({
      method: "GET",
      url: `/api/v1/cards/${D.cleanDebit.card}/eligibility`,
      headers: agent.headers,
    });
    expect(codes(staff.json().eligibility)).toEqual(["APPLICATION_OPEN"]);
  });

  it("shows a cancelled card finished, with the application that cancelled it and nothing to do", async () => {
    const item = await myCard(D.cancelled.phone, D.cancelled.card);
    expect(item.card.status).toBe("cancelled");
    expect(item.openApplication).toBeNull();
    expect(item.cancelledBy).toMatchObject({ number: D.cancelled.applicationNumber, status: "closed" });
    expect(item.journey.filter((s) => s.state === "current" || s.state === "blocked")).toEqual([]);

    const holder = await h.signInHolder(D.cancelled.phone);
    const r = await h.inject({
      method: "GET",
      url: `/api/v1/cards/${D.cancelled.card}/eligibility`,
      headers: holder.headers,
    });
    const body = r.json() as { journey: Step[]; cancelledBy: { number: string } };
    expect(body.cancelledBy.number).toBe(D.cancelled.applicationNumber);
    expect(body.journey.map((s) => s.state)).not.toContain("current");
    expect(body.journey.map((s) => s.state)).not.toContain("blocked");
  });

  it("names the issuer, not an operator, in a bank card's journey", async () => {
    const debit = await myCard(D.cleanDebit.phone, D.cleanDebit.card);
    expect(debit.journey.find((s) => s.key === "contact")).toMatchObject({
      titleZh: "联系发卡机构",
      titleEn: "Contact the issuer",
    });
    const sim = await myCard(D.cleanSim.phone, D.cleanSim.card);
    expect(sim.journey.find((s) => s.key === "contact")?.titleZh).toBe("联系运营商");
  });
});
