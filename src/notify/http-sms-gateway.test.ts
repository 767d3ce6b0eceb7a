import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type FakeGateway, startFakeGateway } from "../../test/support/fake-sms-gateway.js";
import type { OutboundMessage } from "../ports/index.js";
import { PermanentDeliveryError } from "./channels.js";
import { createHttpSmsGateway } from "./http-sms-gateway.js";

const MESSAGE: OutboundMessage = {
  dedupeKey: "app_1:submitted:2",
  channel: "sms",
  to: "13812348000",
  template: "submitted",
  language: "zh-CN",
  text: "【注销服务】您的注销申请已提交。",
};

describe("the HTTP SMS gateway adapter", () => {
  let gw: FakeGateway;
  beforeEach(async () => {
    gw = await startFakeGateway();
  });
  afterEach(() => gw.close());

  it("posts JSON with the token and the message key as Idempotency-Key", async () => {
    await createHttpSmsGateway({ url: gw.url, token: "secret-token-1" }).send(MESSAGE);
    expect(gw.requests).toHaveLength(1);
    const r = gw.requests[0]!;
    expect(r.headers.authorization).toBe("Bearer secret-token-1");
    expect(r.headers["idempotency-key"]).toBe(MESSAGE.dedupeKey);
    expect(r.body).toEqual({
      to: MESSAGE.to,
      text: MESSAGE.text,
      reference: MESSAGE.dedupeKey,
      language: "zh-CN",
    });
  });

  it("treats 4xx as final and 5xx, 408 and 429 as worth retrying", async () => {
    const sms = createHttpSmsGateway({ url: gw.url });
    gw.statuses = [400, 500, 429, 408];
    await expect(sms.send(MESSAGE)).rejects.toBeInstanceOf(PermanentDeliveryError);
    for (let i = 0; i < 3; i++) {
      const err = await sms.send(MESSAGE).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(Error);
      expect(err).not.toBeInstanceOf(PermanentDeliveryError);
    }
  });

  it("gives up on a gateway that does not answer in time", async () => {
    await gw.close();
    const sms = createHttpSmsGateway({ url: gw.url, timeoutMs: 500 });
    await expect(sms.send(MESSAGE)).rejects.toThrow();
  });
});
