create table "rate_limit_counters" ("key" text primary key, "count" integer not null, "reset_at" bigint not null);
