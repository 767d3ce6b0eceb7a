import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registeredRoutes } from "../src/http/server.js";
import { D } from "./support/demo.js";
import { Harness, newKey, type Session } from "./support/harness.js";

/**
 * 10 000 generated malformed or hostile requests across every endpoint, from an anonymous caller, a
 * forged token and a signed-in holder aiming at someone else's cards and applications: no 5xx,
 * and the database is exactly as it was.
 */
const HOSTILE_STRINGS = [
  "' OR '1'='1",
  "1; DROP TABLE applications; --",
  "<script>alert(1)</script>",
  "../../../../etc/passwd",
  "%00",
  "\u0000",
  "\uFEFF",
  "\uD800",
  "𠜎𠜱𠝹",
  "Ω≈ç√∫",
  "$" + "{7*7}",
  "{{7*7}}",
  "__proto__",
  "constructor",
  "NaN",
  "-1",
  "9".repeat(400),
  "x".repeat(20_000),
  "13812348000",
  "110105198503120012",
];

/** A lone surrogate cannot be URI-encoded; send its raw (invalid) UTF-8 bytes instead. */
function uriPart(s: string): string {
  try {
    return encodeURIComponent(s);
  } catch {
    return "%ED%A0%80";
  }
}

describe("HTTP fuzz", () => {
  let h: Harness;
  let attacker: Session;
  let victimAppId: string;
  let victimDocId: string;
  beforeAll(async () => {
    h = await Harness.start();
    const victim = await h.signInHolder(D.cleanSim.phone);
    const app = await h.write(victim, "POST", "/api/v1/applications", {
      cardId: "card_demo_transit_deposit",
    });
    victimAppId = app.json().application.id;
    const transit = await h.signInHolder("19857121608");
    const t = await h.write(transit, "POST", "/api/v1/applications", { cardId: "card_demo_transit_online" });
    const up = await h.inject({
      method: "POST",
      url: `/api/v1/applications/${t.json().application.id}/documents?kind=card_photo`,
      payload: Buffer.from("89504e470d0a1a0a", "hex"),
      headers: { ...transit.headers, "content-type": "image/png", "idempotency-key": newKey() },
    });
    victimDocId = up.json().document?.id ?? "doc_x";
    attacker = await h.signInHolder(D.arrears.phone);
  });
  afterAll(() => h.close());

  it("survives 10 000 hostile requests with no 5xx and no change to the data", async () => {
    const routes = registeredRoutes(h.app).filter(
      (r) => r.method !== "HEAD" && !(r.method === "POST" && r.url === "/api/v1/auth/logout"),
    );
    const ids = [
      victimAppId,
      victimDocId,
      D.cleanSim.card,
      D.cleanDebit.card,
      "card_demo_sim_cancelled",
      ...HOSTILE_STRINGS,
    ];
    const before = await h.fingerprint();
    const jsonValue = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: "small" },
        fc.constantFrom(...HOSTILE_STRINGS),
        fc.string(),
        fc.integer(),
        fc.double(),
        fc.boolean(),
        fc.constant(null),
        fc.array(tie("value"), { maxLength: 4 }),
        fc.dictionary(
          fc.oneof(
            fc.constantFrom(
              "cardId",
              "phone",
              "code",
              "status",
              "__proto__",
              "how",
              "reason",
              "kind",
              "idNumber",
            ),
            fc.string(),
          ),
          tie("value"),
          { maxKeys: 5 },
        ),
      ),
    })).value;
    const request = fc.record({
      route: fc.constantFrom(...routes),
      id: fc.constantFrom(...ids),
      who: fc.constantFrom("anonymous", "forged", "attacker"),
      body: fc.oneof(jsonValue, fc.constantFrom('{"cardId":', "{{{", "null", "[]", '"\\ud800"', "\u0000")),
      raw: fc.boolean(),
      query: fc.constantFrom(
        "",
        "?lang=en",
        "?status=draft&limit=-5",
        "?kind=id_front",
        "?from=x&to=y",
        `?q=${encodeURIComponent("' OR 1=1 --")}`,
      ),
    });
    const samples = fc.sample(request, { numRuns: 10_000, seed: 424242 });
    const fivexx: string[] = [];
    const byStatus = new Map<number, number>();
    let sent = 0;
    for (const s of samples) {
      const url = s.route.url.replaceAll(/:[A-Za-z]+/g, () => uriPart(s.id)) + s.query;
      const headers: Record<string, string> = { "idempotency-key": newKey("fz") };
      if (s.who === "attacker") Object.assign(headers, attacker.headers);
      if (s.who === "forged") headers.authorization = `Bearer ${"A".repeat(43)}`;
      const payload = s.raw && typeof s.body === "string" ? s.body : JSON.stringify(s.body);
      const res = await h.inject({
        method: s.route.method as "POST",
        url,
        headers: { ...headers, ...(s.route.method === "GET" ? {} : { "content-type": "application/json" }) },
        ...(s.route.method === "GET" ? {} : { payload }),
      });
      sent++;
      byStatus.set(res.statusCode, (byStatus.get(res.statusCode) ?? 0) + 1);
      if (res.statusCode >= 500)
        fivexx.push(
          `${s.route.method} ${url} ${payload.slice(0, 80)} → ${res.statusCode} ${res.body.slice(0, 200)}`,
        );
    }
    expect(sent).toBe(10_000);
    // The answers spread over the checks (401, 403, 404, 400, 413, 415, 422…), not one wall.
    expect(byStatus.size).toBeGreaterThan(5);
    process.stdout.write(
      `fuzz: ${sent} requests, statuses ${JSON.stringify(Object.fromEntries([...byStatus].sort()))}\n`,
    );
    expect(fivexx).toEqual([]);
    expect(await h.fingerprint()).toBe(before);
  }, 300_000);
});
