/**
 * What every provider-system simulator shares: seeded latency, an injectable failure rate, and a
 * memory of idempotency keys so that a retried call returns the first answer and changes nothing.
 * The calls each simulator saw are kept for tests to inspect.
 */
import { type ProviderCallContext, ProviderError } from "../../ports/providers.js";

export interface SimulatorOptions {
  /** Probability in [0, 1] that a call fails with a retryable error before doing anything. */
  failureRate?: number;
  /** Probability that a call does its work but the answer is "lost" (a timeout after success). */
  lostReplyRate?: number;
  latencyMs?: number;
  seed?: number;
  /** Fail these operations on their first N calls, deterministically (for tests). */
  failFirst?: Record<string, number>;
}

export interface SimulatorCall {
  op: string;
  key: string;
  args: unknown;
  outcome: "ok" | "replayed" | "failed" | "lost_reply";
}

export class SimulatorCore {
  readonly calls: SimulatorCall[] = [];
  readonly #results = new Map<string, unknown>();
  readonly #failCounts = new Map<string, number>();
  #state: number;
  readonly options: SimulatorOptions;

  constructor(
    readonly system: string,
    options: SimulatorOptions = {},
  ) {
    this.options = options;
    this.#state = (options.seed ?? 42) >>> 0 || 1;
  }

  /** xorshift32: deterministic for a seed, so a failing run can be replayed. */
  #random(): number {
    let x = this.#state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.#state = x >>> 0;
    return this.#state / 2 ** 32;
  }

  async #latency(): Promise<void> {
    const base = this.options.latencyMs ?? 0;
    if (base > 0) await new Promise((r) => setTimeout(r, base * (0.5 + this.#random())));
  }

  /**
   * Runs `work` at most once per idempotency key, with the configured latency and faults.
   * `prepare` (the lazy priming of the state `work` touches) runs first.
   */
  async call<T>(
    op: string,
    ctx: ProviderCallContext,
    args: unknown,
    work: () => T,
    prepare?: () => Promise<void>,
  ): Promise<T> {
    await this.#latency();
    if (prepare) await prepare();
    const key = `${op}:${ctx.idempotencyKey}`;
    if (this.#results.has(key)) {
      this.calls.push({ op, key, args, outcome: "replayed" });
      return this.#results.get(key) as T;
    }
    const budget = this.options.failFirst?.[op] ?? 0;
    const seen = this.#failCounts.get(op) ?? 0;
    if (seen < budget || this.#random() < (this.options.failureRate ?? 0)) {
      this.#failCounts.set(op, seen + 1);
      this.calls.push({ op, key, args, outcome: "failed" });
      throw new ProviderError(`${this.system}.${op}: simulated outage`, true, this.system);
    }
    const result = work();
    this.#results.set(key, result);
    if (this.#random() < (this.options.lostReplyRate ?? 0)) {
      this.calls.push({ op, key, args, outcome: "lost_reply" });
      throw new ProviderError(
        `${this.system}.${op}: simulated timeout after the work was done`,
        true,
        this.system,
      );
    }
    this.calls.push({ op, key, args, outcome: "ok" });
    return result;
  }

  /** Calls that did the work (not replays or failures), per operation: the "exactly once" count. */
  effective(op: string): number {
    return this.calls.filter((c) => c.op === op && (c.outcome === "ok" || c.outcome === "lost_reply")).length;
  }
}

/**
 * Primes a simulator's state for one key from our records the first time the simulator touches
 * that key after `reset` (primeSimulators), instead of loading every card at start: a process
 * holds only what it used. A key written since (by a call or a seed) is never loaded over.
 */
export class LazyPrimer<A, V> {
  #load?: (arg: A) => Promise<V | undefined>;
  readonly #fresh = new Set<string>();

  constructor(private readonly apply: (key: string, value: V) => void) {}

  /** From now on, each key is loaded once more, on its first use. */
  reset(load: (arg: A) => Promise<V | undefined>): void {
    this.#load = load;
    this.#fresh.clear();
  }

  /** The key's state was set explicitly: never load over it. */
  touch(key: string): void {
    if (this.#load) this.#fresh.add(key);
  }

  async ensure(key: string, arg: A): Promise<void> {
    const load = this.#load;
    if (!load || this.#fresh.has(key)) return;
    const value = await load(arg);
    // Another call for the same key may have loaded it (and changed it) meanwhile.
    if (this.#load !== load || this.#fresh.has(key)) return;
    this.#fresh.add(key);
    if (value !== undefined) this.apply(key, value);
  }
}
