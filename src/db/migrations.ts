/**
 * The migrations list, in code, shared by SQLite and PostgreSQL. Each migration is append-only:
 * never edit one that has shipped, add the next.
 */
import { type Kysely, type Migration, type MigrationProvider, Migrator, PostgresAdapter, sql } from "kysely";
import { branchesMigration } from "../branches/db/migration.js";

function isPostgres(db: Kysely<unknown>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

const core: Migration = {
  async up(db: Kysely<unknown>) {
    const pg = isPostgres(db);
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

/** The processing pipeline's step records and the money ledger; arrears age for the ladder. */
const processing: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable("processing_steps")
      .addColumn("application_id", "text", (c) => c.notNull().references("applications.id"))
      .addColumn("step", "text", (c) => c.notNull())
      .addColumn("position", "integer", (c) => c.notNull())
      .addColumn("status", "text", (c) => c.notNull())
      .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
      .addColumn("result_json", "text")
      .addColumn("last_error", "text")
      .addColumn("wait_until", "text")
      .addColumn("started_at", "text")
      .addColumn("finished_at", "text")
      .addColumn("updated_at", "text", (c) => c.notNull())
      .addPrimaryKeyConstraint("processing_steps_pk", ["application_id", "step"])
      .execute();

    await db.schema
      .createTable("ledger_entries")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("application_id", "text", (c) => c.notNull().references("applications.id"))
      .addColumn("card_id", "text", (c) => c.notNull().references("cards.id"))
      .addColumn("kind", "text", (c) => c.notNull())
      .addColumn("amount_fen", "bigint", (c) => c.notNull())
      .addColumn("counterparty", "text")
      .addColumn("external_ref", "text")
      .addColumn("created_at", "text", (c) => c.notNull())
      .execute();
    // Every money movement exists at most once per application and kind (architecture.md).
    await db.schema
      .createIndex("ledger_entries_once")
      .on("ledger_entries")
      .columns(["application_id", "kind"])
      .unique()
      .execute();

    await db.schema.alterTable("accounts").addColumn("arrears_since", "text").execute();
  },
};

/** API keys for provider systems: only a hash of the secret is kept. */
const apiKeys: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable("api_keys")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("name", "text", (c) => c.notNull())
      .addColumn("provider_id", "text", (c) => c.notNull().references("providers.id"))
      .addColumn("secret_hash", "text", (c) => c.notNull())
      .addColumn("scopes", "text", (c) => c.notNull())
      .addColumn("created_at", "text", (c) => c.notNull())
      .addColumn("revoked_at", "text")
      .execute();
  },
};

/** The branch an application was taken at (counter applications), for the queue and the load chart. */
const applicationBranch: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable("applications").addColumn("branch", "text").execute();
  },
};

/**
 * Receipts and certificates (one of each per application, signed once), where holders want to be
 * told (SMS, e-mail), and the final outcome of each notification, recorded when its job finishes.
 */
const receiptsNotify: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable("holders").addColumn("email", "text").execute();
    await db.schema
      .alterTable("holders")
      .addColumn("notify_channels", "text", (c) => c.notNull().defaultTo("sms"))
      .execute();

    await db.schema
      .createTable("receipts")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("application_id", "text", (c) => c.notNull().references("applications.id"))
      .addColumn("kind", "text", (c) => c.notNull())
      .addColumn("jws", "text", (c) => c.notNull())
      .addColumn("kid", "text", (c) => c.notNull())
      .addColumn("created_at", "text", (c) => c.notNull())
      .execute();
    // Issued exactly once: a second issue in a retried transaction is a no-op, not a second document.
    await db.schema
      .createIndex("receipts_once")
      .on("receipts")
      .columns(["application_id", "kind"])
      .unique()
      .execute();

    await db.schema
      .createTable("notification_deliveries")
      .addColumn("message_key", "text", (c) => c.primaryKey())
      .addColumn("application_id", "text")
      .addColumn("channel", "text", (c) => c.notNull())
      .addColumn("template", "text", (c) => c.notNull())
      .addColumn("status", "text", (c) => c.notNull())
      .addColumn("detail", "text")
      .addColumn("attempts", "integer", (c) => c.notNull())
      .addColumn("at", "text", (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex("notification_deliveries_application")
      .on("notification_deliveries")
      .column("application_id")
      .execute();
  },
};

/** Staff second factor: a sealed TOTP secret, enabled once confirmed with a code. */
const staffTotp: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable("staff").addColumn("totp_secret_sealed", "text").execute();
    await db.schema
      .alterTable("staff")
      .addColumn("totp_enabled", "integer", (c) => c.notNull().defaultTo(0))
      .execute();
  },
};

/**
 * Indexes for the staff queue's common filters and sorts (docs/performance.md): each page is one
 * ordered, limited index read instead of a sort of every match. (status, due_at, id) replaces
 * (status, due_at), which it covers. Plain indexes only, the same on SQLite and PostgreSQL.
 */
const hotPathIndexes: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.createIndex("applications_due").on("applications").columns(["due_at", "id"]).execute();
    await db.schema
      .createIndex("applications_created")
      .on("applications")
      .columns(["created_at desc", "id"])
      .execute();
    await db.schema
      .createIndex("applications_status_due")
      .on("applications")
      .columns(["status", "due_at", "id"])
      .execute();
    await db.schema
      .createIndex("applications_provider_status_due")
      .on("applications")
      .columns(["provider_id", "status", "due_at", "id"])
      .execute();
    await db.schema
      .createIndex("applications_branch_status_due")
      .on("applications")
      .columns(["branch", "status", "due_at", "id"])
      .execute();
    await db.schema.dropIndex("applications_queue").execute();
    // A filter on the card's family probes the card per application: this makes the probe one
    // small index read instead of an index and a row.
    await db.schema.createIndex("cards_id_family").on("cards").columns(["id", "family"]).execute();
  },
};

/** Rate-limit counters in the database, so that many API processes share one limit. */
const rateLimitCounters: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable("rate_limit_counters")
      .addColumn("key", "text", (c) => c.primaryKey())
      .addColumn("count", "integer", (c) => c.notNull())
      .addColumn("reset_at", "bigint", (c) => c.notNull())
      .execute();
  },
};

export const MIGRATIONS: Record<string, Migration> = {
  "0001_core": core,
  "0003_processing": processing,
  "0004_api_keys": apiKeys,
  "0005_application_branch": applicationBranch,
  "0007_staff_totp": staffTotp,
  "0006_receipts_notify": receiptsNotify,
  "0008_branches": branchesMigration,
  "0009_hot_path_indexes": hotPathIndexes,
  "0010_rate_limit_counters": rateLimitCounters,
};

class InCodeMigrations implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    return MIGRATIONS;
  }
}

/** Brings the database to the latest migration; throws with the failing migration's name. */
export async function migrateToLatest(db: Kysely<unknown>): Promise<string[]> {
  const migrator = new Migrator({ db, provider: new InCodeMigrations() });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === "Error");
  if (error) {
    throw new Error(`migration ${failed?.migrationName ?? "?"} failed: ${String(error)}`, { cause: error });
  }
  return (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
}
