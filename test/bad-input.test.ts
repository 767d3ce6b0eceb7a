import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { D } from "./support/demo.js";
import { Harness, newKey, type Session } from "./support/harness.js";

/** Flip the last digit so a check digit no longer matches. */
function breakCheckDigit(s: string): string {
  const last = s.at(-1)!;
  const next = last === "X" ? "0" : String((Number(last) + 1) % 10);
  return s.slice(0, -1) + next;
}

describe("bad input gets a stable 4xx code and changes nothing", () => {
  let h: Harness;
  let holder: Session;
  let agent: Session;
  let before: string;
  let submittedId: string;
  beforeAll(async () => {
    h = await Harness.start();
    holder = await h.signInHolder(D.cleanDebit.phone);
    agent = await h.signInStaff("agent");
    submittedId = (await h.submitted(holder, D.cleanDebit.card, { backup: { status: "done" } })).id;
  });
  afterAll(() => h.close());
  beforeEach(async () => {
    before = await h.fingerprint();
  });

  async function expectProblem(
    res: { statusCode: number; headers: Record<string, unknown>; json: () => unknown },
    status: number,
    code: string,
  ) {
    expect(res.statusCode).toBe(status);
    expect(String(res.headers["content-type"])).toContain("application/problem+json");
    expect(res.json()).toMatchObject({ code, status, i18nKey: `errors.${code}` });
    expect(await h.fingerprint()).toBe(before);
  }

  const post = (url: string, payload: string | object, headers: Record<string, string> = {}) =>
    h.inject({
      method: "POST",
      url,
      payload,
      headers: {
        "content-type": "application/json",
        "idempotency-key": newKey(),
        ...holder.headers,
        ...headers,
      },
    });

  it("malformed JSON → 400 MALFORMED_JSON", async () => {
    await expectProblem(await post("/api/v1/applications", '{"cardId": "x",'), 400, "MALFORMED_JSON");
  });

  it("a body that is not JSON → 415 UNSUPPORTED_MEDIA_TYPE", async () => {
    await expectProblem(
      await post("/api/v1/applications", "cardId=x", { "content-type": "application/x-www-form-urlencoded" }),
      415,
      "UNSUPPORTED_MEDIA_TYPE",
    );
  });

  it("wrong types → 400 VALIDATION_FAILED naming the field", async () => {
    const r = await post("/api/v1/applications", { cardId: 42, submit: "yes" });
    await expectProblem(r, 400, "VALIDATION_FAILED");
    const paths = (r.json() as { errors: Array<{ path: string }> }).errors.map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(["cardId", "submit"]));
  });

  it("unknown fields → 400 VALIDATION_FAILED", async () => {
    await expectProblem(
      await post("/api/v1/applications", { cardId: D.cleanDebit.card, status: "completed" }),
      400,
      "VALIDATION_FAILED",
    );
  });

  it("an oversize body → 413 PAYLOAD_TOO_LARGE", async () => {
    await expectProblem(
      await post("/api/v1/applications", { cardId: D.cleanDebit.card, reason: "x".repeat(70_000) }),
      413,
      "PAYLOAD_TOO_LARGE",
    );
  });

  it("an ID number with a wrong check character → 422 ID_NUMBER_INVALID", async () => {
    await expectProblem(
      await post("/api/v1/applications", {
        cardId: D.cleanSim.card,
        identity: { idNumber: breakCheckDigit(D.cleanSim.idNumber) },
      }),
      422,
      "ID_NUMBER_INVALID",
    );
  });

  it("a correct but different ID number → 422 IDENTITY_MISMATCH", async () => {
    await expectProblem(
      await post("/api/v1/applications", {
        cardId: D.cleanSim.card,
        identity: { idNumber: "11010519491231002X" },
      }),
      422,
      "IDENTITY_MISMATCH",
    );
  });

  it("an ICCID failing its Luhn check → 422 ICCID_INVALID", async () => {
    const sim = await h.signInHolder(D.cleanSim.phone);
    before = await h.fingerprint();
    const r = await h.inject({
      method: "POST",
      url: "/api/v1/applications",
      payload: { cardId: D.cleanSim.card, identity: { iccid: breakCheckDigit(D.cleanSim.iccid) } },
      headers: { "idempotency-key": newKey(), ...sim.headers },
    });
    await expectProblem(r, 422, "ICCID_INVALID");
  });

  it("a malformed mobile number → 422 MOBILE_INVALID at sign-in, TRANSFER_TARGET_INVALID as a transfer target", async () => {
    const r = await h.inject({ method: "POST", url: "/api/v1/auth/otp", payload: { phone: "1234567" } });
    await expectProblem(r, 422, "MOBILE_INVALID");
    const sim = await h.signInHolder(D.cleanSim.phone);
    before = await h.fingerprint();
    const t = await h.inject({
      method: "POST",
      url: "/api/v1/applications",
      payload: { cardId: D.cleanSim.card, balanceOption: "transfer", transferTo: "02012345678" },
      headers: { "idempotency-key": newKey(), ...sim.headers },
    });
    await expectProblem(t, 422, "TRANSFER_TARGET_INVALID");
  });

  it("a missing Idempotency-Key → 400 IDEMPOTENCY_KEY_REQUIRED", async () => {
    const r = await h.inject({
      method: "POST",
      url: "/api/v1/applications",
      payload: { cardId: D.cleanDebit.card },
      headers: holder.headers,
    });
    await expectProblem(r, 400, "IDEMPOTENCY_KEY_REQUIRED");
  });

  it("a malformed Idempotency-Key → 400 IDEMPOTENCY_KEY_INVALID", async () => {
    await expectProblem(
      await post("/api/v1/applications", { cardId: D.cleanDebit.card }, { "idempotency-key": "short" }),
      400,
      "IDEMPOTENCY_KEY_INVALID",
    );
  });

  it("a reused Idempotency-Key with another request → 409 IDEMPOTENCY_KEY_REUSED", async () => {
    const key = newKey("reuse");
    await post(
      `/api/v1/applications/${submittedId}/withdraw`,
      { comment: "a" },
      { "idempotency-key": key, ...holder.headers },
    );
    before = await h.fingerprint();
    await expectProblem(
      await post(
        `/api/v1/applications/${submittedId}/withdraw`,
        { comment: "b" },
        { "idempotency-key": key },
      ),
      409,
      "IDEMPOTENCY_KEY_REUSED",
    );
  });

  it("a forbidden transition → 409 TRANSITION_NOT_ALLOWED", async () => {
    const r = await h.inject({
      method: "POST",
      url: `/api/v1/applications/${submittedId}/complete`,
      payload: {},
      headers: { "idempotency-key": newKey(), ...agent.headers },
    });
    await expectProblem(r, 409, "TRANSITION_NOT_ALLOWED");
  });

  it("another holder's application → 404 APPLICATION_NOT_FOUND", async () => {
    const stranger = await h.signInHolder(D.arrears.phone);
    before = await h.fingerprint();
    const r = await h.inject({
      method: "POST",
      url: `/api/v1/applications/${submittedId}/supply_info`,
      payload: { response: "x" },
      headers: { "idempotency-key": newKey(), ...stranger.headers },
    });
    await expectProblem(r, 404, "APPLICATION_NOT_FOUND");
  });

  it("a rejection without a known reason code → 400 VALIDATION_FAILED", async () => {
    const r = await h.inject({
      method: "POST",
      url: `/api/v1/applications/${submittedId}/reject`,
      payload: { reason: "dont_like_it" },
      headers: { "idempotency-key": newKey(), ...agent.headers },
    });
    await expectProblem(r, 400, "VALIDATION_FAILED");
  });

  it("titles problems in English on request", async () => {
    const r = await h.inject({
      method: "GET",
      url: "/api/v1/me/cards",
      headers: { "accept-language": "en-US,en;q=0.9" },
    });
    expect(r.json()).toMatchObject({ code: "UNAUTHENTICATED", title: "Please sign in" });
    const zh = await h.inject({ method: "GET", url: "/api/v1/me/cards" });
    expect(zh.json()).toMatchObject({ code: "UNAUTHENTICATED", title: "请先登录" });
  });
});

describe("identity of a passport holder", () => {
  it("is checked against the passport number as written, without a GB 11643 check", async () => {
    const h = await Harness.start();
    try {
      const holder = await h.signInHolder("13816629035");
      const apply = (idNumber: string) =>
        h.write(holder, "POST", "/api/v1/applications", {
          cardId: "card_demo_sim_passport",
          identity: { idNumber },
        });
      const wrong = await apply("E7654321X");
      expect(wrong.statusCode).toBe(422);
      expect(wrong.json().code).toBe("IDENTITY_MISMATCH");
      const ok = await apply("e7654321k");
      expect(ok.statusCode, ok.body).toBe(201);
    } finally {
      await h.close();
    }
  });
});
