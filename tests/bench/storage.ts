// `npm run bench:storage [-- --seconds 3]`: what each way of keeping uploaded files costs
// (STORAGE_BACKEND, docs/decisions/028), in one sitting, for files of 100 KB and 2 MB:
// - bare: fs.writeFile / fs.readFile, nothing else (the baseline every ratio is against);
// - files, no fsync: the "files" backend as it was before decision 028 (a write the kernel holds);
// - files: the "files" backend (file and folder fsynced before the row that refers to it);
// - database on SQLite, synchronous=NORMAL (the portal's default) and FULL;
// - database on PostgreSQL: a throwaway cluster (tests/setup/postgres-cluster.ts) with fsync on.
// Each variant runs in its own process (the portal's client and settings are per process), on a
// fresh database or folder under data/ (BENCH_DIR to override: the disk the portal would use).
// Files are random bytes (PDFs and photos barely compress). Stores go one at a time, then reads of
// random stored keys one at a time (warm: just written, so in the page cache). After both sizes:
// the store's size per GB stored, and a backup of it — db:backup's own code on the databases, `cp -a`
// of the folder for files — in seconds per GB.
import { spawn, spawnSync } from "node:child_process";
import { randomBytes, randomInt } from "node:crypto";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import * as z from "zod";
import { startPostgresCluster } from "../setup/postgres-cluster";

const VARIANTS = ["bare", "files-nosync", "files", "sqlite-normal", "sqlite-full", "postgres"] as const;
type Variant = (typeof VARIANTS)[number];
const LABELS: Record<Variant, string> = {
  bare: "bare fs.writeFile/readFile",
  "files-nosync": "files backend, no fsync",
  files: "files backend (fsync)",
  "sqlite-normal": "database on SQLite NORMAL",
  "sqlite-full": "database on SQLite FULL",
  postgres: "database on PostgreSQL (fsync on)",
};
const SIZES = [100 * 1024, 2 * 1024 * 1024];
/** At most this much stored per size and variant: bounds the disk used and the backup's time. */
const MAX_BYTES_PER_SIZE = 256 * 1024 * 1024;

const { values } = parseArgs({ options: { seconds: { type: "string", default: "3" }, variant: { type: "string" }, dir: { type: "string" } } });
const SECONDS = z.coerce.number().positive().parse(values.seconds);

const PhaseSchema = z.object({ count: z.number(), bytes: z.number(), seconds: z.number(), p50: z.number(), p99: z.number() });
const SizeSchema = z.object({ size: z.number(), store: PhaseSchema, read: PhaseSchema });
const WorkerSchema = z.object({
  sizes: z.array(SizeSchema),
  storedBytes: z.number(),
  /** What the store takes on disk for what was stored (the database file or folder, before − after). */
  diskBytes: z.number(),
  /** PostgreSQL only: WAL written while storing (every byte stored goes through it once more). */
  walBytes: z.number().nullable(),
  backups: z.array(z.object({ ms: z.number(), bytes: z.number(), how: z.string() })),
});
type Phase = z.infer<typeof PhaseSchema>;

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;

