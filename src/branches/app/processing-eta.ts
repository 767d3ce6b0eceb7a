/**
 * Public: how long an online application filed now will take at a provider, from its backlog and
 * the applications it completed over the last four weeks ("about a week" / "约一周").
 */
import type { AppDeps } from "../../app/context.js";
import { AppError } from "../../app/errors.js";
import { findProvider, rulesOf } from "../../db/providers-repository.js";
import { providerThroughput } from "../db/branches-repository.js";
import { utcToLocal } from "../domain/calendar.js";
import { processingEta } from "../domain/eta.js";

export const THROUGHPUT_WINDOW_DAYS = 28;

export async function getProcessingEta(deps: AppDeps, input: { providerId: string }) {
  const provider = await findProvider(deps.db, input.providerId);
  if (!provider) throw new AppError("PROVIDER_NOT_FOUND", { providerId: input.providerId });
  const now = deps.clock.now();
  const since = new Date(now.getTime() - THROUGHPUT_WINDOW_DAYS * 86_400_000).toISOString();
  const { backlog, completed } = await providerThroughput(deps.db, provider.id, since);
  const eta = processingEta({
    backlog,
    completed,
    windowDays: THROUGHPUT_WINDOW_DAYS,
    slaDays: rulesOf(provider).rules.slaDays.value,
    today: utcToLocal(now, provider.timeZone).date,
  });
  return {
    providerId: provider.id,
    backlog,
    completedInWindow: completed,
    windowDays: THROUGHPUT_WINDOW_DAYS,
    throughputPerDay: Math.round(eta.throughputPerDay * 100) / 100,
    days: Math.round(eta.days * 10) / 10,
    basis: eta.basis,
    expectedBy: eta.expectedBy,
    wording: eta.wording,
  };
}
