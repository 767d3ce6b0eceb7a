/** An SM-DP+ (ES2+) simulator: retires a profile so it can never be downloaded again. */
import type { Esim } from "../../ports/providers.js";
import { SimulatorCore, type SimulatorOptions } from "./simulator-core.js";

export class EsimSimulator implements Esim {
  readonly core: SimulatorCore;
  readonly retired = new Set<string>();
  #seq = 0;

  constructor(options: SimulatorOptions = {}) {
    this.core = new SimulatorCore("esim", options);
  }

  retireProfile(ctx: Parameters<Esim["retireProfile"]>[0], iccid: string, eid: string | null) {
    return this.core.call("retireProfile", ctx, { iccid, eid }, () => {
      this.retired.add(iccid);
      return { ref: `SMDP-${++this.#seq}` };
    });
  }
}
