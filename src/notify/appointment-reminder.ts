/**
 * The day before a counter appointment (in the branch's time zone) its holder is reminded once:
 * when, where, and what to bring. Run hourly by the scheduler; the message key names the
 * appointment and its slot, so repeated runs and several workers send it once, and a rescheduled
 * appointment is reminded of its new time. SMS wait out the quiet hours like every notification.
 */
import type { AppDeps } from "../app/context.js";
import { findApplication } from "../db/applications-repository.js";
import { inTransaction } from "../db/connect.js";
import { findHolder } from "../db/holders-repository.js";
import { addDaysIso, zonedIsoDate, zonedParts } from "../domain/zoned-time.js";
import { enqueueNotifications, enqueueSms } from "./outbox.js";
import { languageOf } from "./templates.js";

/** Appointments this far ahead are looked at; "tomorrow" in any zone lies within it. */
const LOOKAHEAD_MS = 48 * 3_600_000;

function localTime(iso: string, timeZone: string): string {
  const p = zonedParts(new Date(iso), timeZone);
  return `${p.isoDate} ${String(p.hour).padStart(2, "0")}:${String(p.minute).padStart(2, "0")}`;
}

/** Enqueues the reminders due now; returns how many appointments were looked at. */
export async function remindAppointments(deps: AppDeps): Promise<number> {
  const now = deps.clock.now();
  const rows = await deps.db
    .selectFrom("appointments")
    .innerJoin("branches", "branches.id", "appointments.branchId")
    .select([
      "appointments.id",
      "appointments.holderId",
      "appointments.applicationId",
      "appointments.slotStart",
      "branches.timeZone",
      "branches.nameZh",
      "branches.nameEn",
    ])
    .where("appointments.status", "=", "booked")
    .where("appointments.slotStart", ">", now.toISOString())
    .where("appointments.slotStart", "<=", new Date(now.getTime() + LOOKAHEAD_MS).toISOString())
    .limit(1000)
    .execute();
  for (const a of rows) {
    const tomorrow = addDaysIso(zonedIsoDate(now, a.timeZone), 1);
    if (zonedIsoDate(new Date(a.slotStart), a.timeZone) !== tomorrow) continue;
    await inTransaction(deps.db, async (tx) => {
      const holder = await findHolder(tx, a.holderId);
      if (!holder) return;
      const language = languageOf(holder.preferredLanguage);
      const params = {
        time: localTime(a.slotStart, a.timeZone),
        branch: language === "en" ? a.nameEn : a.nameZh,
      };
      const occurrence = `${a.id}@${a.slotStart}`;
      const application = a.applicationId ? await findApplication(tx, a.applicationId) : undefined;
      if (application) {
        // On the application's channels, and in its timeline like every message about it.
        await enqueueNotifications(deps, tx, application, "appointment_reminder", params, { occurrence });
        return;
      }
      await enqueueSms(tx, {
        dedupeKey: `appointment:${occurrence}:appointment_reminder`,
        to: holder.phone,
        template: "appointment_reminder",
        language,
        params: { ...params, number: "" },
        now,
        timeZone: a.timeZone,
        quietHours: deps.config.smsQuietHours,
      });
    });
  }
  return rows.length;
}
