import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { erlangB, erlangC, mmc, pWaitOver } from "./erlang-c.js";

/** Erlang C from its textbook definition, summed in log space so it is exact for large c. */
function erlangCReference(c: number, a: number): number {
  const logTerm = (k: number) => k * Math.log(a) - logFactorial(k);
  const logTop = logTerm(c) + Math.log(c / (c - a));
  const terms = Array.from({ length: c }, (_, k) => logTerm(k));
  const max = Math.max(logTop, ...terms);
  const sum = terms.reduce((s, t) => s + Math.exp(t - max), 0) + Math.exp(logTop - max);
  return Math.exp(logTop - max) / sum;
}
function logFactorial(n: number): number {
  let s = 0;
  for (let k = 2; k <= n; k++) s += Math.log(k);
  return s;
}

describe("Erlang C against published values", () => {
  it("matches the M/M/2 example of Render, Stair & Hanna (Arnold's Muffler Shop: λ = 2/h, μ = 3/h)", () => {
    // Quantitative Analysis for Management, ch. "Waiting Lines and Queuing Theory Models",
    // multichannel model: P0 = 0.5, Lq = 0.083 cars, Wq = 0.0415 h = 2.5 minutes.
    const r = mmc({ arrivalsPerHour: 2, meanServiceMinutes: 20, counters: 2 });
    expect(r.expectedQueueLength).toBeCloseTo(0.083, 3);
    expect(r.expectedWaitMinutes).toBeCloseTo(2.5, 6);
    expect(r.pWait).toBeCloseTo(1 / 6, 12);
  });

  it("matches Bronson, Schaum's Outline of Operations Research (1982), problem 24.6 (M/M/3)", () => {
    // s = 3, λ = 300 a year, mean service 2 days (μ = 182.5 a year):
    // Lq = 0.352, Wq = 0.001175 year = 0.43 day.
    const r = mmc({ arrivalsPerHour: 300 / 8760, meanServiceMinutes: 2 * 1440, counters: 3 });
    expect(r.expectedQueueLength).toBeCloseTo(0.352, 3);
    expect(r.expectedWaitMinutes / 525_600).toBeCloseTo(0.001175, 6);
    expect(r.expectedWaitMinutes / 1440).toBeCloseTo(0.43, 2);
  });

  it("gives ErlangC[3, 2] = 4/9 (Wolfram Language documentation, ErlangC, basic example)", () => {
    expect(erlangC(3, 2)).toBeCloseTo(4 / 9, 14);
  });

  it("reproduces the standard Erlang B table at 1 % blocking (10, 20, 50 and 100 circuits)", () => {
    // Erlang B tables (e.g. ITU-D Teletraffic Engineering Handbook, Iversen; any call-centre
    // reference): N = 10 → 4.461 E, 20 → 12.031 E, 50 → 37.901 E, 100 → 84.064 E at B = 0.01.
    expect(erlangB(10, 4.461)).toBeCloseTo(0.01, 4);
    expect(erlangB(20, 12.031)).toBeCloseTo(0.01, 4);
    expect(erlangB(50, 37.901)).toBeCloseTo(0.01, 4);
    expect(erlangB(100, 84.064)).toBeCloseTo(0.01, 4);
  });
});

describe("Erlang C numerics", () => {
  it("agrees with the factorial definition (in log space) for c up to 50 and beyond", () => {
    for (const [c, a] of [
      [1, 0.5],
      [5, 3.7],
      [20, 15],
      [50, 45],
      [50, 49.5],
      [120, 110],
    ] as const) {
      expect(erlangC(c, a)).toBeCloseTo(erlangCReference(c, a), 10);
    }
  });

  it("stays a probability, rises with load and falls with counters (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60 }),
        fc.double({ min: 0, max: 0.999, noNaN: true }),
        (c, rho) => {
          const a = rho * c;
          const p = erlangC(c, a);
          expect(p).toBeGreaterThanOrEqual(0);
          expect(p).toBeLessThanOrEqual(1);
          expect(erlangC(c + 1, a)).toBeLessThanOrEqual(p + 1e-12);
          expect(erlangC(c, Math.min(a * 1.01, c * 0.9999))).toBeGreaterThanOrEqual(p - 1e-12);
        },
      ),
    );
  });

  it("M/M/1 reduces to the closed forms: C = ρ, Wq = ρ/(μ − λ)", () => {
    const r = mmc({ arrivalsPerHour: 4, meanServiceMinutes: 10, counters: 1 });
    expect(r.pWait).toBeCloseTo(4 / 6, 12);
    expect(r.expectedWaitMinutes).toBeCloseTo((4 / 6 / (6 - 4)) * 60, 10);
  });

  it("P(W > t) = C·e^{−(cμ−λ)t}: equals C at t = 0 and decays", () => {
    const input = { arrivalsPerHour: 20, meanServiceMinutes: 12, counters: 5 };
    const c = mmc(input).pWait;
    expect(pWaitOver(input, 0)).toBeCloseTo(c, 12);
    expect(pWaitOver(input, 15)).toBeCloseTo(c * Math.exp(-(25 - 20) * 0.25), 12);
  });

  it("has no steady state once arrivals reach the counters' capacity", () => {
    const input = { arrivalsPerHour: 30, meanServiceMinutes: 12, counters: 5 };
    expect(mmc(input)).toMatchObject({
      stable: false,
      pWait: 1,
      expectedWaitMinutes: Number.POSITIVE_INFINITY,
    });
    expect(pWaitOver(input, 15)).toBe(1);
  });

  it("refuses nonsense", () => {
    expect(() => erlangB(-1, 1)).toThrow(RangeError);
    expect(() => erlangC(0, 1)).toThrow(RangeError);
    expect(() => mmc({ arrivalsPerHour: 1, meanServiceMinutes: 0, counters: 1 })).toThrow(RangeError);
  });
});
