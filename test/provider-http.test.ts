import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { sign, verifySignature } from "../src/adapters/hmac.js";
import { createSimulators, type Simulators } from "../src/adapters/simulators/index.js";
import type { ProviderCallContext } from "../src/ports/providers.js";
import { D } from "./support/demo.js";
import { Harness } from "./support/harness.js";

const SECRET = "test-provider-secret-0123456789";

/** A provider's systems on loopback: the simulators behind the documented HTTP contract. */
async function fakeProvider(
  sims: Simulators,
): Promise<{ server: Server; url: string; unsigned: number; seen: string[] }> {
  const state = { unsigned: 0, seen: [] as string[] };
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", async () => {
      if (!verifySignature(SECRET, body, req.headers["x-zhuxiao-signature"] as string, Date.now(), 10 ** 9)) {
        state.unsigned++;
        res.writeHead(401).end("bad signature");
        return;
      }
      const [, system, op] = (req.url ?? "").split("/");
      state.seen.push(`${system}.${op}`);
      const a = JSON.parse(body);
      const ctx: ProviderCallContext = { idempotencyKey: a.idempotencyKey, providerCode: a.provider };
      try {
        const out = await (
          {
            "billing.finalBill": () => sims.billing.finalBill(ctx, a.account),
            "billing.arrears": () => sims.billing.arrears(ctx, a.account),
            "billing.payOut": () => sims.billing.payOut(ctx, a.account, a.movement),
            "network.barLine": () => sims.network.barLine(ctx, a.msisdn),
            "network.forceDeregister": () => sims.network.forceDeregister(ctx, a.msisdn),
            "network.removeSubscription": () => sims.network.removeSubscription(ctx, a.msisdn, a.iccid),
            "network.quarantineNumber": () => sims.network.quarantineNumber(ctx, a.msisdn, a.until),
          } as Record<string, () => Promise<unknown>>
        )[`${system}.${op}`]!();
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(out));
      } catch (err) {
        res.writeHead((err as { retryable?: boolean }).retryable ? 503 : 409).end(String(err));
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    server,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get unsigned() {
      return state.unsigned;
    },
    seen: state.seen,
  };
}

describe("provider systems over HTTP, and their signed callbacks", () => {
  let h: Harness;
  let server: Server | undefined;
  afterEach(async () => {
    await h.close();
    await new Promise((r) => (server ? server.close(r) : r(null)));
  });

  it("drives the pipeline through the HTTP adapters, signed, retrying 503s", async () => {
    const sims = createSimulators({ failFirst: { barLine: 2 }, latencyMs: 0 });
    const fake = await fakeProvider(sims);
    server = fake.server;
    h = await Harness.start({ env: { ZHUXIAO_PROVIDER_URL: fake.url, ZHUXIAO_PROVIDER_SECRET: SECRET } });
    const holder = await h.signInHolder(D.cleanSim.phone);
    const e = await h.inject({
      method: "GET",
      url: `/api/v1/cards/${D.cleanSim.card}/eligibility`,
      headers: holder.headers,
    });
    const unbinding = (e.json().bindings as Array<{ id: string }>).map((b) => ({
      bindingId: b.id,
      state: "unbound",
    }));
    const app = await h.submitted(holder, D.cleanSim.card, {
      backup: { status: "done" },
      unbinding,
      balanceOption: "refund",
    });
    await h.write(await h.signInStaff("agent"), "POST", `/api/v1/applications/${app.id}/approve`);
    await h.rt.worker.drain();
    const row = await h.db
      .selectFrom("applications")
      .select("status")
      .where("id", "=", app.id)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe("completed");
    expect(fake.unsigned).toBe(0);
    expect(fake.seen.filter((s) => s === "network.barLine")).toHaveLength(3);
    expect(sims.network.core.effective("barLine")).toBe(1);
    expect(sims.network.lines.get(D.cleanSim.msisdn)).toBe("quarantined");
  });

  it("accepts a signed callback once, and refuses unsigned, stale or forged ones", async () => {
    h = await Harness.start({ env: { ZHUXIAO_PROVIDER_SECRET: SECRET } });
    const event = {
      type: "billing.arrears",
      eventId: "evt-billing-0001",
      cardId: D.cleanSim.card,
      arrearsFen: 1200,
      since: "2026-09-01T00:00:00.000Z",
    };
    const body = JSON.stringify(event);
    const post = (sig: string | undefined, payload = body) =>
      h.inject({
        method: "POST",
        url: "/api/v1/webhooks/demo-mobile",
        payload,
        headers: { "content-type": "application/json", ...(sig ? { "x-zhuxiao-signature": sig } : {}) },
      });
    const now = h.clock.now().getTime();
    expect((await post(undefined)).statusCode).toBe(401);
    expect((await post(sign("wrong-secret-wrong-secret", body, now))).statusCode).toBe(401);
    expect((await post(sign(SECRET, body, now - 3_600_000))).statusCode).toBe(401);
    const forged = JSON.stringify({ ...event, arrearsFen: 1 });
    expect((await post(sign(SECRET, body, now), forged)).statusCode).toBe(401);
    const ok = await post(sign(SECRET, body, now));
    expect(ok.json()).toEqual({ applied: true });
    const again = await post(sign(SECRET, body, now));
    expect(again.json()).toEqual({ applied: false });
    const acct = await h.db
      .selectFrom("accounts")
      .selectAll()
      .where("cardId", "=", D.cleanSim.card)
      .executeTakeFirstOrThrow();
    expect([Number(acct.arrearsFen), acct.arrearsSince]).toEqual([1200, "2026-09-01T00:00:00.000Z"]);
    // Another provider cannot report on this provider's card.
    const other = JSON.stringify({ ...event, eventId: "evt-billing-0002" });
    const wrong = await h.inject({
      method: "POST",
      url: "/api/v1/webhooks/demo-bank",
      payload: other,
      headers: { "content-type": "application/json", "x-zhuxiao-signature": sign(SECRET, other, now) },
    });
    expect(wrong.statusCode).toBe(404);
  });
});
