/**
 * The migrations list, in code, shared by SQLite and PostgreSQL. Each migration is append-only:
 * never edit one that has shipped, add the next.
 */
import { type Kysely, type Migration, type MigrationProvider, Migrator } from "kysely";
import { branchesMigration } from "../branches/db/migration.js";
import { core } from "./migration-0001-core.js";

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

/** What became of the physical card at the counter, recorded when the application is filed. */
const cardDisposition: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable("applications").addColumn("card_disposition", "text").execute();
  },
};

/** Idempotency records are deleted once old (src/app/scheduled/purge-idempotency.ts): by age. */
const idempotencyCreated: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createIndex("idempotency_records_created")
      .on("idempotency_records")
      .column("created_at")
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
  "0011_card_disposition": cardDisposition,
  "0012_idempotency_created": idempotencyCreated,
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
