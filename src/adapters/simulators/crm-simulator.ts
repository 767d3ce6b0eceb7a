/** A CRM/card-management simulator: block a card, pre-close and close its account, in that order. */
import { type AccountRef, type Crm, ProviderError } from "../../ports/providers.js";
import { LazyPrimer, SimulatorCore, type SimulatorOptions } from "./simulator-core.js";

export type CardState = "active" | "blocked" | "pre_closed" | "closed";

export class CrmSimulator implements Crm {
  readonly core: SimulatorCore;
  readonly cards = new Map<string, CardState>();
  /** Loads a card's state (by card id) from our records on its first use. */
  readonly primer = new LazyPrimer<string, CardState>((id, state) => this.cards.set(id, state));
  #seq = 0;

  constructor(options: SimulatorOptions = {}) {
    this.core = new SimulatorCore("crm", options);
  }

  #state(id: string): CardState {
    return this.cards.get(id) ?? "active";
  }

  blockCard(ctx: Parameters<Crm["blockCard"]>[0], account: AccountRef) {
    return this.core.call(
      "blockCard",
      ctx,
      account,
      () => {
        this.cards.set(account.cardId, "blocked");
        return { ref: `CRM-${++this.#seq}` };
      },
      () => this.primer.ensure(account.cardId, account.cardId),
    );
  }

  closeAccount(ctx: Parameters<Crm["closeAccount"]>[0], account: AccountRef, stage: "pre_close" | "close") {
    return this.core.call(
      `closeAccount.${stage}`,
      ctx,
      account,
      () => {
        const s = this.#state(account.cardId);
        // A real card system refuses to close an account whose card still works.
        if (s === "active") throw new ProviderError("crm.closeAccount: block the card first", false, "crm");
        this.cards.set(account.cardId, stage === "pre_close" ? "pre_closed" : "closed");
        return { ref: `CRM-${++this.#seq}` };
      },
      () => this.primer.ensure(account.cardId, account.cardId),
    );
  }
}
