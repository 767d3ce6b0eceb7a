/**
 * Turns the holder's draft choices into column values, checking what can be checked before
 * submission: reasons for waivers and skips, binding ids, the transfer number.
 */
import type { ApplicationPatch } from "../db/schema.js";
import { checkMobile } from "../domain/identifiers.js";
import type { DraftFields, UnbindingItem } from "./application-input.js";
import { AppError } from "./errors.js";

export function mergeUnbinding(
  current: UnbindingItem[],
  updates: UnbindingItem[] | undefined,
  knownIds: Set<string>,
): UnbindingItem[] {
  if (!updates) return current;
  const byId = new Map(current.map((i) => [i.bindingId, i]));
  for (const u of updates) {
    if (!knownIds.has(u.bindingId))
      throw new AppError(
        "VALIDATION_FAILED",
        { field: "unbinding", bindingId: u.bindingId },
        `unknown binding ${u.bindingId}`,
      );
    if (u.state === "skipped" && !u.reason)
      throw new AppError("REASON_REQUIRED", { field: "unbinding", bindingId: u.bindingId });
    byId.set(u.bindingId, u);
  }
  return [...byId.values()];
}

export function draftPatch(
  fields: DraftFields,
  current: { unbinding: UnbindingItem[]; bindingIds: Set<string> },
): ApplicationPatch {
  const patch: ApplicationPatch = {};
  if (fields.reason !== undefined) patch.reason = fields.reason;
  if (fields.timing !== undefined) patch.timing = fields.timing;
  if (fields.requestedDate !== undefined) patch.requestedDate = fields.requestedDate;
  if (fields.balanceOption !== undefined) patch.balanceOption = fields.balanceOption;
  if (fields.transferTo !== undefined) {
    const m = checkMobile(fields.transferTo);
    if (!m.ok) throw new AppError("TRANSFER_TARGET_INVALID", { field: "transferTo", reason: m.code });
    patch.transferTo = m.value;
  }
  if (fields.backup !== undefined) {
    if (fields.backup.status === "waived" && !fields.backup.note)
      throw new AppError("REASON_REQUIRED", { field: "backup.note" });
    patch.backupStatus = fields.backup.status;
    patch.backupNote = fields.backup.note ?? null;
  }
  if (fields.unbinding !== undefined) {
    patch.unbindingJson = JSON.stringify(
      mergeUnbinding(current.unbinding, fields.unbinding, current.bindingIds),
    );
  }
  if (fields.proxy !== undefined) patch.proxy = fields.proxy ? 1 : 0;
  return patch;
}
