import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { D } from "./support/demo.js";
import { Harness } from "./support/harness.js";

describe("holder sign-in by SMS code", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await Harness.start();
  });
  afterEach(() => h.close());

  const requestCode = (phone: string) =>
    h.inject({ method: "POST", url: "/api/v1/auth/otp", payload: { phone } });
  const verify = (phone: string, code: string) =>
    h.inject({ method: "POST", url: "/api/v1/auth/otp/verify", payload: { phone, code } });

  it("sends a 6-digit code through the outbox and signs in with it, once", async () => {
    const r = await requestCode(D.cleanSim.phone);
    expect(r.statusCode).toBe(202);
    expect(r.json()).toEqual({ cooldownSeconds: 60, expiresInSeconds: 300 });
    const code = await h.lastCode(D.cleanSim.phone);
    expect(code).toMatch(/^\d{6}$/);
    const ok = await verify(D.cleanSim.phone, code);
    expect(ok.statusCode).toBe(200);
    expect(ok.json().actor).toMatchObject({ type: "holder", role: "holder" });
    expect(String(ok.headers["set-cookie"])).toMatch(/zx_session=.*HttpOnly.*SameSite=Lax/i);
    const reuse = await verify(D.cleanSim.phone, code);
    expect(reuse.json().code).toBe("OTP_INVALID");
  });

  it("stores codes only hashed", async () => {
    await requestCode(D.cleanSim.phone);
    const code = await h.lastCode(D.cleanSim.phone);
    const rows = await h.db.selectFrom("otpChallenges").selectAll().execute();
    expect(JSON.stringify(rows)).not.toContain(code);
  });

  it("answers an unregistered phone exactly like a registered one, and sends nothing", async () => {
    const r = await requestCode("13999999999");
    expect(r.statusCode).toBe(202);
    expect((await h.outbox()).filter((m) => m.to === "13999999999")).toEqual([]);
  });

  it("enforces the resend cooldown with Retry-After", async () => {
    await requestCode(D.cleanSim.phone);
    h.clock.advance(10_000);
    const again = await requestCode(D.cleanSim.phone);
    expect(again.statusCode).toBe(429);
    expect(again.json()).toMatchObject({ code: "OTP_COOLDOWN", params: { retryAfterSeconds: 50 } });
    expect(again.headers["retry-after"]).toBe("50");
    h.clock.advance(50_000);
    expect((await requestCode(D.cleanSim.phone)).statusCode).toBe(202);
  });

  it("locks a code after five wrong tries, even when the sixth is right", async () => {
    await requestCode(D.cleanSim.phone);
    const code = await h.lastCode(D.cleanSim.phone);
    const wrong = code === "000000" ? "111111" : "000000";
    const codes: string[] = [];
    for (let i = 0; i < 5; i++) codes.push((await verify(D.cleanSim.phone, wrong)).json().code);
    expect(codes).toEqual(["OTP_INVALID", "OTP_INVALID", "OTP_INVALID", "OTP_INVALID", "OTP_LOCKED"]);
    expect((await verify(D.cleanSim.phone, code)).json().code).toBe("OTP_LOCKED");
  });

  it("expires codes after five minutes", async () => {
    await requestCode(D.cleanSim.phone);
    const code = await h.lastCode(D.cleanSim.phone);
    h.clock.advance(301_000);
    expect((await verify(D.cleanSim.phone, code)).json().code).toBe("OTP_INVALID");
  });

  it("caps codes per phone per hour", async () => {
    for (let i = 0; i < 10; i++) {
      expect((await requestCode(D.cleanSim.phone)).statusCode).toBe(202);
      h.clock.advance(61_000);
    }
    const r = await requestCode(D.cleanSim.phone);
    expect(r.json()).toMatchObject({ code: "RATE_LIMITED" });
  });
});

describe("staff sign-in", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await Harness.start();
  });
  afterEach(() => h.close());

  const login = (username: string, password: string) =>
    h.inject({ method: "POST", url: "/api/v1/auth/login", payload: { username, password } });

  it("refuses a wrong password and an unknown user alike", async () => {
    expect((await login("agent", "wrong-password")).json().code).toBe("LOGIN_FAILED");
    expect((await login("nobody", "wrong-password")).json().code).toBe("LOGIN_FAILED");
  });

  it("locks the account for 15 minutes after five failures in a row", async () => {
    const codes: string[] = [];
    for (let i = 0; i < 5; i++) codes.push((await login("agent", "wrong-password")).json().code);
    expect(codes.slice(0, 4)).toEqual(["LOGIN_FAILED", "LOGIN_FAILED", "LOGIN_FAILED", "LOGIN_FAILED"]);
    expect(codes[4]).toBe("ACCOUNT_LOCKED");
    const right = await login("agent", "agent-password-123");
    expect(right.statusCode).toBe(423);
    h.clock.advance(15 * 60_000 + 1000);
    expect((await login("agent", "agent-password-123")).statusCode).toBe(200);
  });
});

describe("staff second factor (TOTP)", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await Harness.start();
  });
  afterEach(() => h.close());

  it("enrols, then requires a current code at every sign-in", async () => {
    const { createHmac } = await import("node:crypto");
    const { base32Decode, hotp } = await import("../src/domain/totp.js");
    const code = (secret: string, at = h.clock.now().getTime()) =>
      hotp(
        (k, m) => new Uint8Array(createHmac("sha1", k).update(m).digest()),
        base32Decode(secret),
        Math.floor(at / 30_000),
      );
    const agent = await h.signInStaff("agent");
    const enrol = await h.inject({
      method: "POST",
      url: "/api/v1/me/totp",
      headers: agent.headers,
      payload: {},
    });
    const { secret, otpauthUri } = enrol.json() as { secret: string; otpauthUri: string };
    expect(otpauthUri).toMatch(/^otpauth:\/\/totp\/zhuxiao%3Aagent\?secret=[A-Z2-7]+&issuer=zhuxiao/);
    const stored = await h.db
      .selectFrom("staff")
      .select("totpSecretSealed")
      .where("username", "=", "agent")
      .executeTakeFirstOrThrow();
    expect(stored.totpSecretSealed).not.toContain(secret);
    expect(
      (
        await h.inject({
          method: "POST",
          url: "/api/v1/me/totp/confirm",
          headers: agent.headers,
          payload: { code: "000000" },
        })
      ).json().code,
    ).toBe("TOTP_INVALID");
    expect(
      (
        await h.inject({
          method: "POST",
          url: "/api/v1/me/totp/confirm",
          headers: agent.headers,
          payload: { code: code(secret) },
        })
      ).statusCode,
    ).toBe(200);

    const login = (totp?: string) =>
      h.inject({
        method: "POST",
        url: "/api/v1/auth/login",
        payload: { username: "agent", password: "agent-password-123", ...(totp ? { totp } : {}) },
      });
    expect((await login()).json().code).toBe("TOTP_REQUIRED");
    const wrong = code(secret, h.clock.now().getTime() + 10 * 60_000);
    expect((await login(wrong)).json().code).toBe("TOTP_INVALID");
    expect((await login(code(secret))).statusCode).toBe(200);
    const row = await h.db
      .selectFrom("staff")
      .select("failedLogins")
      .where("username", "=", "agent")
      .executeTakeFirstOrThrow();
    expect(row.failedLogins).toBe(0);
  });
});
