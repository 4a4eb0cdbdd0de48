// `npm run db:scale -- [--events 1000000] [--procedures N] [--seed 1] [--days 365] [--end YYYY-MM-DD] [--replace] [--force]`
//
// Fills a database for the statistics benchmark (tests/bench/stats-dashboard.ts): the seeded
// portal plus a national-size catalog (the 2019 appendix: 125,336 procedures over its 83 ministries
// and provinces, each with exactly its reported level-4 count) and N synthetic events over the
// period with their daily counters. See db/scale/generate.ts for what is and is not generated
// (events have no dossiers rows: the late backlog is 0 on this database).
//
// The file is DATABASE_PATH, default data/scale.db (not the portal's data/portal.db: adding a
// synthetic year to the real database is refused unless --force). --replace deletes an existing
// scale file first. While generating, the connection runs with synchronous=OFF (no fsync; a crash
// means generating again) and a 256 MB page cache; the file is left in the app's WAL mode.
// Deterministic: the same --seed, sizes and --end give the same database (--end defaults to today,
// so pass it to reproduce a database on another day).
import { rmSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import * as z from "zod";
import { databaseFiles, generateScaleDb } from "./scale/generate";

const ArgsSchema = z.object({
  events: z.coerce.number().int().min(1).max(30_000_000).default(1_000_000),
  procedures: z.coerce.number().int().min(100).optional(),
  seed: z.coerce.number().int().min(0).default(1),
  days: z.coerce.number().int().min(1).max(1_000).default(365),
  end: z.iso.date().optional(),
  replace: z.boolean().default(false),
  force: z.boolean().default(false),
});

const { values } = parseArgs({
  options: {
    events: { type: "string" },
    procedures: { type: "string" },
    seed: { type: "string" },
    days: { type: "string" },
    end: { type: "string" },
    replace: { type: "boolean" },
    force: { type: "boolean" },
  },
});
const parsed = ArgsSchema.safeParse(values);
if (!parsed.success) {
  console.error(parsed.error.issues.map((i) => `--${i.path.join(".")}: ${i.message}`).join("\n"));
  process.exit(2);
}
const args = parsed.data;
const file = process.env.DATABASE_PATH || "data/scale.db";
const isPortalDb = path.resolve(file) === path.resolve("data/portal.db");
if (isPortalDb && !args.force) {
  console.error(`refusing to add synthetic data to the portal's database ${file}: set DATABASE_PATH (default data/scale.db) or pass --force`);
  process.exit(2);
}
if (args.replace) {
  if (isPortalDb) {
    console.error("--replace would delete the portal's database: refused");
    process.exit(2);
  }
  for (const f of databaseFiles(file)) rmSync(f);
}

try {
  const result = await generateScaleDb({
    file,
    events: args.events,
    procedures: args.procedures,
    seed: args.seed,
    days: args.days,
    end: args.end,
    log: (line) => console.log(line),
  });
  console.log(
    `done: ${result.file}: ${result.procedures} procedures, ${result.events} events ${result.period.from} … ${result.period.to}, ${result.rollupRows} counter rows; ` +
      `catalog ${result.seconds.catalog} s, model ${result.seconds.model} s, insert ${result.seconds.insert} s, total ${result.seconds.total} s`,
  );
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
