/**
 * Online backup of the SQLite database: SQLite's backup API copies the live database page by
 * page while the server keeps running (writers are not stopped; the copy is a consistent
 * snapshot), then the copy is opened and checked before it is given its final name, so a file
 * with the final name is always a verified backup.
 */
import { chmodSync, existsSync, mkdirSync, renameSync, rmSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import type { Config } from "../config.js";

export interface BackupResult {
  source: string;
  file: string;
  bytes: number;
  pages: number;
  seconds: number;
  /** Row counts of the tables that matter most, to show the copy holds the data. */
  rows: { applications: number; cards: number; auditEvents: number };
}

/** The database file the configuration names, as the runtime opens it. */
export function sqliteFileOf(config: Pick<Config, "dataDir" | "databaseUrl">): string {
  return resolve(config.databaseUrl?.slice("sqlite:".length) || join(config.dataDir, "zhuxiao.db"));
}

export function isPostgresUrl(url: string | undefined): boolean {
  return url !== undefined && /^postgres(ql)?:\/\//.test(url);
}

/** `<data dir>/backups/zhuxiao-20261124T020000Z.db`. */
export function defaultBackupFile(dataDir: string, now: Date): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z");
  return join(dataDir, "backups", `zhuxiao-${stamp}.db`);
}

export async function backupSqlite(source: string, out: string): Promise<BackupResult> {
  if (!existsSync(source)) throw new Error(`no database at ${source}`);
  const target = resolve(out);
  if (existsSync(target))
    throw new Error(`${target} exists: choose another --out, a backup never overwrites`);
  mkdirSync(dirname(target), { recursive: true });
  const partial = `${target}.partial`;
  rmSync(partial, { force: true });
  const started = process.hrtime.bigint();
  // Its own connection, which only reads: the server's connections and locks are untouched.
  const live = new BetterSqlite3(source, { readonly: true, fileMustExist: true });
  let pages = 0;
  try {
    live.pragma("busy_timeout = 5000");
    // Everything in one step, one read transaction: under WAL writers carry on meanwhile, whereas
    // the default 100-page steps restart from scratch whenever another process commits.
    const r = await live.backup(partial, { progress: () => 0x7fffffff });
    pages = r.totalPages;
  } catch (err) {
    rmSync(partial, { force: true });
    throw err;
  } finally {
    live.close();
  }
  let rows: BackupResult["rows"];
  try {
    rows = verify(partial);
  } catch (err) {
    rmSync(partial, { force: true });
    throw err;
  }
  // It holds sealed personal data and the audit trail: owner only, like the keys.
  chmodSync(partial, 0o600);
  renameSync(partial, target);
  return {
    source,
    file: target,
    bytes: statSync(target).size,
    pages,
    seconds: Number(process.hrtime.bigint() - started) / 1e9,
    rows,
  };
}

/**
 * Opens the copy, checks every page and index, and makes it one self-contained file (rollback
 * journal instead of WAL) so that copying it elsewhere copies all of it.
 */
function verify(file: string): BackupResult["rows"] {
  const db = new BetterSqlite3(file, { fileMustExist: true });
  try {
    const check = db.pragma("integrity_check") as Array<{ integrity_check: string }>;
    const problems = check.map((r) => r.integrity_check).filter((m) => m !== "ok");
    if (problems.length > 0) throw new Error(`the backup failed its integrity check: ${problems.join("; ")}`);
    db.pragma("journal_mode = DELETE");
    const count = (table: string) =>
      (db.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;
    return { applications: count("applications"), cards: count("cards"), auditEvents: count("audit_events") };
  } finally {
    db.close();
  }
}

/** What to do instead when the database is PostgreSQL. */
export const PG_DUMP_GUIDANCE = `zhuxiao backup copies the SQLite database only. Back PostgreSQL up with its own
tools, for example:

  pg_dump --format=custom --file=zhuxiao-$(date -u +%Y%m%dT%H%M%SZ).dump "$DATABASE_URL"
  pg_restore --list zhuxiao-….dump > /dev/null      # the archive is readable
  pg_restore --clean --if-exists --no-owner --dbname="$RESTORE_URL" zhuxiao-….dump

or continuous archiving (pg_basebackup + WAL archiving) for point-in-time recovery.
Either way, back up the data directory's keys/ as well: without the master secret the
sealed names and ID numbers cannot be read (docs/deploy.md).`;
