/**
 * The M/M/c queue (Erlang's delay system): Poisson arrivals at rate λ, exponential service at rate
 * μ per counter, c counters, one first-come-first-served queue. Everything here is computed from
 * the Erlang B recursion, never from factorials or powers, so it stays exact to double precision
 * for c in the hundreds (a^c / c! overflows at c ≈ 170 and loses precision well before).
 */

/**
 * Erlang B, the blocking probability of c servers offered `a` erlangs, by the recursion
 * B(0) = 1, B(k) = a·B(k−1) / (k + a·B(k−1)).
 * @throws RangeError for a negative or non-integer `c` or a negative `a`.
 */
export function erlangB(c: number, a: number): number {
  if (!Number.isInteger(c) || c < 0) throw new RangeError(`erlangB: c must be a whole number, got ${c}`);
  if (!(a >= 0)) throw new RangeError(`erlangB: a must be ≥ 0, got ${a}`);
  let b = 1;
  for (let k = 1; k <= c; k++) b = (a * b) / (k + a * b);
  return b;
}

/**
 * Erlang C, the probability that an arrival has to wait: C = c·B / (c − a·(1 − B)). It is 1 when
 * the load reaches the counters (a ≥ c): the queue then grows without bound.
 */
export function erlangC(c: number, a: number): number {
  if (!Number.isInteger(c) || c < 1) throw new RangeError(`erlangC: c must be ≥ 1, got ${c}`);
  if (a >= c) return 1;
  const b = erlangB(c, a);
  return (c * b) / (c - a * (1 - b));
}

export interface MmcInput {
  /** λ: arrivals per hour. */
  arrivalsPerHour: number;
  /** 1/μ: mean time at the counter, minutes. */
  meanServiceMinutes: number;
  /** c: counters serving. */
  counters: number;
}

export interface MmcResult {
  /** a = λ/μ, in erlangs: how many counters the arrivals would keep busy on average. */
  offeredLoad: number;
  /** ρ = a/c. */
  utilisation: number;
  /** False when ρ ≥ 1: no steady state, the queue keeps growing through the hour. */
  stable: boolean;
  /** Erlang C: probability of waiting at all. */
  pWait: number;
  /** Wq = C / (cμ − λ), minutes; Infinity when not stable. */
  expectedWaitMinutes: number;
  /** Lq = λ·Wq: people waiting on average; Infinity when not stable. */
  expectedQueueLength: number;
}

/** Steady-state figures of an M/M/c queue. A closed hour (no counters) has no queue to speak of. */
export function mmc(input: MmcInput): MmcResult {
  const { arrivalsPerHour: lambda, meanServiceMinutes, counters: c } = input;
  if (!(lambda >= 0)) throw new RangeError(`mmc: arrival rate must be ≥ 0, got ${lambda}`);
  if (!(meanServiceMinutes > 0))
    throw new RangeError(`mmc: service time must be > 0, got ${meanServiceMinutes}`);
  if (!Number.isInteger(c) || c < 1) throw new RangeError(`mmc: counters must be ≥ 1, got ${c}`);
  const mu = 60 / meanServiceMinutes;
  const a = lambda / mu;
  const utilisation = a / c;
  if (a >= c) {
    return {
      offeredLoad: a,
      utilisation,
      stable: false,
      pWait: 1,
      expectedWaitMinutes: Number.POSITIVE_INFINITY,
      expectedQueueLength: Number.POSITIVE_INFINITY,
    };
  }
  const pWait = erlangC(c, a);
  const wqHours = pWait / (c * mu - lambda);
  return {
    offeredLoad: a,
    utilisation,
    stable: true,
    pWait,
    expectedWaitMinutes: wqHours * 60,
    expectedQueueLength: lambda * wqHours,
  };
}

/**
 * P(Wq > t) = C·e^{−(cμ − λ)t}: the probability of waiting longer than `minutes`. 1 when the queue
 * is not stable.
 */
export function pWaitOver(input: MmcInput, minutes: number): number {
  const r = mmc(input);
  if (!r.stable) return 1;
  const mu = 60 / input.meanServiceMinutes;
  const drainPerHour = input.counters * mu - input.arrivalsPerHour;
  return r.pWait * Math.exp(-drainPerHour * (minutes / 60));
}
