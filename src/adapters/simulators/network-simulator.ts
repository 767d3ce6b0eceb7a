/**
 * A network (HLR/HSS/UDM and number management) simulator that enforces the deprovisioning order
 * of product.md §3: bar, deregister, remove the subscription, quarantine, then release or restore.
 */
import { type Network, ProviderError } from "../../ports/providers.js";
import { LazyPrimer, SimulatorCore, type SimulatorOptions } from "./simulator-core.js";

export type LineState =
  | "active"
  | "barred"
  | "deregistered"
  | "removed"
  | "quarantined"
  | "released"
  | "restored";

const NEXT: Record<string, { from: LineState[]; to: LineState }> = {
  barLine: { from: ["active"], to: "barred" },
  forceDeregister: { from: ["barred"], to: "deregistered" },
  removeSubscription: { from: ["deregistered"], to: "removed" },
  quarantineNumber: { from: ["removed"], to: "quarantined" },
  releaseNumber: { from: ["quarantined"], to: "released" },
  restoreNumber: { from: ["quarantined"], to: "restored" },
};

export class NetworkSimulator implements Network {
  readonly core: SimulatorCore;
  readonly lines = new Map<string, LineState>();
  /** Loads a line's state (by MSISDN) from our records on its first use. */
  readonly primer = new LazyPrimer<string, LineState>((msisdn, state) => this.lines.set(msisdn, state));
  #seq = 0;

  constructor(options: SimulatorOptions = {}) {
    this.core = new SimulatorCore("network", options);
  }

  #step(
    op: keyof typeof NEXT,
    ctx: Parameters<Network["barLine"]>[0],
    msisdn: string,
    extra: unknown = null,
  ) {
    return this.core.call(
      op,
      ctx,
      { msisdn, extra },
      () => {
        const state = this.lines.get(msisdn) ?? "active";
        const rule = NEXT[op]!;
        if (!rule.from.includes(state)) {
          throw new ProviderError(
            `network.${op}: line ${msisdn} is ${state}, expected ${rule.from.join("/")}`,
            false,
            "network",
          );
        }
        this.lines.set(msisdn, rule.to);
        return { ref: `NET-${++this.#seq}` };
      },
      () => this.primer.ensure(msisdn, msisdn),
    );
  }

  barLine(ctx: Parameters<Network["barLine"]>[0], msisdn: string) {
    return this.#step("barLine", ctx, msisdn);
  }
  forceDeregister(ctx: Parameters<Network["barLine"]>[0], msisdn: string) {
    return this.#step("forceDeregister", ctx, msisdn);
  }
  removeSubscription(ctx: Parameters<Network["barLine"]>[0], msisdn: string, iccid: string | null) {
    return this.#step("removeSubscription", ctx, msisdn, iccid);
  }
  quarantineNumber(ctx: Parameters<Network["barLine"]>[0], msisdn: string, until: string) {
    return this.#step("quarantineNumber", ctx, msisdn, until);
  }
  releaseNumber(ctx: Parameters<Network["barLine"]>[0], msisdn: string) {
    return this.#step("releaseNumber", ctx, msisdn);
  }
  restoreNumber(ctx: Parameters<Network["barLine"]>[0], msisdn: string) {
    return this.#step("restoreNumber", ctx, msisdn);
  }
}
