/**
 * What every use case receives: its dependencies and the actor on whose behalf it runs.
 */
import type { Config } from "../config.js";
import type { Db } from "../db/connect.js";
import { type Action, can, type Role } from "../domain/policy.js";
import type { Clock, Ids, PasswordHasher, PiiVault } from "../ports/index.js";
import type { ProviderSystems } from "../ports/providers.js";
import type { SigningKeys } from "../receipts/keys.js";
import { AppError } from "./errors.js";

export interface AppDeps {
  db: Db;
  clock: Clock;
  ids: Ids;
  vault: PiiVault;
  hasher: PasswordHasher;
  config: Readonly<Config>;
  /** Billing, CRM, network and eSIM systems: simulators by default. */
  providers: ProviderSystems;
  /** Ed25519 keys that sign receipts and certificates. */
  signingKeys: SigningKeys;
  /** Called after a commit that enqueued jobs, so an in-process worker picks them up at once. */
  onJobsEnqueued?: () => void;
}

export type Actor =
  | { type: "holder"; id: string; role: "holder" }
  | { type: "staff"; id: string; role: "agent" | "supervisor" | "admin"; providerId: string | null }
  | { type: "system"; id: string; role: "system" }
  /** A provider's own system, through an API key scoped to that provider. */
  | { type: "provider"; id: string; role: "provider"; providerId: string };

export const SYSTEM_ACTOR: Actor = { type: "system", id: "system", role: "system" };

export function authorize(actor: Actor, action: Action): void {
  if (!can(actor.role as Role, action)) throw new AppError("FORBIDDEN", { action });
}
