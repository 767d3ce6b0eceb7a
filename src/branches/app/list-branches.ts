/** Branches, public: where to go, when they open, what they offer; nearest first given a location. */
import type { AppDeps } from "../../app/context.js";
import { listBranchRows } from "../db/branches-repository.js";
import type { BranchService } from "../domain/branch.js";
import { distanceKm } from "../domain/recommend.js";
import { branchVisible, loadBranches } from "./branch-context.js";
import { type BranchView, presentBranch } from "./views.js";

export interface ListBranchesInput {
  providerId?: string | undefined;
  service?: BranchService | undefined;
  lat?: number | undefined;
  lng?: number | undefined;
  maxDistanceKm?: number | undefined;
}

export async function listBranches(
  deps: AppDeps,
  input: ListBranchesInput,
): Promise<{ branches: BranchView[] }> {
  const rows = (await listBranchRows(deps.db, input.providerId)).filter((r) => branchVisible(null, r));
  const origin =
    input.lat !== undefined && input.lng !== undefined ? { lat: input.lat, lng: input.lng } : null;
  const views = (await loadBranches(deps.db, rows))
    .filter((b) => input.service === undefined || b.services.includes(input.service))
    .map((b) => presentBranch(b, origin ? distanceKm(origin, { lat: b.row.lat, lng: b.row.lng }) : null))
    .filter((v) => input.maxDistanceKm === undefined || (v.distanceKm ?? 0) <= input.maxDistanceKm);
  if (origin) views.sort((x, y) => (x.distanceKm ?? 0) - (y.distanceKm ?? 0));
  return { branches: views };
}
