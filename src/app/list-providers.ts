/**
 * The providers (issuers and operators) an actor deals with, for naming them in lists and filters:
 * staff of one provider and provider systems see their own; other staff and holders see all.
 */
import { listProviders } from "../db/providers-repository.js";
import type { ProviderRow } from "../db/schema.js";
import type { Actor, AppDeps } from "./context.js";

export async function providersFor(deps: Pick<AppDeps, "db">, actor: Actor): Promise<ProviderRow[]> {
  const all = await listProviders(deps.db);
  const own = "providerId" in actor ? actor.providerId : null;
  return own ? all.filter((p) => p.id === own) : all;
}
