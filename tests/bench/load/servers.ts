// The benchmark servers: the portal (node server.js, production build) or the bare baseline
// (tests/bench/bare-server.ts), each on a free port, on an SQLite file or a PostgreSQL database
// (bench:load --postgres); used by bench:load and bench:search-http.
import Database from "better-sqlite3";
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { freePort } from "../../integration/portal-process";
import { benchEnv } from "./shared";

const ROOT = path.resolve(import.meta.dirname, "../../..");

/** A consistent copy through SQLite's online backup (safe for a --db file that still has a WAL). */
export async function copyDatabase(from: string, to: string) {
  const source = new Database(from, { readonly: true, fileMustExist: true });
  try {
    await source.backup(to);
  } finally {
    source.close();
  }
}

export type Running = { child: ChildProcess; base: string };

/**
 * Where a server keeps its data: an SQLite file (its uploads in a folder beside it), or a PostgreSQL
 * database with the uploads folder given (one folder for all the processes on that database, as a
 * deployment mounts one volume in each).
 */
export type BenchDatabase = string | { url: string; storage: string };

function databaseEnv(database: BenchDatabase): { DATABASE_PATH: string; DATABASE_URL?: string; STORAGE_DIR: string } {
  if (typeof database === "string") return { DATABASE_PATH: database, STORAGE_DIR: path.join(path.dirname(database), `${path.basename(database)}-storage`) };
  // DATABASE_PATH is unused when DATABASE_URL is set; it points into the storage folder so nothing is written beside the code.
  return { DATABASE_PATH: path.join(database.storage, "unused.db"), DATABASE_URL: database.url, STORAGE_DIR: database.storage };
}

/**
 * Starts a server and resolves once it says it listens; rejects with its output if it exits or
 * does not start in 60 s. `children` holds it while it runs, for the caller's clean-up on exit.
 * `label` names it in the lines it prints (e.g. "portal 2" of two processes).
 */
export async function startBenchServer(kind: "portal" | "bare", database: BenchDatabase, children: Set<ChildProcess>, label: string = kind): Promise<Running> {
  const port = await freePort();
  // BENCH_CPU_PROF_DIR: each server writes a V8 CPU profile there when it stops (where the time goes).
  const profile = process.env.BENCH_CPU_PROF_DIR ? ["--cpu-prof", `--cpu-prof-dir=${path.join(process.env.BENCH_CPU_PROF_DIR, kind)}`] : [];
  const args = [...profile, ...(kind === "portal" ? ["server.js"] : ["--import", "tsx", "tests/bench/bare-server.ts"])];
  // Started as `node …` (not through npx or the tsx CLI) so the PID held is the server's own.
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: benchEnv({ ...databaseEnv(database), PORT: String(port) }),
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.add(child);
  child.once("exit", () => children.delete(child));
  let output = "";
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${kind} server did not start in 60 s:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (/listening/i.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${kind} server exited with ${code}:\n${output}`));
    });
  });
  // Anything the server prints under load (an error, a stack trace) is shown, not swallowed.
  child.stdout?.on("data", (c: Buffer) => process.stdout.write(`[${label}] ${c}`));
  child.stderr?.on("data", (c: Buffer) => process.stderr.write(`[${label}] ${c}`));
  return { child, base: `http://127.0.0.1:${port}` };
}

export function stopServer({ child }: Running): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}
