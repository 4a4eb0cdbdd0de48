// A throwaway PostgreSQL for the tests (issue 15): `initdb` and `pg_ctl` from Debian's `postgresql`
// package, on a free port, in a temporary folder, with nothing shared with a system service. As
// root (CI, this machine) the server runs as the `postgres` user, which `initdb` requires; the folder
// is handed to that user. Each test file gets its own database (`createDatabase`, from a template).
// The cluster is for tests only: trust authentication on 127.0.0.1, and no fsync (a killed server
// process loses nothing, the operating system still holds its writes; a power cut would), unless
// `durable` asks for PostgreSQL's own defaults (a benchmark's figure with commits synced).
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { postgresBinaries } from "../../app/server/platform/postgres-programs.server";
import { freePort } from "../integration/portal-process";

export type PostgresCluster = {
  port: number;
  /** The folder holding the data directory, the socket and the server's log. */
  dir: string;
  /** A connection string for one of the cluster's databases. */
  url(database: string): string;
  /** Creates a database, empty or as a copy of `template` (which must have no open connection). */
  createDatabase(name: string, template?: string): Promise<void>;
  /** Stops the server at once and removes its folder. */
  stop(): void;
};

const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;

/**
 * Starts a new cluster; throws with the server's log when it does not come up. `durable`: fsync,
 * synchronous_commit and full_page_writes left on (PostgreSQL's defaults) instead of off.
 */
export async function startPostgresCluster(options: { durable?: boolean } = {}): Promise<PostgresCluster> {
  const bin = postgresBinaries("initdb");
  if (!bin) throw new Error("PostgreSQL is not installed: apt-get install -y postgresql (or set PG_BIN)");
  const asRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(path.join(tmpdir(), "portal-pg-"));
  const data = path.join(dir, "data");
  const log = path.join(dir, "server.log");
  if (asRoot) {
    const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim());
    chownSync(dir, uid, gid);
  }
  const run = (program: string, args: string[]) => {
    const [command, argv] = asRoot ? ["runuser", ["-u", "postgres", "--", path.join(bin, program), ...args]] : [path.join(bin, program), args];
    const result = spawnSync(command, argv, { encoding: "utf8", timeout: 60_000 });
    if (result.status !== 0) {
      const serverLog = existsSync(log) ? readFileSync(log, "utf8") : "";
      throw new Error(`${program} failed (${result.status ?? result.signal}):\n${result.stderr}${result.stdout}\n${serverLog}`);
    }
  };
  run("initdb", ["-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync", "--no-instructions"]);
  const port = await freePort();
  const unsynced = options.durable ? [] : ["-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off"];
  const settings = [`-p ${port}`, `-k ${dir}`, "-c listen_addresses=127.0.0.1", ...unsynced];
  run("pg_ctl", ["-D", data, "-l", log, "-o", settings.join(" "), "-w", "-t", "60", "start"]);
  const url = (database: string) => `postgres://postgres@127.0.0.1:${port}/${encodeURIComponent(database)}`;
  let stopped = false;
  // A test process that ends without stopping its cluster still stops it: on exit, and — when it is
  // killed and runs no handler — by a watchdog shell that waits for this process to go.
  process.once("exit", () => cluster.stop());
  const stopCommand = [...(asRoot ? ["runuser", "-u", "postgres", "--"] : []), path.join(bin, "pg_ctl"), "-D", data, "-m", "immediate", "-w", "stop"];
  const watchdog = spawn(
    "sh",
    [
      "-c",
      'while kill -0 "$0" 2>/dev/null && [ -d "$1" ]; do sleep 1; done; shift; [ -d "$DIR" ] && "$@" >/dev/null 2>&1; rm -rf "$DIR"',
      String(process.pid),
      dir,
      ...stopCommand,
    ],
    { detached: true, stdio: "ignore", env: { ...process.env, DIR: dir } },
  );
  watchdog.unref();
  const cluster: PostgresCluster = {
    port,
    dir,
    url,
    async createDatabase(name, template) {
      const client = new pg.Client({ connectionString: url("postgres") });
      await client.connect();
      try {
        await client.query(`create database ${quoteIdent(name)}${template ? ` template ${quoteIdent(template)}` : ""}`);
      } finally {
        await client.end();
      }
    },
    stop() {
      if (stopped) return;
      stopped = true;
      // "immediate": a throwaway cluster has nothing to flush; stopping takes milliseconds.
      spawnSync(
        asRoot ? "runuser" : path.join(bin, "pg_ctl"),
        asRoot
          ? ["-u", "postgres", "--", path.join(bin, "pg_ctl"), "-D", data, "-m", "immediate", "-w", "stop"]
          : ["-D", data, "-m", "immediate", "-w", "stop"],
        {
          timeout: 30_000,
        },
      );
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return cluster;
}
