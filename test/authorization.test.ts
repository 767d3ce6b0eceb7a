import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { D } from "./support/demo.js";
import { Harness, type Session } from "./support/harness.js";

describe("who may see and do what", () => {
  let h: Harness;
  let owner: Session;
  let stranger: Session;
  let agent: Session;
  let appId: string;
  beforeAll(async () => {
    h = await Harness.start();
    owner = await h.signInHolder(D.cleanDebit.phone);
    stranger = await h.signInHolder(D.arrears.phone);
    agent = await h.signInStaff("agent");
    appId = (await h.submitted(owner, D.cleanDebit.card, { backup: { status: "done" } })).id;
  });
  afterAll(() => h.close());

  it("shows a holder only their own cards", async () => {
    const mine = await h.inject({ method: "GET", url: "/api/v1/me/cards", headers: stranger.headers });
    const ids = (mine.json().items as Array<{ card: { id: string } }>).map((i) => i.card.id);
    expect(ids).toContain(D.arrears.card);
    expect(ids).not.toContain(D.cleanDebit.card);
  });

  it("answers another holder's card and application like missing ones", async () => {
    const card = await h.inject({
      method: "GET",
      url: `/api/v1/cards/${D.cleanDebit.card}/eligibility`,
      headers: stranger.headers,
    });
    expect(card.statusCode).toBe(404);
    expect(card.json().code).toBe("CARD_NOT_FOUND");
    const app = await h.inject({
      method: "GET",
      url: `/api/v1/applications/${appId}`,
      headers: stranger.headers,
    });
    expect(app.statusCode).toBe(404);
    expect(app.json().code).toBe("APPLICATION_NOT_FOUND");
    const list = await h.inject({ method: "GET", url: "/api/v1/applications", headers: stranger.headers });
    expect((list.json().items as Array<{ id: string }>).map((a) => a.id)).not.toContain(appId);
  });

  it("does not let another holder withdraw, or apply for, someone else's card", async () => {
    const before = await h.fingerprint();
    const w = await h.write(stranger, "POST", `/api/v1/applications/${appId}/withdraw`);
    expect(w.statusCode).toBe(404);
    const c = await h.write(stranger, "POST", "/api/v1/applications", { cardId: D.cleanDebit.card });
    expect(c.statusCode).toBe(404);
    expect(await h.fingerprint()).toBe(before);
  });

  it("does not let a holder approve their own application", async () => {
    const r = await h.write(owner, "POST", `/api/v1/applications/${appId}/approve`);
    expect(r.statusCode).toBe(403);
    expect(r.json()).toMatchObject({ code: "FORBIDDEN", params: { action: "application.approve" } });
  });

  it("does not let an agent do an admin's work", async () => {
    const before = await h.fingerprint();
    const add = await h.write(agent, "POST", "/api/v1/staff", {
      username: "newbie",
      displayName: "N",
      role: "admin",
      password: "long-enough-password",
    });
    expect(add.statusCode).toBe(403);
    const audit = await h.inject({ method: "GET", url: "/api/v1/audit/verify", headers: agent.headers });
    expect(audit.statusCode).toBe(403);
    const retry = await h.write(agent, "POST", `/api/v1/applications/${appId}/retry`);
    expect(retry.statusCode).toBe(403);
    expect(await h.fingerprint()).toBe(before);
  });

  it("lets an admin do it", async () => {
    const admin = await h.signInStaff("admin");
    const add = await h.write(admin, "POST", "/api/v1/staff", {
      username: "newbie",
      displayName: "N",
      role: "agent",
      password: "long-enough-password",
    });
    expect(add.statusCode).toBe(201);
    const audit = await h.inject({ method: "GET", url: "/api/v1/audit/verify", headers: admin.headers });
    expect(audit.json()).toMatchObject({ ok: true });
  });

  it("keeps staff away from the holder-only card list and holders away from the queue filters", async () => {
    const r = await h.inject({ method: "GET", url: "/api/v1/me/cards", headers: agent.headers });
    expect(r.statusCode).toBe(403);
    const anon = await h.inject({ method: "GET", url: "/api/v1/me/cards" });
    expect(anon.statusCode).toBe(401);
    expect(anon.json().code).toBe("UNAUTHENTICATED");
  });

  it("requires the CSRF token for cookie-authenticated writes", async () => {
    const cookie = { cookie: `zx_session=${owner.token}` };
    const noToken = await h.inject({
      method: "POST",
      url: "/api/v1/applications",
      payload: { cardId: D.cleanDebit.card },
      headers: { ...cookie, "idempotency-key": "csrf-test-0001" },
    });
    expect(noToken.statusCode).toBe(403);
    expect(noToken.json().code).toBe("CSRF_FAILED");
    const withToken = await h.inject({
      method: "POST",
      url: "/api/v1/applications",
      payload: { cardId: D.cleanDebit.card },
      headers: { ...cookie, "idempotency-key": "csrf-test-0002", "x-csrf-token": owner.csrfToken },
    });
    expect(withToken.statusCode).toBe(200);
  });
});
