create table "processing_steps" ("application_id" text not null references "applications" ("id"), "step" text not null, "position" integer not null, "status" text not null, "attempts" integer default 0 not null, "result_json" text, "last_error" text, "wait_until" text, "started_at" text, "finished_at" text, "updated_at" text not null, constraint "processing_steps_pk" primary key ("application_id", "step"));

create table "ledger_entries" ("id" text primary key, "application_id" text not null references "applications" ("id"), "card_id" text not null references "cards" ("id"), "kind" text not null, "amount_fen" bigint not null, "counterparty" text, "external_ref" text, "created_at" text not null);

create unique index "ledger_entries_once" on "ledger_entries" ("application_id", "kind");

alter table "accounts" add column "arrears_since" text;
