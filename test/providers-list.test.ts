/**
 * GET /api/v1/providers: the providers by id and name, for the console's queue column and filter.
 * Staff of one provider see only theirs; other staff and holders see all; nobody else any.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { D } from "./support/demo.js";
import { Harness, type Session } from "./support/harness.js";

interface ProviderItem {
  id: string;
  code: string;
  kind: string;
  nameZh: string;
  nameEn: string;
}

let h: Harness;
beforeAll(async () => {
  h = await Harness.start();
});
afterAll(async () => {
  await h.close();
});

async function list(s: Session | null) {
  const r = await h.inject({ method: "GET", url: "/api/v1/providers", headers: s?.headers ?? {} });
  return { status: r.statusCode, body: r.json() as { items: ProviderItem[]; code?: string } };
}

describe("providers list", () => {
  it("names every provider for staff and holders, in code order", async () => {
    const rows = await h.db.selectFrom("providers").select(["id", "code", "nameZh"]).execute();
    expect(rows.length).toBeGreaterThanOrEqual(3);
    for (const who of [await h.signInStaff("agent"), await h.signInHolder(D.cleanDebit.phone)]) {
      const r = await list(who);
      expect(r.status).toBe(200);
      expect(r.body.items.map((p) => p.id).sort()).toEqual(rows.map((p) => p.id).sort());
      expect(r.body.items.map((p) => p.code)).toEqual([...r.body.items.map((p) => p.code)].sort());
      const bank = r.body.items.find((p) => p.id === "prv_demo_bank")!;
      expect(bank.nameZh).toBe(rows.find((p) => p.id === "prv_demo_bank")!.nameZh);
      expect(bank.nameEn.length).toBeGreaterThan(0);
    }
  });

  it("shows staff of one provider only that provider, and nobody signed out any", async () => {
    const bankAgent = await h.signInProviderAgent("bank-agent-providers", "prv_demo_bank");
    const r = await list(bankAgent);
    expect(r.status).toBe(200);
    expect(r.body.items.map((p) => p.id)).toEqual(["prv_demo_bank"]);

    const anonymous = await list(null);
    expect(anonymous.status).toBe(401);
  });
});
