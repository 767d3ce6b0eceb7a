/**
 * Migration 0008_branches (listed in src/db/migrations.ts): branches, appointment slots,
 * appointments, counter visits (the observations) and the hourly load the queueing model reads.
 * Schema builder only, so it runs unchanged on SQLite and PostgreSQL.
 */
import { type Kysely, type Migration, sql } from "kysely";

export const branchesMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable("branches")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("provider_id", "text", (c) => c.notNull().references("providers.id"))
      .addColumn("code", "text", (c) => c.notNull().unique())
      .addColumn("name_zh", "text", (c) => c.notNull())
      .addColumn("name_en", "text", (c) => c.notNull())
      .addColumn("time_zone", "text", (c) => c.notNull())
      .addColumn("address_zh", "text", (c) => c.notNull())
      .addColumn("address_en", "text", (c) => c.notNull())
      .addColumn("lat", "double precision", (c) => c.notNull())
      .addColumn("lng", "double precision", (c) => c.notNull())
      .addColumn("counters", "integer", (c) => c.notNull())
      .addColumn("services_json", "text", (c) => c.notNull())
      .addColumn("opening_hours_json", "text", (c) => c.notNull())
      .addColumn("slot_minutes", "integer", (c) => c.notNull())
      .addColumn("slot_capacity", "integer", (c) => c.notNull())
      .addColumn("created_at", "text", (c) => c.notNull())
      .addColumn("updated_at", "text", (c) => c.notNull())
      .execute();
    await db.schema.createIndex("branches_provider").on("branches").column("provider_id").execute();

    // A slot row exists once someone books it. "Never more than capacity" is the guarded
    // `booked = booked + 1 … WHERE booked < capacity`, and this check backs it up.
    await db.schema
      .createTable("branch_slots")
      .addColumn("branch_id", "text", (c) => c.notNull().references("branches.id"))
      .addColumn("start_at", "text", (c) => c.notNull())
      .addColumn("end_at", "text", (c) => c.notNull())
      .addColumn("capacity", "integer", (c) => c.notNull())
      .addColumn("booked", "integer", (c) => c.notNull().defaultTo(0))
      .addPrimaryKeyConstraint("branch_slots_pk", ["branch_id", "start_at"])
      .addCheckConstraint("branch_slots_booked_range", sql`booked >= 0 and booked <= capacity`)
      .execute();

    await db.schema
      .createTable("appointments")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("branch_id", "text", (c) => c.notNull().references("branches.id"))
      .addColumn("holder_id", "text", (c) => c.notNull().references("holders.id"))
      .addColumn("application_id", "text", (c) => c.references("applications.id"))
      .addColumn("service", "text")
      .addColumn("slot_start", "text", (c) => c.notNull())
      .addColumn("slot_end", "text", (c) => c.notNull())
      .addColumn("status", "text", (c) => c.notNull())
      .addColumn("visit_id", "text")
      .addColumn("created_at", "text", (c) => c.notNull())
      .addColumn("updated_at", "text", (c) => c.notNull())
      .addColumn("checked_in_at", "text")
      .addColumn("served_at", "text")
      .addColumn("cancelled_at", "text")
      .addColumn("no_show_at", "text")
      .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
      .execute();
    await db.schema
      .createIndex("appointments_branch_slot")
      .on("appointments")
      .columns(["branch_id", "slot_start"])
      .execute();
    await db.schema
      .createIndex("appointments_holder")
      .on("appointments")
      .columns(["holder_id", "slot_start"])
      .execute();
    // A holder holds a slot once: a second booking of the same slot is refused by the index.
    await db.schema
      .createIndex("appointments_one_per_holder_slot")
      .on("appointments")
      .columns(["holder_id", "branch_id", "slot_start"])
      .unique()
      .where(sql.ref("status"), "=", "booked")
      .execute();

    // One row per arrival at a counter: the observations the model learns from.
    await db.schema
      .createTable("branch_visits")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("branch_id", "text", (c) => c.notNull().references("branches.id"))
      .addColumn("appointment_id", "text", (c) => c.references("appointments.id"))
      .addColumn("status", "text", (c) => c.notNull())
      .addColumn("arrived_at", "text", (c) => c.notNull())
      .addColumn("service_started_at", "text")
      .addColumn("served_at", "text")
      .addColumn("counter", "integer")
      .addColumn("local_date", "text", (c) => c.notNull())
      .addColumn("hour", "integer", (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex("branch_visits_branch_arrived")
      .on("branch_visits")
      .columns(["branch_id", "arrived_at"])
      .execute();
    // Checked in once: a second check-in of an appointment cannot open a second visit.
    await db.schema
      .createIndex("branch_visits_one_per_appointment")
      .on("branch_visits")
      .column("appointment_id")
      .unique()
      .execute();

    // The observations summed per branch, local date and hour: what the model reads (a year is
    // ~3,500 rows per branch instead of one per visit). Weekday profile and day flags are stored
    // so the model can group in SQL.
    await db.schema
      .createTable("branch_hourly_load")
      .addColumn("branch_id", "text", (c) => c.notNull().references("branches.id"))
      .addColumn("local_date", "text", (c) => c.notNull())
      .addColumn("hour", "integer", (c) => c.notNull())
      .addColumn("profile_weekday", "integer", (c) => c.notNull())
      .addColumn("month_end", "integer", (c) => c.notNull())
      .addColumn("holiday", "integer", (c) => c.notNull())
      .addColumn("arrivals", "integer", (c) => c.notNull().defaultTo(0))
      .addColumn("served", "integer", (c) => c.notNull().defaultTo(0))
      .addColumn("service_seconds", "bigint", (c) => c.notNull().defaultTo(0))
      .addColumn("service_count", "integer", (c) => c.notNull().defaultTo(0))
      .addColumn("wait_seconds", "bigint", (c) => c.notNull().defaultTo(0))
      .addColumn("wait_count", "integer", (c) => c.notNull().defaultTo(0))
      .addPrimaryKeyConstraint("branch_hourly_load_pk", ["branch_id", "local_date", "hour"])
      .execute();
  },
};
