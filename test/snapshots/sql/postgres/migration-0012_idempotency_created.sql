create index "idempotency_records_created" on "idempotency_records" ("created_at");
