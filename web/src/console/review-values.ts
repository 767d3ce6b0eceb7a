/** Small helpers the review screen's parts share. */

/** Statuses in which the pipeline is moving, so the screen polls faster. */
export const MOVING = ["approved", "processing"];

/** A value, or a dash where there is none. */
export function none(v: unknown): string {
  return v === null || v === undefined || v === "" ? "—" : String(v);
}