/** Runs `step` one call at a time until `seconds` or `maxBytes` are used up; one latency per call. */
async function phase(seconds: number, maxCount: number, bytesPerCall: number, step: (i: number) => Promise<void>): Promise<Phase> {
  const latencies: number[] = [];
  const started = performance.now();
  while (latencies.length < maxCount && performance.now() - started < seconds * 1000) {
    const t = performance.now();
    await step(latencies.length);
    latencies.push(performance.now() - t);
  }
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { count: latencies.length, bytes: latencies.length * bytesPerCall, seconds: elapsed, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

/** Bytes a folder's files take on disk (allocated blocks, as du counts). */
function folderBytes(folder: string): number {
  let total = 0;
  for (const entry of readdirSync(folder, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += statSync(path.join(entry.parentPath, entry.name)).blocks * 512;
  }
  return total;
}

/** One variant, in this process: what the parent prints, as JSON on stdout. */
async function worker(variant: Variant, dir: string): Promise<z.infer<typeof WorkerSchema>> {
  // Imported here: the portal's modules read the environment the parent gave this process.
  const { bootstrap } = await import("../../app/server/platform/bootstrap.server");
  const { closeDatabase, db, postgresPool } = await import("../../app/server/platform/db.server");
  const { env } = await import("../../app/server/platform/env.server");
  const { backupDatabase } = await import("../../app/server/platform/backup.server");
  const { backupPostgres } = await import("../../app/server/platform/backup-postgres.server");
  const { filesStorage } = await import("../../app/server/platform/storage-files.server");
  const { databaseStorage } = await import("../../app/server/platform/storage-database.server");
  const { readStoredFile, storeFile } = await import("../../app/server/platform/storage.server");
  const { postgresProgram } = await import("../../app/server/platform/postgres-programs.server");

  const onDatabase = variant.startsWith("sqlite") || variant === "postgres";
  if (onDatabase) await bootstrap({ seed: false });
  const folder = path.join(dir, "attachments");
  mkdirSync(folder, { recursive: true });
  let bareCount = 0;
  const store: (bytes: Uint8Array) => Promise<string> =
    variant === "bare"
      ? async (bytes) => {
          const key = `f${(bareCount += 1)}`;
          await writeFile(path.join(folder, key), bytes);
          return key;
        }
      : (bytes) => storeFile(bytes, onDatabase ? databaseStorage : filesStorage(folder, { sync: variant === "files" }));
  const read: (key: string) => Promise<Buffer> =
    variant === "bare" ? (key) => readFile(path.join(folder, key)) : (key) => readStoredFile(key, onDatabase ? databaseStorage : filesStorage(folder));

  const databaseFile = env().DATABASE_PATH;
  const diskSize = async (): Promise<number> => {
    if (variant === "postgres") {
      const pool = postgresPool(db());
      const row = pool ? (await pool.query("select pg_database_size(current_database())::bigint as bytes")).rows[0] : undefined;
      return z.coerce.number().parse(z.object({ bytes: z.unknown() }).parse(row).bytes);
    }
    if (onDatabase) {
      // The WAL folded into the file first: its pages are the file's once checkpointed.
      db().$client.pragma("wal_checkpoint(TRUNCATE)");
      return statSync(databaseFile).size;
    }
    return folderBytes(folder);
  };

  const walPosition = async (): Promise<string | null> => {
    const pool = variant === "postgres" ? postgresPool(db()) : undefined;
    if (!pool) return null;
    return z.object({ lsn: z.string() }).parse((await pool.query("select pg_current_wal_lsn()::text as lsn")).rows[0]).lsn;
  };
  const walBefore = await walPosition();
  const before = await diskSize();
  const sizes = [];
  let storedBytes = 0;
  for (const size of SIZES) {
    const pool = Array.from({ length: 4 }, () => randomBytes(size));
    const keys: string[] = [];
    const maxCount = Math.floor(MAX_BYTES_PER_SIZE / size);
    const stored = await phase(SECONDS, maxCount, size, async (i) => {
      keys.push(await store(pool[i % pool.length] ?? new Uint8Array(size)));
    });
    const readBack = await phase(SECONDS, Number.MAX_SAFE_INTEGER, size, async () => {
      const bytes = await read(keys[randomInt(keys.length)] ?? "");
      if (bytes.length !== size) throw new Error(`read ${bytes.length} bytes, stored ${size}`);
    });
    storedBytes += stored.bytes;
    sizes.push({ size, store: stored, read: readBack });
  }
  const diskBytes = (await diskSize()) - before;
  let walBytes: number | null = null;
  const pool = postgresPool(db());
  if (walBefore && pool) {
    const diff = (await pool.query("select pg_wal_lsn_diff(pg_current_wal_lsn(), $1::pg_lsn)::bigint as bytes", [walBefore])).rows[0];
    walBytes = z.coerce.number().parse(z.object({ bytes: z.unknown() }).parse(diff).bytes);
  }

  const backups: z.infer<typeof WorkerSchema>["backups"] = [];
  const dest = path.join(dir, "backup");
  const timed = (how: string, command: string, args: string[], output: string) => {
    const started = performance.now();
    const done = spawnSync(command, args);
    if (done.status !== 0) throw new Error(`${command} failed: ${done.stderr.toString()}`);
    spawnSync("sync", ["-f", output]);
    backups.push({ ms: performance.now() - started, bytes: statSync(output).isDirectory() ? folderBytes(output) : statSync(output).size, how });
  };
  if (variant === "postgres") {
    const url = env().DATABASE_URL ?? "";
    await closeDatabase(db()); // pg_dump works alone, as a nightly job would
    const done = await backupPostgres({ url, dest: `${dest}.dump` });
    backups.push({ ms: done.ms, bytes: done.bytes, how: "db:backup (pg_dump --format=custom, checked with pg_restore --list)" });
    rmSync(`${dest}.dump`);
    // What the dump's default compression (zlib level 6 over bytea written as hex text) costs against none and the fastest.
    const pgDump = postgresProgram("pg_dump") ?? "pg_dump";
    for (const level of [0, 1]) {
      const file = `${dest}-z${level}.dump`;
      timed(`pg_dump --format=custom --compress=${level}`, pgDump, ["--format=custom", `--compress=${level}`, `--file=${file}`, `--dbname=${url}`], file);
      rmSync(file);
    }
  } else if (onDatabase) {
    await closeDatabase(db());
    const done = await backupDatabase({ source: databaseFile, dest: `${dest}.db` });
    backups.push({ ms: done.ms, bytes: done.bytes, how: "db:backup (online backup API, then integrity_check)" });
  } else if (variant === "files") {
    timed("cp -a of the folder, then sync", "cp", ["-a", folder, dest], dest);
  }
  return { sizes, storedBytes, diskBytes, walBytes, backups };
}

function runWorker(variant: Variant, dir: string, env: Record<string, string>): Promise<z.infer<typeof WorkerSchema>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "tests/bench/storage.ts", "--variant", variant, "--dir", dir, "--seconds", String(SECONDS)], {
      cwd: path.resolve(import.meta.dirname, "../.."),
      env: { ...process.env, NODE_ENV: "test", SEARCH_WORKERS: "off", STORAGE_DIR: dir, ...env },
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.on("exit", (code) => {
      if (code !== 0) return reject(new Error(`${variant} exited with ${code}`));
      try {
        resolve(WorkerSchema.parse(JSON.parse(out)));
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
  });
}

const MB = 1024 * 1024;
const GB = 1024 * MB;

async function main(): Promise<void> {
  const parent = path.resolve(process.env.BENCH_DIR ?? "data");
  mkdirSync(parent, { recursive: true });
  const scratch = mkdtempSync(path.join(parent, "bench-storage-"));
  const started = performance.now();
  const cluster = await startPostgresCluster({ durable: true });
  const results = new Map<Variant, z.infer<typeof WorkerSchema>>();
  try {
    for (const [i, variant] of VARIANTS.entries()) {
      const dir = path.join(scratch, variant);
      mkdirSync(dir);
      let env: Record<string, string> = { STORAGE_BACKEND: "files" };
      if (variant === "postgres") {
        await cluster.createDatabase(`bench_storage_${i}`);
        env = { STORAGE_BACKEND: "database", DATABASE_URL: cluster.url(`bench_storage_${i}`), DATABASE_POOL_SIZE: "2" };
      } else if (variant.startsWith("sqlite")) {
        env = { STORAGE_BACKEND: "database", DATABASE_PATH: path.join(dir, "portal.db"), SQLITE_SYNCHRONOUS: variant === "sqlite-full" ? "FULL" : "NORMAL" };
      }
      results.set(variant, await runWorker(variant, dir, env));
      // Each variant's files gone before the next: the disk's cache and space the same for all.
      rmSync(dir, { recursive: true, force: true });
    }
  } finally {
    cluster.stop();
    rmSync(scratch, { recursive: true, force: true });
  }

  console.log(
    `# File storage — ${SECONDS} s per phase, one operation at a time; ${os.cpus().length} cores, load ${os.loadavg()[0]?.toFixed(1)}, ${new Date().toISOString()}, ${((performance.now() - started) / 1000).toFixed(0)} s in all`,
  );
  console.log(`on ${parent}; PostgreSQL: a throwaway cluster on the same disk, fsync, synchronous_commit and full_page_writes on`);
  const bare = results.get("bare");
  for (const op of ["store", "read"] as const) {
    console.log(`\n## ${op}`);
    console.log("| variant | size | files | files/s | MB/s | p50 ms | p99 ms | MB/s ÷ bare |");
    console.log("|---|---:|---:|---:|---:|---:|---:|---:|");
    for (const variant of VARIANTS) {
      for (const s of results.get(variant)?.sizes ?? []) {
        const p = s[op];
        const mbs = p.bytes / MB / p.seconds;
        const base = bare?.sizes.find((b) => b.size === s.size)?.[op];
        const ratio = base ? mbs / (base.bytes / MB / base.seconds) : Number.NaN;
        console.log(
          `| ${LABELS[variant]} | ${s.size >= MB ? `${s.size / MB} MB` : `${s.size / 1024} KB`} | ${p.count} | ${(p.count / p.seconds).toFixed(0)} | ${mbs.toFixed(0)} | ${p.p50.toFixed(2)} | ${p.p99.toFixed(2)} | ${ratio.toFixed(2)} |`,
        );
      }
    }
  }
  console.log("\n## size on disk and backup, per GB stored");
  console.log("| variant | stored MB | disk per GB stored | WAL per GB stored | backup | backup size per GB | backup s per GB |");
  console.log("|---|---:|---:|---:|---|---:|---:|");
  for (const variant of VARIANTS) {
    const r = results.get(variant);
    if (!r) continue;
    const perGb = r.storedBytes / GB;
    const wal = r.walBytes === null ? "—" : `${(r.walBytes / perGb / GB).toFixed(3)} GB`;
    for (const backup of r.backups.length > 0 ? r.backups : [null]) {
      const size = backup ? `${(backup.bytes / perGb / GB).toFixed(3)} GB` : "—";
      const time = backup ? (backup.ms / 1000 / perGb).toFixed(1) : "—";
      console.log(
        `| ${LABELS[variant]} | ${(r.storedBytes / MB).toFixed(0)} | ${(r.diskBytes / perGb / GB).toFixed(3)} GB | ${wal} | ${backup?.how ?? "—"} | ${size} | ${time} |`,
      );
    }
  }
}

if (values.variant) {
  const variant = z.enum(VARIANTS).parse(values.variant);
  // Exit once the answer is out: the database's connections would keep the process alive.
  process.stdout.write(JSON.stringify(await worker(variant, z.string().parse(values.dir))), () => process.exit(0));
} else {
  await main();
}
