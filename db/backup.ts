// `npm run db:backup [-- <file or directory>]`: a consistent backup of the portal's database while
// the portal keeps running, written to $BACKUP_DIR/portal-YYYYMMDD-HHMMSS.<db|dump> (UTC) unless a
// path is given, checked, and its row counts printed. Exits 1 on any failure, 2 on bad usage.
// - SQLite (DATABASE_PATH): SQLite's online backup API; the copy is opened read-only and checked
//   (integrity_check, foreign_key_check).
// - PostgreSQL (DATABASE_URL set): `pg_dump --format=custom` on a snapshot in which the rows are
//   counted; the archive is checked with `pg_restore --list` (backup-postgres.server.ts).
import { backupPostgres } from "../app/server/platform/backup-postgres.server";
import { backupDatabase, backupPath, BackupRefused, formatCounts } from "../app/server/platform/backup.server";
import { env } from "../app/server/platform/env.server";

const args = process.argv.slice(2);
if (args.length > 1 || args.some((a) => a.startsWith("-"))) {
  console.error("usage: npm run db:backup [-- <file (.db on SQLite, .dump on PostgreSQL) or directory>]");
  process.exit(2);
}
const config = env();
try {
  if (config.DATABASE_URL) {
    const dest = backupPath({ target: args[0], backupDir: config.BACKUP_DIR, now: new Date(), extension: ".dump" });
    const backup = await backupPostgres({ url: config.DATABASE_URL, dest });
    console.log(
      `backed up PostgreSQL database ${backup.database} → ${dest} (pg_dump --format=custom, ${(backup.bytes / 1024 / 1024).toFixed(1)} MB in ${backup.ms.toFixed(0)} ms)`,
    );
    console.log(`pg_restore --list: ${backup.archive.entries} entries, ${backup.archive.tables.length} tables' data, the portal's tables present`);
    console.log(`rows (counted in the snapshot pg_dump read, ${backup.snapshot}):\n${formatCounts(backup.counts)}`);
  } else {
    const source = config.DATABASE_PATH;
    const dest = backupPath({ target: args[0], backupDir: config.BACKUP_DIR, now: new Date() });
    const { bytes, ms, check } = await backupDatabase({ source, dest });
    console.log(`backed up ${source} → ${dest} (${(bytes / 1024 / 1024).toFixed(1)} MB in ${ms.toFixed(0)} ms)`);
    console.log(`integrity_check: ${check.integrity.join(", ")}; foreign_key_check: ${check.foreignKeyViolations} violations`);
    console.log(`rows:\n${formatCounts(check.counts)}`);
  }
} catch (error) {
  console.error(error instanceof BackupRefused ? `backup failed: ${error.message}` : error);
  process.exit(1);
}
