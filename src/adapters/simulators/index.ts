/** The built-in provider systems: simulators, the default until real adapters are configured. */
import type { ProviderSystems } from "../../ports/providers.js";
import { BillingSimulator } from "./billing-simulator.js";
import { CrmSimulator } from "./crm-simulator.js";
import { EsimSimulator } from "./esim-simulator.js";
import { NetworkSimulator } from "./network-simulator.js";
import type { SimulatorOptions } from "./simulator-core.js";

export interface Simulators extends ProviderSystems {
  billing: BillingSimulator;
  crm: CrmSimulator;
  network: NetworkSimulator;
  esim: EsimSimulator;
}

export function createSimulators(options: SimulatorOptions = {}): Simulators {
  // Each system gets its own seed so their fault sequences are independent but repeatable.
  const seed = options.seed ?? 42;
  return {
    billing: new BillingSimulator({ ...options, seed: seed + 1 }),
    crm: new CrmSimulator({ ...options, seed: seed + 2 }),
    network: new NetworkSimulator({ ...options, seed: seed + 3 }),
    esim: new EsimSimulator({ ...options, seed: seed + 4 }),
  };
}
