// `npm run db:restore -- <backup file> [--force]`: replaces the portal's database with a backup.
// Stop the portal and its jobs first. Exits 1 when refused or failed, 2 on bad usage.
// - SQLite (DATABASE_PATH): refuses while anything has the file open; checks the backup before
//   touching anything, keeps the current file as <database>.before-restore-YYYYMMDD-HHMMSS, puts
//   the backup in place and checks it again. --force is only for a current file SQLite cannot read
//   (then nothing can tell whether the portal is using it).
// - PostgreSQL (DATABASE_URL set): checks the pg_dump archive, refuses while other sessions are
//   connected to the database (--force disconnects them), restores into a new database and swaps
//   names, keeping the current one as <database>_before_restore_YYYYMMDD_HHMMSS
//   (backup-postgres.server.ts).
import { restorePostgres } from "../app/server/platform/backup-postgres.server";
import { BackupRefused, formatCounts, restoreDatabase } from "../app/server/platform/backup.server";
import { env } from "../app/server/platform/env.server";

const args = process.argv.slice(2);
const force = args.includes("--force");
const files = args.filter((a) => a !== "--force");
if (files.length !== 1 || files.some((a) => a.startsWith("-"))) {
  console.error("usage: npm run db:restore -- <backup file> [--force]   (stop the portal first)");
  process.exit(2);
}
const [backup = ""] = files;
const config = env();
try {
  if (config.DATABASE_URL) {
    const report = await restorePostgres({ backup, url: config.DATABASE_URL, force, now: new Date() });
    const made = [report.archive.database && `of database ${report.archive.database}`, report.archive.createdAt && `made ${report.archive.createdAt}`];
    console.log(`checked ${report.from}: a pg_dump archive ${made.filter(Boolean).join(", ")} (${report.archive.entries} entries)`);
    if (report.disconnected > 0) console.log(`--force: disconnected ${report.disconnected} session(s) from ${report.database}`);
    console.log(report.kept ? `kept the previous database as ${report.kept}` : `there was no database ${report.database} before; created it`);
    console.log(`restored ${report.from} → PostgreSQL database ${report.database} (pg_restore in one transaction, then analyze)`);
    console.log(`rows:\n${formatCounts(report.counts)}`);
  } else {
    const report = restoreDatabase({ backup, target: config.DATABASE_PATH, force, now: new Date() });
    console.log(`checked ${report.from}: integrity_check ok`);
    console.log(report.kept.length > 0 ? `kept the previous database as ${report.kept.join(", ")}` : `there was no database at ${report.restored} before`);
    console.log(`restored ${report.from} → ${report.restored} (WAL; integrity_check: ${report.after.integrity.join(", ")})`);
    console.log(`rows:\n${formatCounts(report.after.counts)}`);
  }
  console.log("next: start the portal, then run `npm run stats:verify` (the statistics must agree with the restored log)");
} catch (error) {
  console.error(error instanceof BackupRefused ? `restore refused, nothing was changed: ${error.message}` : error);
  process.exit(1);
}
