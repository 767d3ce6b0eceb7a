import { describe, expect, it } from "vitest";
import { ES9_PATH, sendHandleNotification, smdpBaseUrl } from "./es9.js";

function fakeFetch(status: number) {
  const calls: Array<{ url: string; init: RequestInit }> = [];
  const f = (async (url: string | URL | Request, init?: RequestInit) => {
    calls.push({ url: String(url), init: init ?? {} });
    return new Response(status === 204 ? null : "{}", { status });
  }) as typeof fetch;
  return { f, calls };
}

describe("ES9+ HandleNotification", () => {
  it("posts the base64 notification to https://<fqdn>/gsma/rsp2/es9plus/handleNotification and accepts 204", async () => {
    const { f, calls } = fakeFetch(204);
    expect(await sendHandleNotification("smdp.example.com", Uint8Array.of(0x30, 0x00), { fetch: f })).toBe(
      204,
    );
    expect(calls[0]?.url).toBe(`https://smdp.example.com${ES9_PATH}`);
    const headers = calls[0]?.init.headers as Record<string, string>;
    expect(headers["x-admin-protocol"]).toBe("gsma/rsp/v2.2.0");
    expect(headers["content-type"]).toMatch(/^application\/json/);
    expect(JSON.parse(String(calls[0]?.init.body))).toEqual({ pendingNotification: "MAA=" });
  });

  it("uses an injected base URL (a test SM-DP+ on loopback)", () => {
    expect(smdpBaseUrl("smdp.example.com", { baseUrl: "http://127.0.0.1:8443/" })).toBe(
      "http://127.0.0.1:8443",
    );
  });

  it("treats anything but 204 as not accepted", async () => {
    const { f } = fakeFetch(200);
    await expect(
      sendHandleNotification("smdp.example.com", new Uint8Array(), { fetch: f }),
    ).rejects.toMatchObject({
      code: "ES9_NOTIFICATION_FAILED",
      params: { status: 200 },
    });
  });
});
