import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LATENCY_BUCKETS, metricsToken } from "../../src/ops/metrics.js";
import { D } from "../support/demo.js";
import { Harness } from "../support/harness.js";

const SAMPLE =
  /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\[\\"n])*",?)*\})? (-?[0-9.e+-]+|NaN|\+Inf)$/;

/** The samples of a scrape as name{labels} → value, after checking every line against the format. */
function parse(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  const typed = new Set<string>();
  for (const line of text.trimEnd().split("\n")) {
    const meta = line.match(/^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.+)$/);
    if (meta) {
      if (meta[1] === "TYPE") {
        expect(["counter", "gauge", "histogram"]).toContain(meta[3]);
        typed.add(meta[2]!);
      }
      continue;
    }
    const m = line.match(SAMPLE);
    expect(m, `not a sample line: ${line}`).not.toBeNull();
    const family = m![1]!.replace(/_(bucket|sum|count)$/, "");
    expect(typed.has(family) || typed.has(m![1]!), `sample before its TYPE: ${line}`).toBe(true);
    samples.set(`${m![1]}${m![2] ?? ""}`, Number(m![3]));
  }
  return samples;
}

async function scrape(h: Harness, headers: Record<string, string> = {}) {
  const r = await h.inject({ method: "GET", url: "/metrics", headers });
  expect(r.statusCode, r.body).toBe(200);
  expect(r.headers["content-type"]).toBe("text/plain; version=0.0.4; charset=utf-8");
  return parse(r.body);
}

describe("GET /metrics", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start();
    const agent = await h.signInStaff("agent");
    const r = await h.write(agent, "POST", "/api/v1/applications", {
      cardId: D.cleanDebit.card,
      submit: true,
      backup: { status: "done" },
    });
    expect(r.statusCode, r.body).toBe(201);
    // One job that gave up, as the worker leaves it after its last failed try.
    const at = h.clock.now().toISOString();
    await h.db
      .insertInto("jobs")
      .values({
        task: "notify.sms",
        payloadJson: "{}",
        dedupeKey: "metrics-test-dead",
        status: "dead",
        attempts: 10,
        maxAttempts: 10,
        runAt: at,
        lastError: "gateway refused",
        createdAt: at,
        updatedAt: at,
      })
      .execute();
  });
  afterAll(() => h.close());

  it("counts requests by route pattern and status, and times them in cumulative buckets", async () => {
    const before = await scrape(h);
    const key = 'http_requests_total{method="GET",route="/healthz",status="200"}';
    for (let i = 0; i < 3; i++) await h.inject({ method: "GET", url: "/healthz" });
    await h.inject({ method: "GET", url: "/no/such/path" });
    await h.inject({ method: "GET", url: "/api/v1/applications/app_123" });
    const after = await scrape(h);

    expect(after.get(key)! - (before.get(key) ?? 0)).toBe(3);
    expect(after.get('http_requests_total{method="GET",route="unmatched",status="404"}')).toBe(1);
    // Ids stay out of the labels: the route pattern is the series.
    expect(after.get('http_requests_total{method="GET",route="/api/v1/applications/:id",status="401"}')).toBe(
      1,
    );
    expect([...after.keys()].some((k) => k.includes("app_123"))).toBe(false);

    const count = after.get('http_request_duration_seconds_count{method="GET",route="/healthz"}')!;
    expect(count).toBeGreaterThanOrEqual(3);
    let previous = 0;
    for (const le of [...LATENCY_BUCKETS.map(String), "+Inf"]) {
      const n = after.get(`http_request_duration_seconds_bucket{method="GET",route="/healthz",le="${le}"}`)!;
      expect(n).toBeGreaterThanOrEqual(previous);
      previous = n;
    }
    expect(previous).toBe(count);
    expect(after.get('http_request_duration_seconds_sum{method="GET",route="/healthz"}')).toBeGreaterThan(0);
  });

  it("reports applications by status, the job queue, failing jobs and process memory", async () => {
    const m = await scrape(h);
    expect(m.get('zhuxiao_applications{status="submitted"}')).toBe(1);
    // The demo's cancelled number was closed by an application.
    expect(m.get('zhuxiao_applications{status="closed"}')).toBe(1);
    expect(m.get('zhuxiao_applications{status="rejected"}')).toBe(0);
    expect(m.get('zhuxiao_jobs{status="pending"}')).toBeGreaterThanOrEqual(1);
    expect(m.get('zhuxiao_jobs{status="dead"}')).toBe(1);
    expect(m.get("zhuxiao_jobs_due")).toBeGreaterThanOrEqual(1);
    expect(m.get('zhuxiao_job_failures{task="notify.sms",state="dead"}')).toBe(1);
    expect(m.get("process_resident_memory_bytes")).toBeGreaterThan(10_000_000);
  });

  it("counts reads answered from memory and reads that went to the database", async () => {
    const agent = await h.signInStaff("agent");
    const [app] = await h.db
      .selectFrom("applications")
      .select("id")
      .where("status", "=", "submitted")
      .execute();
    const before = await scrape(h);
    for (let i = 0; i < 4; i++) {
      const r = await h.inject({
        method: "GET",
        url: `/api/v1/applications/${app!.id}`,
        headers: agent.headers,
      });
      expect(r.statusCode).toBe(200);
    }
    const after = await scrape(h);
    // The session and the answer: twice from the database (kept from the second read on), twice
    // more each from memory.
    expect(
      after.get("zhuxiao_read_cache_misses_total")! - before.get("zhuxiao_read_cache_misses_total")!,
    ).toBe(4);
    expect(after.get("zhuxiao_read_cache_hits_total")! - before.get("zhuxiao_read_cache_hits_total")!).toBe(
      4,
    );
  });
});

describe("GET /metrics with ZHUXIAO_METRICS_TOKEN", () => {
  const token = "scrape-token-0123456789";
  let h: Harness;
  beforeAll(async () => {
    process.env.ZHUXIAO_METRICS_TOKEN = token;
    try {
      h = await Harness.start({ seed: false });
    } finally {
      delete process.env.ZHUXIAO_METRICS_TOKEN;
    }
  });
  afterAll(() => h.close());

  it("answers 401 without the token or with another, and the metrics with it", async () => {
    const none = await h.inject({ method: "GET", url: "/metrics" });
    expect(none.statusCode).toBe(401);
    expect(none.headers["www-authenticate"]).toContain("Bearer");
    expect(none.body).not.toContain("http_requests_total");
    const wrong = await h.inject({
      method: "GET",
      url: "/metrics",
      headers: { authorization: "Bearer scrape-token-0123456780" },
    });
    expect(wrong.statusCode).toBe(401);
    const ok = await scrape(h, { authorization: `Bearer ${token}` });
    expect(ok.get('http_requests_total{method="GET",route="/metrics",status="401"}')).toBe(2);
  });

  it("refuses a token too short to be a secret at start-up", () => {
    expect(() => metricsToken({ ZHUXIAO_METRICS_TOKEN: "short" })).toThrow(/at least 16/);
    expect(metricsToken({})).toBeUndefined();
  });
});
