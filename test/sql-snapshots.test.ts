/**
 * The committed SQL per dialect matches what the migrations and key queries compile to now:
 * a changed query shows in review. After an intended change, `npm run gen` refreshes the files.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SNAPSHOT_DIALECTS, SQL_SNAPSHOT_DIR } from "../scripts/sql-snapshots.js";
import { sqlSnapshots } from "../src/db/sql-snapshots.js";

describe.each(SNAPSHOT_DIALECTS)("SQL snapshots for %s", (dialect) => {
  it("match the committed files (run `npm run gen` after an intended change)", async () => {
    const dir = join(SQL_SNAPSHOT_DIR, dialect);
    const files = await sqlSnapshots(dialect);
    expect(existsSync(dir), `${dir} is missing: run npm run gen`).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(
      Object.keys(files)
        .map((n) => `${n}.sql`)
        .sort(),
    );
    for (const [name, text] of Object.entries(files)) {
      expect(readFileSync(join(dir, `${name}.sql`), "utf8"), `${dialect}/${name}.sql drifted`).toBe(text);
    }
  });

  it("covers the one-open-application index, the ledger's uniqueness and the job dispatch", async () => {
    const files = await sqlSnapshots(dialect);
    expect(files["migration-0001_core"]).toContain('create unique index "applications_one_open_per_card"');
    expect(files["migration-0003_processing"]).toContain('create unique index "ledger_entries_once"');
    expect(files["application-insert-if-none-open"]).toContain("on conflict");
    if (dialect === "postgres") {
      expect(files["job-advisory-lock"]).toContain("pg_try_advisory_lock");
      expect(files["migration-0001_core"]).toContain("bytea");
    } else expect(files["migration-0001_core"]).toContain("blob");
  });
});
