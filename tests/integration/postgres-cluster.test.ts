// The tests' throwaway PostgreSQL (issue 15, tests/setup/postgres-cluster.ts): it starts from
// nothing on a free port, gives each test its own database copied from a template, and leaves
// nothing behind — no server process, no folder. It never relies on a system service.
import { existsSync } from "node:fs";
import { spawn, spawnSync } from "node:child_process";
import pg from "pg";
import * as z from "zod";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPostgresCluster, type PostgresCluster } from "../setup/postgres-cluster";

let cluster: PostgresCluster;
beforeAll(async () => {
  cluster = await startPostgresCluster();
}, 60_000);
afterAll(() => cluster?.stop());

async function query<T>(database: string, text: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: cluster.url(database) });
  await client.connect();
  try {
    return (await client.query(text)).rows;
  } finally {
    await client.end();
  }
}

describe("the tests' throwaway PostgreSQL", () => {
  it("runs its own server on its own port, from its own folder", async () => {
    const [row] = await query<{ port: string; dir: string; version: string }>(
      "postgres",
      "select current_setting('port') as port, current_setting('data_directory') as dir, current_setting('server_version_num') as version",
    );
    expect(Number(row?.port)).toBe(cluster.port);
    expect(row?.dir.startsWith(cluster.dir)).toBe(true);
    expect(Number(row?.version)).toBeGreaterThanOrEqual(150000);
  });

  it("gives each test a database of its own, copied from a template", async () => {
    await cluster.createDatabase("template_portal");
    await query("template_portal", "create table t (id integer primary key, name text not null); insert into t values (1, 'Đăng ký khai sinh')");
    await cluster.createDatabase("file_a", "template_portal");
    await cluster.createDatabase("file_b", "template_portal");
    await query("file_a", "insert into t values (2, 'only in a')");
    expect(await query("file_a", "select id, name from t order by id")).toEqual([
      { id: 1, name: "Đăng ký khai sinh" },
      { id: 2, name: "only in a" },
    ]);
    expect(await query("file_b", "select id, name from t order by id")).toEqual([{ id: 1, name: "Đăng ký khai sinh" }]);
  });

  it("leaves no server and no folder behind when stopped", async () => {
    const other = await startPostgresCluster();
    const url = other.url("postgres");
    const before = new pg.Client({ connectionString: url });
    await before.connect();
    expect((await before.query("select 1 as one")).rows).toEqual([{ one: 1 }]);
    await before.end();
    other.stop();
    expect(existsSync(other.dir)).toBe(false);
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
    await expect(client.connect()).rejects.toThrow();
    // No process is left that mentions the folder: neither the server nor its watchdog (which ends within a second or two).
    const mentions = () => spawnSync("ps", ["-eo", "args"], { encoding: "utf8" }).stdout.includes(other.dir);
    const deadline = Date.now() + 5_000;
    while (mentions() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect(mentions()).toBe(false);
  }, 60_000);

  it("is stopped and removed even when the test process is killed outright (SIGKILL runs no handler)", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", "tests/setup/postgres-cluster-child.ts"], { stdio: ["ignore", "pipe", "inherit"] });
    const line = await new Promise<string>((resolve, reject) => {
      let out = "";
      child.stdout.on("data", (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes("\n")) resolve(out.trim());
      });
      child.once("exit", (code) => reject(new Error(`the child exited (${code}) before starting its cluster`)));
    });
    const { dir, url } = z.object({ dir: z.string(), url: z.string() }).parse(JSON.parse(line));
    const before = new pg.Client({ connectionString: url });
    await before.connect();
    await before.end();
    child.kill("SIGKILL");
    const deadline = Date.now() + 20_000;
    while (existsSync(dir) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
    expect(existsSync(dir)).toBe(false);
    const after = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
    await expect(after.connect()).rejects.toThrow();
  }, 60_000);
});
