create table "branches" ("id" text primary key, "provider_id" text not null references "providers" ("id"), "code" text not null unique, "name_zh" text not null, "name_en" text not null, "time_zone" text not null, "address_zh" text not null, "address_en" text not null, "lat" double precision not null, "lng" double precision not null, "counters" integer not null, "services_json" text not null, "opening_hours_json" text not null, "slot_minutes" integer not null, "slot_capacity" integer not null, "created_at" text not null, "updated_at" text not null);

create index "branches_provider" on "branches" ("provider_id");

create table "branch_slots" ("branch_id" text not null references "branches" ("id"), "start_at" text not null, "end_at" text not null, "capacity" integer not null, "booked" integer default 0 not null, constraint "branch_slots_pk" primary key ("branch_id", "start_at"), constraint "branch_slots_booked_range" check (booked >= 0 and booked <= capacity));

create table "appointments" ("id" text primary key, "branch_id" text not null references "branches" ("id"), "holder_id" text not null references "holders" ("id"), "application_id" text references "applications" ("id"), "service" text, "slot_start" text not null, "slot_end" text not null, "status" text not null, "visit_id" text, "created_at" text not null, "updated_at" text not null, "checked_in_at" text, "served_at" text, "cancelled_at" text, "no_show_at" text, "version" integer default 1 not null);

create index "appointments_branch_slot" on "appointments" ("branch_id", "slot_start");

create index "appointments_holder" on "appointments" ("holder_id", "slot_start");

create unique index "appointments_one_per_holder_slot" on "appointments" ("holder_id", "branch_id", "slot_start") where "status" = 'booked';

create table "branch_visits" ("id" text primary key, "branch_id" text not null references "branches" ("id"), "appointment_id" text references "appointments" ("id"), "status" text not null, "arrived_at" text not null, "service_started_at" text, "served_at" text, "counter" integer, "local_date" text not null, "hour" integer not null);

create index "branch_visits_branch_arrived" on "branch_visits" ("branch_id", "arrived_at");

create unique index "branch_visits_one_per_appointment" on "branch_visits" ("appointment_id");

create table "branch_hourly_load" ("branch_id" text not null references "branches" ("id"), "local_date" text not null, "hour" integer not null, "profile_weekday" integer not null, "month_end" integer not null, "holiday" integer not null, "arrivals" integer default 0 not null, "served" integer default 0 not null, "service_seconds" bigint default 0 not null, "service_count" integer default 0 not null, "wait_seconds" bigint default 0 not null, "wait_count" integer default 0 not null, constraint "branch_hourly_load_pk" primary key ("branch_id", "local_date", "hour"));
