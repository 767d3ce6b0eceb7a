/**
 * Deleting an eSIM profile with proof (card-tech.md §3.2): find it, disable it if enabled,
 * delete it, then hand each deletion notification the eUICC queued to its SM-DP+ (ES9+) and
 * remove it from the chip only once the SM-DP+ accepted it. The SM-DP+ tells the operator (ES2+),
 * which closes the application as `profile_deleted`.
 *
 * Deleting the profile and cancelling the subscription are independent: both are needed.
 */
import { CardError } from "./errors.js";
import { type Es9Options, sendHandleNotification, smdpBaseUrl } from "./es9.js";
import type { NotificationMetadata } from "./es10.js";
import type { EuiccClient } from "./euicc.js";

export interface NotificationOutcome {
  seq: number;
  events: NotificationMetadata["events"];
  address: string;
  url: string;
  /** HTTP status from the SM-DP+, or null when it could not be reached. */
  status: number | null;
  removedFromChip: boolean;
  error: string | null;
}

export interface DeletionReport {
  iccid: string;
  /** The profile was enabled and had to be disabled first. */
  disabled: boolean;
  deleted: true;
  notifications: NotificationOutcome[];
}

function sameIccid(a: string, b: string): boolean {
  return a.toUpperCase().replace(/F+$/, "") === b.toUpperCase().replace(/F+$/, "");
}

/** Sends the queued notifications matching `filter`, removing each one the SM-DP+ accepted. */
export async function processNotifications(
  euicc: EuiccClient,
  filter: (m: NotificationMetadata) => boolean,
  es9: Es9Options = {},
): Promise<NotificationOutcome[]> {
  const out: NotificationOutcome[] = [];
  for (const meta of (await euicc.listNotifications()).filter(filter)) {
    const url = smdpBaseUrl(meta.address, es9);
    const pending = await euicc.retrieveNotification(meta.seq);
    if (!pending) {
      out.push({
        seq: meta.seq,
        events: meta.events,
        address: meta.address,
        url,
        status: null,
        removedFromChip: false,
        error: "not retrievable",
      });
      continue;
    }
    try {
      const status = await sendHandleNotification(meta.address, pending.der, es9);
      const removedFromChip = await euicc.removeNotification(meta.seq);
      out.push({
        seq: meta.seq,
        events: meta.events,
        address: meta.address,
        url,
        status,
        removedFromChip,
        error: null,
      });
    } catch (err) {
      if (!(err instanceof CardError)) throw err;
      // Kept on the chip: `zhuxiao esim delete` can be run again to send it.
      const status = typeof err.params.status === "number" ? err.params.status : null;
      out.push({
        seq: meta.seq,
        events: meta.events,
        address: meta.address,
        url,
        status,
        removedFromChip: false,
        error: err.message,
      });
    }
  }
  return out;
}

/**
 * Deletes the profile `iccid`. Refuses early when the profile's policy forbids deletion (ppr2)
 * rather than letting the eUICC say `disallowedByPolicy` half-way. When the profile is already
 * gone, pending deletion notifications for it are still sent, so a run that failed at the
 * network step can be repeated.
 */
export async function deleteEsimProfile(
  euicc: EuiccClient,
  iccid: string,
  es9: Es9Options = {},
): Promise<DeletionReport> {
  const profiles = await euicc.profiles();
  const profile = profiles.find((p) => sameIccid(p.iccid, iccid));
  let disabled = false;
  if (profile) {
    if (profile.ppr.deleteNotAllowed) {
      throw new CardError("ESIM_OPERATION_FAILED", {
        operation: "delete",
        iccid,
        result: "the profile's policy rule ppr2 forbids deleting it; the operator must lift it",
      });
    }
    if (profile.state === "enabled") {
      await euicc.disableProfile(profile.iccid);
      disabled = true;
    }
    await euicc.deleteProfile(profile.iccid);
  } else {
    const pending = (await euicc.listNotifications()).some((m) => m.iccid && sameIccid(m.iccid, iccid));
    if (!pending) {
      throw new CardError("ESIM_PROFILE_NOT_FOUND", {
        iccid,
        present: profiles.map((p) => `${p.iccid} (${p.state})`).join(", ") || "none",
      });
    }
  }
  // Every pending notification of this profile goes (the disable one too, which the SM-DP+
  // expects as well); the deletion notification is the proof.
  const notifications = await processNotifications(
    euicc,
    (m) => m.iccid !== null && sameIccid(m.iccid, iccid),
    es9,
  );
  return { iccid, disabled, deleted: true, notifications };
}
