create table "providers" ("id" text primary key, "code" text not null unique, "kind" text not null, "name_zh" text not null, "name_en" text not null, "time_zone" text not null, "rules_json" text not null, "rules_version" text not null, "created_at" text not null);

create table "holders" ("id" text primary key, "name_enc" text not null, "name_masked" text not null, "id_type" text not null, "id_number_enc" text not null, "id_number_hash" text not null unique, "id_number_masked" text not null, "phone" text not null, "real_name_verified" integer default 0 not null, "is_minor" integer default 0 not null, "preferred_language" text default 'zh-CN' not null, "created_at" text not null);

create index "holders_phone" on "holders" ("phone");

create table "cards" ("id" text primary key, "provider_id" text not null references "providers" ("id"), "holder_id" text not null references "holders" ("id"), "family" text not null, "kind" text not null, "network_generation" text, "label" text not null, "card_number_enc" text, "card_number_hash" text, "card_number_masked" text, "iccid" text unique, "msisdn" text, "eid" text, "status" text not null, "number_status" text, "quarantine_until" text, "real_name_verified" integer default 1 not null, "parent_card_id" text references "cards" ("id"), "relation" text, "bundle" text, "group_name" text, "family_plan" integer default 0 not null, "destroyed_at" text, "destroyed_how" text, "cancelled_at" text, "created_at" text not null, "updated_at" text not null);

create index "cards_holder" on "cards" ("holder_id", "provider_id");

create index "cards_parent" on "cards" ("parent_card_id");

create index "cards_msisdn" on "cards" ("msisdn");

create index "cards_card_number_hash" on "cards" ("card_number_hash");

create table "accounts" ("card_id" text primary key references "cards" ("id"), "balance_fen" bigint default 0 not null, "gifted_balance_fen" bigint default 0 not null, "deposit_fen" bigint default 0 not null, "arrears_fen" bigint default 0 not null, "unbilled_fen" bigint default 0 not null, "debt_fen" bigint default 0 not null, "instalments_fen" bigint default 0 not null, "overpayment_fen" bigint default 0 not null, "annual_fee_due_fen" bigint default 0 not null, "updated_at" text not null);

create table "lock_ins" ("id" text primary key, "card_id" text not null references "cards" ("id"), "kind" text not null, "term_end" text not null, "termination_fee_fen" bigint not null);

create index "lock_ins_card" on "lock_ins" ("card_id");

create table "bindings" ("id" text primary key, "card_id" text not null references "cards" ("id"), "service" text not null, "category" text not null, "name_zh" text not null, "name_en" text not null);

create index "bindings_card" on "bindings" ("card_id");

create table "applications" ("id" text primary key, "number" text not null unique, "card_id" text not null references "cards" ("id"), "holder_id" text not null references "holders" ("id"), "provider_id" text not null references "providers" ("id"), "batch_id" text, "batch_position" integer, "status" text not null, "channel" text not null, "reason" text, "timing" text not null, "requested_date" text, "service_end_date" text, "billing_end_date" text, "balance_option" text, "transfer_to" text, "backup_status" text not null, "backup_note" text, "unbinding_json" text not null, "proxy" integer default 0 not null, "eligibility_json" text, "info_request" text, "info_response" text, "reject_reason" text, "reject_comment" text, "failure_cause" text, "closed_how" text, "due_at" text, "created_by_type" text not null, "created_by_id" text not null, "created_at" text not null, "updated_at" text not null, "submitted_at" text, "decided_at" text, "completed_at" text, "closed_at" text, "version" integer default 1 not null);

create unique index "applications_one_open_per_card" on "applications" ("card_id") where "status" not in ('closed', 'withdrawn', 'rejected');

create index "applications_queue" on "applications" ("status", "due_at");

create index "applications_holder" on "applications" ("holder_id");

create index "applications_card" on "applications" ("card_id");

create index "applications_batch" on "applications" ("batch_id", "batch_position");

create table "documents" ("id" text primary key, "application_id" text not null references "applications" ("id"), "kind" text not null, "content_type" text not null, "size" integer not null, "sha256" text not null, "data_sealed" blob not null, "uploaded_by_type" text not null, "uploaded_by_id" text not null, "created_at" text not null);

create index "documents_application" on "documents" ("application_id");

create table "card_transactions" ("id" text primary key, "card_id" text not null references "cards" ("id"), "at" text not null, "description" text not null, "amount_fen" bigint not null, "balance_after_fen" bigint);

create index "card_transactions_card" on "card_transactions" ("card_id", "at");

create table "audit_events" ("seq" bigint primary key, "id" text not null unique, "entity_type" text not null, "entity_id" text not null, "application_id" text, "action" text not null, "actor_type" text not null, "actor_id" text not null, "reason" text, "comment" text, "before_json" text, "after_json" text, "at" text not null, "prev_hash" text not null, "hash" text not null);

create index "audit_events_application" on "audit_events" ("application_id");

create table "audit_head" ("id" integer primary key, "seq" bigint not null, "hash" text not null);

insert into "audit_head" ("id", "seq", "hash") values (?, ?, ?);
-- parameters: [1,0,"0000000000000000000000000000000000000000000000000000000000000000"]

create table "idempotency_records" ("scope" text not null, "key" text not null, "request_hash" text not null, "response_status" integer not null, "response_body" text not null, "created_at" text not null, constraint "idempotency_records_pk" primary key ("scope", "key"));

create table "jobs" ("id" integer primary key autoincrement, "task" text not null, "payload_json" text not null, "dedupe_key" text not null unique, "status" text not null, "attempts" integer default 0 not null, "max_attempts" integer default 10 not null, "run_at" text not null, "locked_at" text, "locked_by" text, "last_error" text, "created_at" text not null, "updated_at" text not null);

create index "jobs_due" on "jobs" ("status", "run_at");

create table "staff" ("id" text primary key, "username" text not null unique, "display_name" text not null, "role" text not null, "provider_id" text references "providers" ("id"), "branch" text, "password_hash" text not null, "failed_logins" integer default 0 not null, "locked_until" text, "created_at" text not null);

create table "sessions" ("token_hash" text primary key, "subject_type" text not null, "subject_id" text not null, "role" text not null, "csrf_token" text not null, "created_at" text not null, "expires_at" text not null);

create table "otp_challenges" ("id" text primary key, "purpose" text not null, "phone" text not null, "application_id" text, "code_hash" text not null, "attempts" integer default 0 not null, "expires_at" text not null, "consumed_at" text, "created_at" text not null);

create index "otp_challenges_phone" on "otp_challenges" ("phone", "created_at");
