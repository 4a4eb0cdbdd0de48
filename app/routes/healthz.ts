import { sql } from "drizzle-orm";
import { db, selectRaw } from "~/server/platform/db.server";

/** 200 when the database answers a query, 503 otherwise; for load balancers and uptime checks. */
export async function loader() {
  try {
    await selectRaw(db(), sql`select 1`);
    return new Response("ok", { headers: { "Content-Type": "text/plain", "Cache-Control": "no-store" } });
  } catch {
    return new Response("database unavailable", { status: 503, headers: { "Content-Type": "text/plain", "Cache-Control": "no-store" } });
  }
}
