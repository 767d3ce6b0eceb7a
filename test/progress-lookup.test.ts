import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { D } from "./support/demo.js";
import { Harness } from "./support/harness.js";

describe("progress lookup without an account", () => {
  let h: Harness;
  let number: string;
  beforeAll(async () => {
    h = await Harness.start();
    const holder = await h.signInHolder(D.cleanDebit.phone);
    number = (await h.submitted(holder, D.cleanDebit.card, { backup: { status: "done" } })).number;
  });
  afterAll(() => h.close());

  it("shows status and timeline for application number + phone + code", async () => {
    h.clock.advance(61_000);
    const r = await h.inject({
      method: "POST",
      url: "/api/v1/lookup/otp",
      payload: { applicationNumber: number.toLowerCase(), phone: D.cleanDebit.phone },
    });
    expect(r.statusCode).toBe(202);
    const msgs = (await h.outbox()).filter((m) => m.template === "otp_lookup");
    expect(msgs.at(-1)?.text).toContain(number);
    const code = await h.lastCode(D.cleanDebit.phone);
    const v = await h.inject({
      method: "POST",
      url: "/api/v1/lookup/verify",
      payload: { applicationNumber: number, phone: D.cleanDebit.phone, code },
    });
    expect(v.statusCode).toBe(200);
    expect(v.json()).toMatchObject({ number, status: "submitted" });
    expect((v.json().timeline as Array<{ action: string; actorId: unknown }>).map((e) => e.action)).toEqual([
      "application.create",
      "application.submit",
      // The "submitted" SMS, delivered when the outbox was drained above.
      "notification.delivered",
    ]);
    // Anonymous viewers never learn who acted.
    expect((v.json().timeline as Array<{ actorId: unknown }>).every((e) => e.actorId === null)).toBe(true);
  });

  it("answers a wrong phone like a right one and sends it nothing", async () => {
    h.clock.advance(61_000);
    const r = await h.inject({
      method: "POST",
      url: "/api/v1/lookup/otp",
      payload: { applicationNumber: number, phone: D.arrears.phone },
    });
    expect(r.statusCode).toBe(202);
    expect((await h.outbox()).filter((m) => m.to === D.arrears.phone && m.template === "otp_lookup")).toEqual(
      [],
    );
    const v = await h.inject({
      method: "POST",
      url: "/api/v1/lookup/verify",
      payload: { applicationNumber: number, phone: D.arrears.phone, code: "123456" },
    });
    expect(v.statusCode).toBe(401);
    expect(v.json().code).toBe("OTP_INVALID");
  });
});
