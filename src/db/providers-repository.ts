/** Providers and their validated rules. */
import { type ProviderRules, providerRulesSchema } from "../domain/rules.js";
import type { DbOrTx } from "./connect.js";
import { prepared } from "./prepared.js";
import type { ProviderRow } from "./schema.js";

const providerById = prepared<{ id: string }>()((db, a) =>
  db.selectFrom("providers").selectAll().where("id", "=", a.id),
);

export async function findProvider(db: DbOrTx, id: string): Promise<ProviderRow | undefined> {
  return providerById.first(db, { id });
}

/** The read of `findProvider`, to run with others (`together`). */
export const providerRead = (id: string) => providerById.with({ id });

export async function listProviders(db: DbOrTx): Promise<ProviderRow[]> {
  return db.selectFrom("providers").selectAll().orderBy("code").execute();
}

const parsedRules = new Map<string, ProviderRules>();
const PARSED_RULES_KEPT = 64;

function deepFreeze<T>(v: T): T {
  if (v && typeof v === "object" && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const x of Object.values(v)) deepFreeze(x);
  }
  return v;
}

/**
 * Rules were validated when stored; parsing again guards against a hand-edited row. Parsed once
 * per distinct stored text (a changed row is parsed again) and shared, frozen.
 */
export function rulesOf(provider: ProviderRow): ProviderRules {
  let rules = parsedRules.get(provider.rulesJson);
  if (!rules) {
    rules = deepFreeze(providerRulesSchema.parse(JSON.parse(provider.rulesJson)));
    if (parsedRules.size >= PARSED_RULES_KEPT) parsedRules.clear();
    parsedRules.set(provider.rulesJson, rules);
  }
  return rules;
}

/**
 * Creates or updates a provider from its rules file (validated first). A changed rule needs no code
 * change: load the new file and the next evaluation uses it.
 */
export async function upsertProvider(
  db: DbOrTx,
  rulesInput: unknown,
  id: string,
  now: string,
): Promise<ProviderRow> {
  const rules = providerRulesSchema.parse(rulesInput);
  const p = rules.provider;
  const values = {
    code: p.code,
    kind: p.kind,
    nameZh: p.nameZh,
    nameEn: p.nameEn,
    timeZone: p.timeZone,
    rulesJson: JSON.stringify(rules),
    rulesVersion: rules.version,
  };
  await db
    .insertInto("providers")
    .values({ id, createdAt: now, ...values })
    .onConflict((oc) => oc.column("code").doUpdateSet(values))
    .execute();
  return db.selectFrom("providers").selectAll().where("code", "=", p.code).executeTakeFirstOrThrow();
}
