// `npm run db:restore -- <backup file> [--force]`: replaces DATABASE_PATH with a backup. Stop the
// portal first: the restore refuses while anything has the database open. It checks the backup
// before touching anything, keeps the current file as <database>.before-restore-YYYYMMDD-HHMMSS,
// puts the backup in place and checks it again. --force is only for a current file SQLite cannot
// read (then nothing can tell whether the portal is using it). Exits 1 when refused, 2 on bad usage.
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
try {
  const report = restoreDatabase({ backup, target: env().DATABASE_PATH, force, now: new Date() });
  console.log(`checked ${report.from}: integrity_check ok`);
  console.log(report.kept.length > 0 ? `kept the previous database as ${report.kept.join(", ")}` : `there was no database at ${report.restored} before`);
  console.log(`restored ${report.from} → ${report.restored} (WAL; integrity_check: ${report.after.integrity.join(", ")})`);
  console.log(`rows:\n${formatCounts(report.after.counts)}`);
  console.log("next: start the portal, then run `npm run stats:verify` (the statistics must agree with the restored log)");
} catch (error) {
  console.error(error instanceof BackupRefused ? `restore refused, nothing was changed: ${error.message}` : error);
  process.exit(1);
}
