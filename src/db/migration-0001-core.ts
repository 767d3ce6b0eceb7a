/**
 * Migration 0001_core: the schema the service started with (providers, holders, cards, accounts,
 * applications, audit, idempotency, jobs, sessions). Shipped: never edit, add the next migration.
 */
import { type Kysely, type Migration, sql } from "kysely";
import { isPostgresDb } from "./connect.js";

export const core: Migration = {
  async up(db: Kysely<unknown>) {
    const pg = isPostgresDb(db);
    await db.schema
      .createTable("providers")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("code", "text", (c) => c.notNull().unique())
      .addColumn("kind", "text", (c) => c.notNull())
      .addColumn("name_zh", "text", (c) => c.notNull())
      .addColumn("name_en", "text", (c) => c.notNull())
      .addColumn("time_zone", "text", (c) => c.notNull())
      .addColumn("rules_json", "text", (c) => c.notNull())
      .addColumn("rules_version", "text", (c) => c.notNull())
      .addColumn("created_at", "text", (c) => c.notNull())
      .execute();

    await db.schema
      .createTable("holders")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("name_enc", "text", (c) => c.notNull())
      .addColumn("name_masked", "text", (c) => c.notNull())
      .addColumn("id_type", "text", (c) => c.notNull())
      .addColumn("id_number_enc", "text", (c) => c.notNull())
      .addColumn("id_number_hash", "text", (c) => c.notNull().unique())
      .addColumn("id_number_masked", "text", (c) => c.notNull())
      .addColumn("phone", "text", (c) => c.notNull())
      .addColumn("real_name_verified", "integer", (c) => c.notNull().defaultTo(0))
      .addColumn("is_minor", "integer", (c) => c.notNull().defaultTo(0))
      .addColumn("preferred_language", "text", (c) => c.notNull().defaultTo("zh-CN"))
      .addColumn("created_at", "text", (c) => c.notNull())
      .execute();
    await db.schema.createIndex("holders_phone").on("holders").column("phone").execute();

    await db.schema
      .createTable("cards")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("provider_id", "text", (c) => c.notNull().references("providers.id"))
      .addColumn("holder_id", "text", (c) => c.notNull().references("holders.id"))
      .addColumn("family", "text", (c) => c.notNull())
      .addColumn("kind", "text", (c) => c.notNull())
      .addColumn("network_generation", "text")
      .addColumn("label", "text", (c) => c.notNull())
      .addColumn("card_number_enc", "text")
      .addColumn("card_number_hash", "text")
      .addColumn("card_number_masked", "text")
      .addColumn("iccid", "text", (c) => c.unique())
      .addColumn("msisdn", "text")
      .addColumn("eid", "text")
      .addColumn("status", "text", (c) => c.notNull())
      .addColumn("number_status", "text")
      .addColumn("quarantine_until", "text")
      .addColumn("real_name_verified", "integer", (c) => c.notNull().defaultTo(1))
      .addColumn("parent_card_id", "text", (c) => c.references("cards.id"))
      .addColumn("relation", "text")
      .addColumn("bundle", "text")
      .addColumn("group_name", "text")
      .addColumn("family_plan", "integer", (c) => c.notNull().defaultTo(0))
      .addColumn("destroyed_at", "text")
      .addColumn("destroyed_how", "text")
      .addColumn("cancelled_at", "text")
      .addColumn("created_at", "text", (c) => c.notNull())
      .addColumn("updated_at", "text", (c) => c.notNull())
      .execute();
    await db.schema.createIndex("cards_holder").on("cards").columns(["holder_id", "provider_id"]).execute();
    await db.schema.createIndex("cards_parent").on("cards").column("parent_card_id").execute();
    await db.schema.createIndex("cards_msisdn").on("cards").column("msisdn").execute();
    await db.schema.createIndex("cards_card_number_hash").on("cards").column("card_number_hash").execute();

    await db.schema
      .createTable("accounts")
      .addColumn("card_id", "text", (c) => c.primaryKey().references("cards.id"))
      .addColumn("balance_fen", "bigint", (c) => c.notNull().defaultTo(0))
      .addColumn("gifted_balance_fen", "bigint", (c) => c.notNull().defaultTo(0))
      .addColumn("deposit_fen", "bigint", (c) => c.notNull().defaultTo(0))
      .addColumn("arrears_fen", "bigint", (c) => c.notNull().defaultTo(0))
      .addColumn("unbilled_fen", "bigint", (c) => c.notNull().defaultTo(0))
      .addColumn("debt_fen", "bigint", (c) => c.notNull().defaultTo(0))
      .addColumn("instalments_fen", "bigint", (c) => c.notNull().defaultTo(0))
      .addColumn("overpayment_fen", "bigint", (c) => c.notNull().defaultTo(0))
      .addColumn("annual_fee_due_fen", "bigint", (c) => c.notNull().defaultTo(0))
      .addColumn("updated_at", "text", (c) => c.notNull())
      .execute();

    await db.schema
      .createTable("lock_ins")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("card_id", "text", (c) => c.notNull().references("cards.id"))
      .addColumn("kind", "text", (c) => c.notNull())
      .addColumn("term_end", "text", (c) => c.notNull())
      .addColumn("termination_fee_fen", "bigint", (c) => c.notNull())
      .execute();
    await db.schema.createIndex("lock_ins_card").on("lock_ins").column("card_id").execute();

    await db.schema
      .createTable("bindings")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("card_id", "text", (c) => c.notNull().references("cards.id"))
      .addColumn("service", "text", (c) => c.notNull())
      .addColumn("category", "text", (c) => c.notNull())
      .addColumn("name_zh", "text", (c) => c.notNull())
      .addColumn("name_en", "text", (c) => c.notNull())
      .execute();
    await db.schema.createIndex("bindings_card").on("bindings").column("card_id").execute();

    await db.schema
      .createTable("applications")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("number", "text", (c) => c.notNull().unique())
      .addColumn("card_id", "text", (c) => c.notNull().references("cards.id"))
      .addColumn("holder_id", "text", (c) => c.notNull().references("holders.id"))
      .addColumn("provider_id", "text", (c) => c.notNull().references("providers.id"))
      .addColumn("batch_id", "text")
      .addColumn("batch_position", "integer")
      .addColumn("status", "text", (c) => c.notNull())
      .addColumn("channel", "text", (c) => c.notNull())
      .addColumn("reason", "text")
      .addColumn("timing", "text", (c) => c.notNull())
      .addColumn("requested_date", "text")
      .addColumn("service_end_date", "text")
      .addColumn("billing_end_date", "text")
      .addColumn("balance_option", "text")
      .addColumn("transfer_to", "text")
      .addColumn("backup_status", "text", (c) => c.notNull())
      .addColumn("backup_note", "text")
      .addColumn("unbinding_json", "text", (c) => c.notNull())
      .addColumn("proxy", "integer", (c) => c.notNull().defaultTo(0))
      .addColumn("eligibility_json", "text")
      .addColumn("info_request", "text")
      .addColumn("info_response", "text")
      .addColumn("reject_reason", "text")
      .addColumn("reject_comment", "text")
      .addColumn("failure_cause", "text")
      .addColumn("closed_how", "text")
      .addColumn("due_at", "text")
      .addColumn("created_by_type", "text", (c) => c.notNull())
      .addColumn("created_by_id", "text", (c) => c.notNull())
      .addColumn("created_at", "text", (c) => c.notNull())
      .addColumn("updated_at", "text", (c) => c.notNull())
      .addColumn("submitted_at", "text")
      .addColumn("decided_at", "text")
      .addColumn("completed_at", "text")
      .addColumn("closed_at", "text")
      .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
      .execute();
    // "One open application per card" is this index, not an if (architecture.md, exactly once).
    await db.schema
      .createIndex("applications_one_open_per_card")
      .on("applications")
      .column("card_id")
      .unique()
      .where(sql.ref("status"), "not in", ["closed", "withdrawn", "rejected"])
      .execute();
    await db.schema
      .createIndex("applications_queue")
      .on("applications")
      .columns(["status", "due_at"])
      .execute();
    await db.schema.createIndex("applications_holder").on("applications").column("holder_id").execute();
    await db.schema.createIndex("applications_card").on("applications").column("card_id").execute();
    await db.schema
      .createIndex("applications_batch")
      .on("applications")
      .columns(["batch_id", "batch_position"])
      .execute();

    await db.schema
      .createTable("documents")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("application_id", "text", (c) => c.notNull().references("applications.id"))
      .addColumn("kind", "text", (c) => c.notNull())
      .addColumn("content_type", "text", (c) => c.notNull())
      .addColumn("size", "integer", (c) => c.notNull())
      .addColumn("sha256", "text", (c) => c.notNull())
      // Sealed with AES-256-GCM: document images are personal data at rest.
      .addColumn("data_sealed", pg ? "bytea" : "blob", (c) => c.notNull())
      .addColumn("uploaded_by_type", "text", (c) => c.notNull())
      .addColumn("uploaded_by_id", "text", (c) => c.notNull())
      .addColumn("created_at", "text", (c) => c.notNull())
      .execute();
    await db.schema.createIndex("documents_application").on("documents").column("application_id").execute();

    await db.schema
      .createTable("card_transactions")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("card_id", "text", (c) => c.notNull().references("cards.id"))
      .addColumn("at", "text", (c) => c.notNull())
      .addColumn("description", "text", (c) => c.notNull())
      .addColumn("amount_fen", "bigint", (c) => c.notNull())
      .addColumn("balance_after_fen", "bigint")
      .execute();
    await db.schema
      .createIndex("card_transactions_card")
      .on("card_transactions")
      .columns(["card_id", "at"])
      .execute();

    await db.schema
      .createTable("audit_events")
      .addColumn("seq", "bigint", (c) => c.primaryKey())
      .addColumn("id", "text", (c) => c.notNull().unique())
      .addColumn("entity_type", "text", (c) => c.notNull())
      .addColumn("entity_id", "text", (c) => c.notNull())
      .addColumn("application_id", "text")
      .addColumn("action", "text", (c) => c.notNull())
      .addColumn("actor_type", "text", (c) => c.notNull())
      .addColumn("actor_id", "text", (c) => c.notNull())
      .addColumn("reason", "text")
      .addColumn("comment", "text")
      .addColumn("before_json", "text")
      .addColumn("after_json", "text")
      .addColumn("at", "text", (c) => c.notNull())
      .addColumn("prev_hash", "text", (c) => c.notNull())
      .addColumn("hash", "text", (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex("audit_events_application")
      .on("audit_events")
      .column("application_id")
      .execute();

    await db.schema
      .createTable("audit_head")
      .addColumn("id", "integer", (c) => c.primaryKey())
      .addColumn("seq", "bigint", (c) => c.notNull())
      .addColumn("hash", "text", (c) => c.notNull())
      .execute();
    await db
      .insertInto("audit_head" as never)
      .values({ id: 1, seq: 0, hash: "0".repeat(64) } as never)
      .execute();

    await db.schema
      .createTable("idempotency_records")
      .addColumn("scope", "text", (c) => c.notNull())
      .addColumn("key", "text", (c) => c.notNull())
      .addColumn("request_hash", "text", (c) => c.notNull())
      .addColumn("response_status", "integer", (c) => c.notNull())
      .addColumn("response_body", "text", (c) => c.notNull())
      .addColumn("created_at", "text", (c) => c.notNull())
      .addPrimaryKeyConstraint("idempotency_records_pk", ["scope", "key"])
      .execute();

    await db.schema
      .createTable("jobs")
      .addColumn("id", pg ? "bigserial" : "integer", (c) =>
        pg ? c.primaryKey() : c.primaryKey().autoIncrement(),
      )
      .addColumn("task", "text", (c) => c.notNull())
      .addColumn("payload_json", "text", (c) => c.notNull())
      .addColumn("dedupe_key", "text", (c) => c.notNull().unique())
      .addColumn("status", "text", (c) => c.notNull())
      .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
      .addColumn("max_attempts", "integer", (c) => c.notNull().defaultTo(10))
      .addColumn("run_at", "text", (c) => c.notNull())
      .addColumn("locked_at", "text")
      .addColumn("locked_by", "text")
      .addColumn("last_error", "text")
      .addColumn("created_at", "text", (c) => c.notNull())
      .addColumn("updated_at", "text", (c) => c.notNull())
      .execute();
    await db.schema.createIndex("jobs_due").on("jobs").columns(["status", "run_at"]).execute();

    await db.schema
      .createTable("staff")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("username", "text", (c) => c.notNull().unique())
      .addColumn("display_name", "text", (c) => c.notNull())
      .addColumn("role", "text", (c) => c.notNull())
      .addColumn("provider_id", "text", (c) => c.references("providers.id"))
      .addColumn("branch", "text")
      .addColumn("password_hash", "text", (c) => c.notNull())
      .addColumn("failed_logins", "integer", (c) => c.notNull().defaultTo(0))
      .addColumn("locked_until", "text")
      .addColumn("created_at", "text", (c) => c.notNull())
      .execute();

    await db.schema
      .createTable("sessions")
      .addColumn("token_hash", "text", (c) => c.primaryKey())
      .addColumn("subject_type", "text", (c) => c.notNull())
      .addColumn("subject_id", "text", (c) => c.notNull())
      .addColumn("role", "text", (c) => c.notNull())
      .addColumn("csrf_token", "text", (c) => c.notNull())
      .addColumn("created_at", "text", (c) => c.notNull())
      .addColumn("expires_at", "text", (c) => c.notNull())
      .execute();

    await db.schema
      .createTable("otp_challenges")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("purpose", "text", (c) => c.notNull())
      .addColumn("phone", "text", (c) => c.notNull())
      .addColumn("application_id", "text")
      .addColumn("code_hash", "text", (c) => c.notNull())
      .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
      .addColumn("expires_at", "text", (c) => c.notNull())
      .addColumn("consumed_at", "text")
      .addColumn("created_at", "text", (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex("otp_challenges_phone")
      .on("otp_challenges")
      .columns(["phone", "created_at"])
      .execute();
  },
};
