/** A billing system simulator: final bills, arrears and pay-outs per account, each at most once. */
import { type AccountRef, type Billing, ProviderError } from "../../ports/providers.js";
import { LazyPrimer, SimulatorCore, type SimulatorOptions } from "./simulator-core.js";

interface SimAccount {
  unbilledFen: number;
  arrearsFen: number;
  finalBilled: boolean;
  payOuts: Array<{ kind: string; amountFen: number; transferTo?: string }>;
}

export class BillingSimulator implements Billing {
  readonly core: SimulatorCore;
  readonly accounts = new Map<string, SimAccount>();
  /** Loads what the books say about an account from our records (by card) on its first use. */
  readonly primer = new LazyPrimer<AccountRef, Pick<SimAccount, "unbilledFen" | "arrearsFen">>((n, v) =>
    Object.assign(this.#account(n), v),
  );
  #seq = 0;

  constructor(options: SimulatorOptions = {}) {
    this.core = new SimulatorCore("billing", options);
  }

  /** Sets what the provider's books say about an account (tests, demo). */
  seed(accountNumber: string, v: Partial<Pick<SimAccount, "unbilledFen" | "arrearsFen">>): void {
    this.#account(accountNumber);
    this.primer.touch(accountNumber);
    Object.assign(this.accounts.get(accountNumber)!, v);
  }

  #account(n: string): SimAccount {
    let a = this.accounts.get(n);
    if (!a) {
      a = { unbilledFen: 0, arrearsFen: 0, finalBilled: false, payOuts: [] };
      this.accounts.set(n, a);
    }
    return a;
  }

  #prepare(account: AccountRef): () => Promise<void> {
    return () => this.primer.ensure(account.accountNumber, account);
  }

  finalBill(ctx: Parameters<Billing["finalBill"]>[0], account: AccountRef) {
    return this.core.call(
      "finalBill",
      ctx,
      account,
      () => {
        const a = this.#account(account.accountNumber);
        // Billing the unbilled charges turns them into arrears on the final bill.
        const unbilledFen = a.unbilledFen;
        a.arrearsFen += unbilledFen;
        a.unbilledFen = 0;
        a.finalBilled = true;
        return { unbilledFen, billRef: `BILL-${++this.#seq}` };
      },
      this.#prepare(account),
    );
  }

  arrears(ctx: Parameters<Billing["arrears"]>[0], account: AccountRef) {
    return this.core.call(
      "arrears",
      ctx,
      account,
      () => ({ arrearsFen: this.#account(account.accountNumber).arrearsFen }),
      this.#prepare(account),
    );
  }

  payOut(
    ctx: Parameters<Billing["payOut"]>[0],
    account: AccountRef,
    movement: Parameters<Billing["payOut"]>[2],
  ) {
    return this.core.call(
      "payOut",
      ctx,
      { account, movement },
      () => {
        if (movement.amountFen <= 0)
          throw new ProviderError("billing.payOut: amount must be positive", false, "billing");
        this.#account(account.accountNumber).payOuts.push({ ...movement });
        return { ref: `PAY-${++this.#seq}` };
      },
      this.#prepare(account),
    );
  }
}
