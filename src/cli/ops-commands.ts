/**
 * Operations from the command line: `zhuxiao backup`, an online copy of the live SQLite
 * database, verified before it gets its name. The server may keep running meanwhile.
 */
import type { Command } from "commander";
import { loadConfig } from "../config.js";
import {
  backupSqlite,
  defaultBackupFile,
  isPostgresUrl,
  PG_DUMP_GUIDANCE,
  sqliteFileOf,
} from "../ops/backup.js";

/** Exit code when nothing was backed up because the database is not one this command copies. */
const EXIT_NOT_SQLITE = 2;

export function registerOpsCommands(program: Command): void {
  program
    .command("backup")
    .description("copy the live SQLite database to a file, then check the copy (integrity_check)")
    .option("--out <file>", "where to write the backup (default: <data dir>/backups/zhuxiao-<UTC time>.db)")
    .option("--json", "print JSON")
    .action(async (o: { out?: string; json?: boolean }) => {
      const config = loadConfig();
      if (isPostgresUrl(config.databaseUrl)) {
        process.stderr.write(`${PG_DUMP_GUIDANCE}\n`);
        process.exitCode = EXIT_NOT_SQLITE;
        return;
      }
      const r = await backupSqlite(
        sqliteFileOf(config),
        o.out ?? defaultBackupFile(config.dataDir, new Date()),
      );
      if (o.json) {
        process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
        return;
      }
      const mb = (r.bytes / 1e6).toFixed(1);
      process.stdout.write(
        [
          `backup written: ${r.file} (${mb} MB, ${r.seconds.toFixed(1)} s)`,
          `integrity_check: ok; ${r.rows.applications} applications, ${r.rows.cards} cards, ${r.rows.auditEvents} audit events`,
          // The database alone cannot be read back without the master secret it was sealed with.
          `also back up ${config.dataDir}/keys/ (or wherever ZHUXIAO_SECRET comes from), separately from this file`,
          "",
        ].join("\n"),
      );
    });
}
