alter table "holders" add column "email" text;

alter table "holders" add column "notify_channels" text default 'sms' not null;

create table "receipts" ("id" text primary key, "application_id" text not null references "applications" ("id"), "kind" text not null, "jws" text not null, "kid" text not null, "created_at" text not null);

create unique index "receipts_once" on "receipts" ("application_id", "kind");

create table "notification_deliveries" ("message_key" text primary key, "application_id" text, "channel" text not null, "template" text not null, "status" text not null, "detail" text, "attempts" integer not null, "at" text not null);

create index "notification_deliveries_application" on "notification_deliveries" ("application_id");
