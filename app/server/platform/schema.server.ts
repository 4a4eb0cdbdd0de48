/**
 * The tables the stores name, of the database the portal runs on: db/schema.ts (SQLite) or its
 * twin db/pg/schema.ts (PostgreSQL, when DATABASE_URL is set). Both describe the same tables with
 * the same row types (db/pg/schema.test.ts), so the stores are typed against the SQLite one and
 * handed the right one's tables at run time; a table built for one dialect would give the other
 * the wrong SQL types (instants as integers, JSON as text). Import `schema` from here, never
 * db/schema directly, in code that runs on either database.
 */
import * as pgSchema from "../../../db/pg/schema";
import * as sqliteSchema from "../../../db/schema";
import { env } from "./env.server";

const chosen = () => (env().DATABASE_URL ? pgSchema : sqliteSchema);

export const schema: typeof sqliteSchema = new Proxy(
  { ...sqliteSchema },
  {
    get(target, property) {
      const tables = chosen();
      return Reflect.has(tables, property) ? Reflect.get(tables, property) : Reflect.get(target, property);
    },
  },
);
