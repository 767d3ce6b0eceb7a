/**
 * Off-peak advice across branches: the three quietest bookable slots, at the branches of a
 * provider (or all) within the holder's reach, that fit the days and times they can come.
 */
import { type Actor, type AppDeps, authorize } from "../../app/context.js";
import { listBranchRows } from "../db/branches-repository.js";
import { CN_HOLIDAYS } from "../domain/holidays.js";
import { recommend } from "../domain/recommend.js";
import { type RecommendInput, toConstraints } from "./advice-input.js";
import { branchVisible, demandModels, loadBranches } from "./branch-context.js";
import { bookingsByStart } from "./get-branch-advice.js";
import { presentBranch, presentRecommendation } from "./views.js";

export async function recommendSlots(deps: AppDeps, actor: Actor, input: RecommendInput) {
  authorize(actor, "appointment.advise");
  const now = deps.clock.now();
  const rows = (await listBranchRows(deps.db, input.providerId)).filter((r) => branchVisible(actor, r));
  const branches = (await loadBranches(deps.db, rows)).filter(
    (b) => input.service === undefined || b.services.includes(input.service),
  );
  const models = await demandModels(deps.db, branches, now);
  const booked = await bookingsByStart(deps, branches, now, input.horizonDays);
  const advice = recommend(
    branches.map((b) => ({
      id: b.row.id,
      schedule: b.schedule,
      model: models.get(b.row.id)!,
      location: { lat: b.row.lat, lng: b.row.lng },
      slotCapacity: b.row.slotCapacity,
      booked: booked.get(b.row.id)!,
      monthEndCutoff: b.monthEndCutoff,
    })),
    toConstraints(input),
    CN_HOLIDAYS,
    now,
  );
  const byId = new Map(branches.map((b) => [b.row.id, b]));
  const distance = new Map(advice.branches.map((b) => [b.id, b.distanceKm]));
  return {
    generatedAt: now.toISOString(),
    recommendations: advice.recommendations.map((r, i) => ({
      ...presentRecommendation(r, i + 1),
      branch: {
        id: r.branchId,
        code: byId.get(r.branchId)!.row.code,
        nameZh: byId.get(r.branchId)!.row.nameZh,
        nameEn: byId.get(r.branchId)!.row.nameEn,
      },
    })),
    candidates: advice.candidates,
    branches: advice.branches.map((b) => presentBranch(byId.get(b.id)!, distance.get(b.id) ?? null)),
  };
}
