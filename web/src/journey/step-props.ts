import type { Application, CardDetail, Eligibility, StepKey } from "../api/types";
import type { DraftFields } from "./use-draft";

/** What every step panel of the journey gets. */
export interface StepProps {
  detail: CardDetail;
  /** The card's eligibility, not counting the holder's own open draft against it. */
  eligibility: Eligibility;
  draft: Application | null;
  /** Record choices on the draft (creating it on the first one). */
  save: (fields: DraftFields) => Promise<Application>;
  goTo: (key: StepKey) => void;
  /** Leave this step for the next one in the family's order. */
  next: () => void;
  /** Whether the card can be filed online right now (no blocker, no counter case). */
  canFile: boolean;
}
