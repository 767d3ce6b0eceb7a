// The SQL snapshot files per dialect (src/db/sql-snapshots.ts): written by `npm run gen`,
// compared by test/sql-snapshots.test.ts.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type SnapshotDialect, sqlSnapshots } from "../src/db/sql-snapshots.js";

export const SQL_SNAPSHOT_DIR = "test/snapshots/sql";
export const SNAPSHOT_DIALECTS: SnapshotDialect[] = ["sqlite", "postgres"];

export async function writeSqlSnapshots(): Promise<void> {
  for (const dialect of SNAPSHOT_DIALECTS) {
    const dir = join(SQL_SNAPSHOT_DIR, dialect);
    mkdirSync(dir, { recursive: true });
    const files = await sqlSnapshots(dialect);
    // Snapshots of queries that no longer exist go too.
    for (const f of readdirSync(dir)) if (!(f.replace(/\.sql$/, "") in files)) rmSync(join(dir, f));
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, `${name}.sql`), text);
  }
}
