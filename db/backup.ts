// `npm run db:backup [-- <file or directory>]`: a consistent copy of DATABASE_PATH, taken with
// SQLite's online backup API while the portal keeps running, written to
// $BACKUP_DIR/portal-YYYYMMDD-HHMMSS.db (UTC) unless a path is given; then opened read-only and
// checked (integrity_check, foreign_key_check) and its row counts printed. Exits 1 on any failure.
import { backupDatabase, backupPath, BackupRefused, formatCounts } from "../app/server/platform/backup.server";
import { env } from "../app/server/platform/env.server";

const args = process.argv.slice(2);
if (args.length > 1 || args.some((a) => a.startsWith("-"))) {
  console.error("usage: npm run db:backup [-- <file.db or directory>]");
  process.exit(2);
}
const source = env().DATABASE_PATH;
const dest = backupPath({ target: args[0], backupDir: env().BACKUP_DIR, now: new Date() });
try {
  const { bytes, ms, check } = await backupDatabase({ source, dest });
  console.log(`backed up ${source} → ${dest} (${(bytes / 1024 / 1024).toFixed(1)} MB in ${ms.toFixed(0)} ms)`);
  console.log(`integrity_check: ${check.integrity.join(", ")}; foreign_key_check: ${check.foreignKeyViolations} violations`);
  console.log(`rows:\n${formatCounts(check.counts)}`);
} catch (error) {
  console.error(error instanceof BackupRefused ? `backup failed: ${error.message}` : error);
  process.exit(1);
}
