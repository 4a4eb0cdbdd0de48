import { parse } from "csv-parse/sync";
import { and, eq } from "drizzle-orm";
import { createHash } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { schema } from "../../app/server/platform/schema.server";
import { EXPORT_TABLES, ratioDecimal, type ExportTable } from "../../app/core/statistics/csv";
import { METRICS, type Ratio } from "../../app/core/statistics/metrics";
import { db } from "../../app/server/platform/db.server";
import { languageCookie } from "../../app/server/platform/i18n.server";
import { funnel, grouped, rankings, StatisticsQuerySchema, summary, timeSeries } from "../../app/server/statistics/dashboard.server";
import * as exportRoute from "../../app/routes/admin.statistics_.export[.]csv";
import * as apiRoute from "../../app/routes/api.v1.statistics";
import * as tokensRoute from "../../app/routes/admin.tokens";
import * as openApiRoute from "../../app/routes/api.v1.openapi[.]json";
import * as proceduresRoute from "../../app/routes/api.v1.procedures";
import * as procedureRoute from "../../app/routes/api.v1.procedures_.$code";
import * as formRoute from "../../app/routes/api.v1.procedures_.$code.form";
import { CatalogQuerySchema } from "../../app/server/catalog/catalog.server";
import { newStaff, signInAs } from "../fixtures/accounts";
import { formOf, get, post, run } from "./helpers";
import { addToCounters } from "../../app/server/statistics/counters.server";

/**
 * The CSV export, the JSON API and the token page against the one query layer: hand-made rollup
 * rows over the seeded catalog (Hà Nội and Bắc Ninh, 1–14 June 2026), then every answer is compared
 * with what statistics.server.ts gives for the same query, and a few figures with hand-computed ones.
 */
const PERIOD = { from: "2026-06-01", to: "2026-06-14" };
const QS = `from=${PERIOD.from}&to=${PERIOD.to}`;

const agencyOf = async (code: string) => {
  const [row] = await db().select().from(schema.agencies).where(eq(schema.agencies.code, code)).limit(1);
  if (!row) throw new Error(`no agency ${code}`);
  return row;
};
const procedureOf = async (agencyCode: string, level: number) => {
  const { id: agencyId } = await agencyOf(agencyCode);
  const [row] = await db()
    .select({ id: schema.procedures.id })
    .from(schema.procedures)
    .where(and(eq(schema.procedures.agencyId, agencyId), eq(schema.procedures.level, level)))
    .orderBy(schema.procedures.id)
    .limit(1);
  if (!row) throw new Error(`no level-${level} procedure at ${agencyCode}`);
  return row;
};

type Who = { id: number; cookie: string };
let sysAdmin: Who;
let hnAdmin: Who;
let officer: Who;
let hnPath: string;

/** A loader's or action's answer as the raw Response (thrown or returned), headers and bytes included. */
async function respond(
  fn: (args: { request: Request; params: Record<string, string>; context: Record<string, never> }) => unknown,
  request: Request,
  params: Record<string, string> = {},
): Promise<Response> {
  try {
    const value = await fn({ request, params, context: {} });
    if (value instanceof Response) return value;
    throw new Error(`expected a Response, got ${JSON.stringify(value)}`);
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

const bearer = (path: string, token: string, cookie?: string) =>
  new Request(`http://localhost${path}`, { headers: { Authorization: `Bearer ${token}`, ...(cookie ? { Cookie: cookie } : {}) } });
const json = (v: unknown): unknown => JSON.parse(JSON.stringify(v));
const englishCookie = async (session: string) => `${session}; ${(await languageCookie.serialize("en")).split(";")[0]}`;

async function createToken(who: Who, name: string): Promise<string> {
  const res = await run(tokensRoute.action, post("/admin/tokens", formOf({ intent: "create", name }), who.cookie));
  expect(res.status).toBe(200);
  const created = (res.data as { created: { token: string } | null }).created;
  if (!created) throw new Error(`no token: ${JSON.stringify(res.data)}`);
  return created.token;
}

async function tokenIdOf(token: string): Promise<number> {
  const hash = createHash("sha256").update(token).digest("hex");
  const [row] = await db().select({ id: schema.apiTokens.id }).from(schema.apiTokens).where(eq(schema.apiTokens.tokenHash, hash)).limit(1);
  if (!row) throw new Error("token not stored");
  return row.id;
}

beforeAll(async () => {
  const hnHk = await agencyOf("ha-noi-phuong-hoan-kiem");
  const hnCa = await agencyOf("ha-noi-cong-an");
  const bnKb = await agencyOf("bac-ninh-phuong-kinh-bac");
  hnPath = (await agencyOf("ha-noi")).path;
  const hk4 = (await procedureOf("ha-noi-phuong-hoan-kiem", 4)).id;
  const hk1 = (await procedureOf("ha-noi-phuong-hoan-kiem", 1)).id;
  const ca4 = (await procedureOf("ha-noi-cong-an", 4)).id;
  const kb3 = (await procedureOf("bac-ninh-phuong-kinh-bac", 3)).id;
  const cell = (metric: string, day: string, agencyId: number, procedureId: number, channel: string, count: number) => ({
    metric,
    day,
    agencyId,
    procedureId,
    channel,
    count,
  });
  // Through the counters store, as any writer of counters (docs/decisions/021).
  await addToCounters(db(), [
    cell("viewed", "2026-06-01", hnHk.id, hk4, "", 1234),
    cell("form_started", "2026-06-01", hnHk.id, hk4, "online", 20),
    cell("submitted", "2026-06-01", hnHk.id, hk4, "online", 10),
    cell("submitted", "2026-06-02", hnHk.id, hk4, "assisted", 2),
    cell("submitted", "2026-06-03", hnHk.id, hk1, "counter", 4),
    cell("submitted_fee", "2026-06-01", hnHk.id, hk4, "online", 6),
    cell("paid_online", "2026-06-03", hnHk.id, hk4, "online", 2),
    cell("result_ready", "2026-06-10", hnHk.id, hk4, "online", 6),
    cell("stopped", "2026-06-10", hnHk.id, hk4, "online", 1),
    cell("submitted", "2026-06-04", hnCa.id, ca4, "online", 3),
    cell("submitted", "2026-06-08", hnCa.id, ca4, "counter", 1),
    cell("viewed", "2026-06-05", bnKb.id, kb3, "", 30),
    cell("submitted", "2026-06-05", bnKb.id, kb3, "online", 8),
    cell("submitted", "2026-06-05", bnKb.id, kb3, "counter", 2),
    // Outside the period: never counted.
    cell("submitted", "2026-05-31", hnHk.id, hk4, "online", 500),
  ]);
  sysAdmin = await signInAs("quan.tri@example.vn");
  hnAdmin = await signInAs("quan.tri.hanoi@example.vn");
  officer = await signInAs("can.bo.hoankiem@example.vn");
});

describe("GET /api/v1/statistics", () => {
  it("answers the query layer's figures for the same query, uncached", async () => {
    const qs = `${QS}&groupBy=level&interval=week&target=25`;
    const res = await respond(apiRoute.loader, get(`/api/v1/statistics?${qs}`, sysAdmin.cookie));
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toContain("application/json");
    expect(res.headers.get("Cache-Control")).toBe("no-store");
    const body = (await res.json()) as Record<string, unknown>;
    const query = StatisticsQuerySchema.parse(Object.fromEntries(new URLSearchParams(qs)));
    const input = { agencyPath: "/", query };
    expect(body.query).toEqual({ ...PERIOD, groupBy: "level", agency: null, interval: "week", target: 25 });
    expect(body.scope).toEqual({ role: "system_admin", agency: null });
    expect(body.summary).toEqual(json(await summary(input)));
    expect(body.grouped).toEqual(json(await grouped(input)));
    expect(body.rankings).toEqual(json(await rankings(input)));
    expect(body.timeSeries).toEqual(json(await timeSeries(input)));
    expect(body.funnel).toEqual(json(await funnel(input)));
    // …and those are the hand-computed figures, ratios as exact fractions.
    const s = body.summary as { metrics: Record<string, unknown> };
    expect(s.metrics.dossiers_submitted).toBe(30);
    expect(s.metrics.visits).toBe(1264);
    expect(s.metrics.self_service_share).toEqual({ numerator: 21, denominator: 23, value: 21 / 23 });
    expect(s.metrics.online_payment_share).toEqual({ numerator: 2, denominator: 6, value: 2 / 6 });
    expect(s.metrics.success_rate).toEqual({ numerator: 6, denominator: 7, value: 6 / 7 });
    expect(s.metrics.satisfaction).toEqual({ numerator: 0, denominator: 0, value: null });
    const definitions = body.definitions as { document: string; metrics: { id: string; label: { vi: string; en: string } }[] };
    expect(definitions.document).toBe("docs/metrics.md");
    expect(definitions.metrics.map((m) => m.id)).toEqual(METRICS.map((m) => m.id));
    expect(definitions.metrics.find((m) => m.id === "online_share")?.label).toEqual({ vi: "Tỷ lệ hồ sơ trực tuyến", en: expect.any(String) });
  });

  it("answers 401 as JSON without credentials, never a redirect to sign-in", async () => {
    const res = await respond(apiRoute.loader, get(`/api/v1/statistics?${QS}`));
    expect(res.status).toBe(401);
    expect(res.headers.get("Location")).toBeNull();
    expect(res.headers.get("WWW-Authenticate")).toContain("Bearer");
    expect(await res.json()).toEqual({ error: "unauthorized" });
  });

  it("answers 403 as JSON to an officer's session and a citizen's", async () => {
    const res = await respond(apiRoute.loader, get(`/api/v1/statistics?${QS}`, officer.cookie));
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ error: "forbidden" });
    const citizen = await signInAs("cong.dan@example.vn");
    expect((await respond(apiRoute.loader, get(`/api/v1/statistics?${QS}`, citizen.cookie))).status).toBe(403);
  });

  it("refuses invalid parameters with 400 and one error per parameter", async () => {
    const bad = await run(apiRoute.loader, get("/api/v1/statistics?from=2026-02-30&groupBy=everything&interval=hour&target=120", sysAdmin.cookie));
    expect(bad.status).toBe(400);
    const errors = (bad.data as { errors: { path: string; message: string; code: string }[] }).errors;
    expect(errors.map((e) => e.path).sort()).toEqual(["from", "groupBy", "interval", "target"]);
    expect(errors.find((e) => e.path === "from")).toEqual({
      path: "from",
      message: "Ngày không hợp lệ, hãy nhập theo dạng năm-tháng-ngày (ví dụ 2026-06-15).",
      code: "stats.errors.date_invalid",
    });
    const reversed = await run(apiRoute.loader, get("/api/v1/statistics?from=2026-06-10&to=2026-06-01", sysAdmin.cookie));
    expect(reversed).toMatchObject({ status: 400, data: { errors: [{ path: "to", code: "stats.errors.range_reversed" }] } });
    // In English when the reader chose English on the portal.
    const en = await run(apiRoute.loader, get("/api/v1/statistics?agency=no-such-agency", await englishCookie(sysAdmin.cookie)));
    expect(en).toMatchObject({
      status: 400,
      data: { errors: [{ path: "agency", message: "This agency was not found within your scope.", code: "stats.errors.agency_not_found" }] },
    });
  });

  it("is read-only: other methods get 405", async () => {
    const res = await respond(apiRoute.action, new Request("http://localhost/api/v1/statistics", { method: "POST", headers: { Cookie: sysAdmin.cookie } }));
    expect(res.status).toBe(405);
    expect(res.headers.get("Allow")).toBe("GET, HEAD");
    expect(await res.json()).toEqual({ error: "method_not_allowed" });
    expect((await respond(apiRoute.action, new Request("http://localhost/api/v1/statistics", { method: "DELETE" }))).status).toBe(401);
  });
});

describe("bearer tokens", () => {
  it("work for an agency administrator, who sees only their scope; the token's use is recorded", async () => {
    const token = await createToken(hnAdmin, "Báo cáo tự động");
    expect(token).toMatch(/^dvc_[A-Za-z0-9_-]{43}$/);
    const res = await respond(apiRoute.loader, bearer(`/api/v1/statistics?${QS}`, token));
    expect(res.status).toBe(200);
    const body = (await res.json()) as { scope: unknown; summary: unknown; grouped: { rows: { key: string }[] } };
    const query = StatisticsQuerySchema.parse(PERIOD);
    expect(body.scope).toEqual({
      role: "agency_admin",
      agency: { code: "ha-noi", nameVi: (await agencyOf("ha-noi")).nameVi, nameEn: (await agencyOf("ha-noi")).nameEn },
    });
    expect(body.summary).toEqual(json(await summary({ agencyPath: hnPath, query })));
    expect((body.summary as { metrics: { dossiers_submitted: number } }).metrics.dossiers_submitted).toBe(20); // Bắc Ninh's 10 are not in it
    expect(body.grouped.rows.map((r) => r.key)).not.toContain("bac-ninh");
    expect(body.grouped.rows.map((r) => r.key)).toContain("ha-noi-phuong-hoan-kiem");
    // Another scope's agency is "not found", as an unknown one.
    const foreign = await run(apiRoute.loader, bearer(`/api/v1/statistics?${QS}&agency=bac-ninh`, token));
    expect(foreign).toMatchObject({ status: 400, data: { errors: [{ path: "agency", code: "stats.errors.agency_not_found" }] } });
    const [row] = await db()
      .select()
      .from(schema.apiTokens)
      .where(eq(schema.apiTokens.id, await tokenIdOf(token)))
      .limit(1);
    expect(row?.lastUsedAt).toBeInstanceOf(Date);
  });

  it("is 401 once revoked, and for a malformed or unknown token", async () => {
    const token = await createToken(sysAdmin, "Sẽ thu hồi");
    expect((await respond(apiRoute.loader, bearer(`/api/v1/statistics?${QS}`, token))).status).toBe(200);
    const revoked = await run(
      tokensRoute.action,
      post("/admin/tokens", formOf({ intent: "revoke", tokenId: String(await tokenIdOf(token)) }), sysAdmin.cookie),
    );
    expect(revoked).toMatchObject({ status: 302, location: "/admin/tokens?notice=revoked" });
    const res = await respond(apiRoute.loader, bearer(`/api/v1/statistics?${QS}`, token));
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: "unauthorized" });
    expect((await respond(apiRoute.loader, bearer(`/api/v1/statistics?${QS}`, "dvc_nope"))).status).toBe(401);
    expect((await respond(apiRoute.loader, bearer(`/api/v1/statistics?${QS}`, `dvc_${"A".repeat(43)}`))).status).toBe(401);
    // A bad Authorization header is not rescued by a valid session cookie alongside it.
    expect((await respond(apiRoute.loader, bearer(`/api/v1/statistics?${QS}`, token, sysAdmin.cookie))).status).toBe(401);
  });

  it("is 401 when its owner's account is disabled", async () => {
    const admin = await newStaff("agency_admin", "ha-noi");
    const token = await createToken(admin, "Tài khoản sắp khóa");
    expect((await respond(apiRoute.loader, bearer(`/api/v1/statistics?${QS}`, token))).status).toBe(200);
    await db().update(schema.users).set({ disabledAt: new Date() }).where(eq(schema.users.id, admin.id));
    expect((await respond(apiRoute.loader, bearer(`/api/v1/statistics?${QS}`, token))).status).toBe(401);
  });
});

describe("the token page", () => {
  it("creates a token, shows it once, lists it without it, and records the event", async () => {
    const before = (await db().select().from(schema.dossierEvents).where(eq(schema.dossierEvents.type, "api_token_created"))).length;
    const created = await run(tokensRoute.action, post("/admin/tokens", formOf({ intent: "create", name: "  Kho dữ liệu của Sở  " }), hnAdmin.cookie));
    expect(created.status).toBe(200);
    const answer = created.data as { created: { name: string; token: string } };
    expect(answer.created.name).toBe("Kho dữ liệu của Sở");
    const token = answer.created.token;
    const id = await tokenIdOf(token);

    // Only the hash is stored; the list (what a refresh shows) never carries the token.
    const [stored] = await db().select().from(schema.apiTokens).where(eq(schema.apiTokens.id, id)).limit(1);
    expect(stored?.tokenHash).toBe(createHash("sha256").update(token).digest("hex"));
    expect(JSON.stringify(stored)).not.toContain(token);
    const page = await run(tokensRoute.loader, get("/admin/tokens", hnAdmin.cookie));
    expect(page.status).toBe(200);
    expect(JSON.stringify(page.data)).not.toContain(token);
    const listed = (page.data as { tokens: { id: number; name: string; lastUsedAt: string | null; revokedAt: string | null }[] }).tokens.find(
      (k) => k.id === id,
    );
    expect(listed).toMatchObject({ name: "Kho dữ liệu của Sở", lastUsedAt: null, revokedAt: null });

    const events = await db().select().from(schema.dossierEvents).where(eq(schema.dossierEvents.type, "api_token_created")).orderBy(schema.dossierEvents.id);
    expect(events.length).toBe(before + 1);
    const event = events.at(-1);
    expect(event).toMatchObject({ actorId: hnAdmin.id, actorRole: "agency_admin", data: { tokenId: id, name: "Kho dữ liệu của Sở" } });
    expect(JSON.stringify(event)).not.toContain(token);
  });

  it("lists only the user's own tokens", async () => {
    const mine = await tokenIdOf(await createToken(sysAdmin, "Của quản trị hệ thống"));
    const page = await run(tokensRoute.loader, get("/admin/tokens", hnAdmin.cookie));
    const ids = (page.data as { tokens: { id: number }[] }).tokens.map((k) => k.id);
    expect(ids.length).toBeGreaterThan(0);
    expect(ids).not.toContain(mine);
  });

  it("revokes the user's own token with an event; someone else's, an unknown or an already revoked one is 404", async () => {
    const own = await tokenIdOf(await createToken(hnAdmin, "Thu hồi"));
    const others = await tokenIdOf(await createToken(sysAdmin, "Của người khác"));
    const revoke = (who: Who, tokenId: string) => run(tokensRoute.action, post("/admin/tokens", formOf({ intent: "revoke", tokenId }), who.cookie));

    expect((await revoke(hnAdmin, String(others))).status).toBe(404);
    expect((await db().select().from(schema.apiTokens).where(eq(schema.apiTokens.id, others)))[0]?.revokedAt).toBeNull();
    expect((await revoke(hnAdmin, "999999")).status).toBe(404);

    expect(await revoke(hnAdmin, String(own))).toMatchObject({ status: 302, location: "/admin/tokens?notice=revoked" });
    const page = await run(tokensRoute.loader, get("/admin/tokens?notice=revoked", hnAdmin.cookie));
    expect(page.data).toMatchObject({ revoked: true });
    expect((page.data as { tokens: { id: number; revokedAt: string | null }[] }).tokens.find((k) => k.id === own)?.revokedAt).toEqual(expect.any(String));
    const events = await db().select().from(schema.dossierEvents).where(eq(schema.dossierEvents.type, "api_token_revoked"));
    expect(events.filter((e) => JSON.stringify(e.data) === JSON.stringify({ tokenId: own }))).toHaveLength(1);
    expect(events.some((e) => JSON.stringify(e.data) === JSON.stringify({ tokenId: others }))).toBe(false);

    expect((await revoke(hnAdmin, String(own))).status).toBe(404);
    expect((await revoke(hnAdmin, "abc")).status).toBe(400);
  });

  it("refuses an empty or too long name with the field's message", async () => {
    const empty = await run(tokensRoute.action, post("/admin/tokens", formOf({ intent: "create", name: "   " }), hnAdmin.cookie));
    expect(empty).toMatchObject({ status: 400, data: { errors: { name: "admin.tokens.errors.name_required" }, created: null } });
    const long = await run(tokensRoute.action, post("/admin/tokens", formOf({ intent: "create", name: "x".repeat(81) }), hnAdmin.cookie));
    expect(long).toMatchObject({ status: 400, data: { errors: { name: "admin.tokens.errors.name_too_long" }, values: { name: "x".repeat(81) } } });
    const unknown = await run(tokensRoute.action, post("/admin/tokens", formOf({ intent: "delete-all" }), hnAdmin.cookie));
    expect(unknown).toMatchObject({ status: 400, data: { errors: { _form: "stats.api.errors.bad_request" } } });
  });

  it("is closed to officers (403: no token can be created) and sends strangers to sign in", async () => {
    const before = (await db().select().from(schema.apiTokens)).length;
    expect((await run(tokensRoute.loader, get("/admin/tokens", officer.cookie))).status).toBe(403);
    expect((await run(tokensRoute.action, post("/admin/tokens", formOf({ intent: "create", name: "Cán bộ" }), officer.cookie))).status).toBe(403);
    expect((await db().select().from(schema.apiTokens)).length).toBe(before);
    const anonymous = await run(tokensRoute.loader, get("/admin/tokens"));
    expect(anonymous.status).toBe(302);
    expect(anonymous.location).toMatch(/^\/login\?/);
  });
});

// ── CSV ─────────────────────────────────────────────────────────────────────────────────────────

async function csvOf(path: string, cookie: string) {
  const res = await respond(exportRoute.loader, get(path, cookie));
  const bytes = new Uint8Array(await res.arrayBuffer());
  const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes);
  const rows: string[][] = res.status === 200 ? parse(text, { bom: true }) : [];
  return { res, bytes, text, rows };
}

const ratioCells = (r: Ratio) => [ratioDecimal(r), String(r.numerator), String(r.denominator)];
const metricCells = (metrics: Record<string, Ratio | number>, skip: ReadonlySet<string> = new Set()) =>
  METRICS.flatMap((m) => {
    const v = metrics[m.id];
    if (skip.has(m.id) || v === undefined) return m.kind === "ratio" ? ["", "", ""] : [""];
    return typeof v === "number" ? [String(v)] : ratioCells(v);
  });

describe("CSV export", () => {
  const query = () => StatisticsQuerySchema.parse({ ...PERIOD, groupBy: "agency", interval: "week" });
  const path = (table: ExportTable, extra = "") => `/admin/statistics/export.csv?table=${table}&${QS}&groupBy=agency&interval=week${extra}`;

  it.each(EXPORT_TABLES)("%s: a UTF-8 CSV with a BOM and CRLF, as an attachment named after the table and the period", async (table) => {
    const { res, bytes, text } = await csvOf(path(table), sysAdmin.cookie);
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("Content-Disposition")).toBe(`attachment; filename="thong-ke-${table.replaceAll("_", "-")}-2026-06-01_2026-06-14.csv"`);
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(text.endsWith("\r\n")).toBe(true);
    expect(text.replaceAll("\r\n", "")).not.toMatch(/\n/);
  });

  it.each(EXPORT_TABLES)("%s: headers in Vietnamese by default and in English when chosen, the same figures in both", async (table) => {
    const vi = await csvOf(path(table), sysAdmin.cookie);
    const en = await csvOf(path(table), await englishCookie(sysAdmin.cookie));
    const [viHeader, ...viBody] = vi.rows;
    const [enHeader, ...enBody] = en.rows;
    expect(viHeader?.length).toBe(enHeader?.length);
    expect(viHeader).not.toEqual(enHeader);
    // Machine columns (codes, numbers) are the same in both languages; only names differ.
    const numeric = (rows: string[][]) => rows.map((r) => r.map((c) => (/^-?\d+(\.\d+)?$|^$/.test(c) ? c : "·")));
    expect(numeric(enBody)).toEqual(numeric(viBody));
  });

  it("summary: one row per metric with the query layer's values, ratios as exact decimals with numerator and denominator", async () => {
    const { rows } = await csvOf(path("summary", "&target=25"), sysAdmin.cookie);
    const s = await summary({ agencyPath: "/", query: StatisticsQuerySchema.parse({ ...PERIOD, target: "25" }) });
    expect(rows[0]).toEqual(["Mã chỉ số", "Chỉ số", "Giá trị", "Tử số", "Mẫu số", "Chỉ tiêu (%)", "Đạt chỉ tiêu"]);
    expect(rows.slice(1).map((r) => r[0])).toEqual(METRICS.map((m) => m.id));
    for (const m of METRICS) {
      const row = rows.find((r) => r[0] === m.id);
      const v: Ratio | number = s.metrics[m.id];
      expect(row?.slice(2, 5), m.id).toEqual(typeof v === "number" ? [String(v), "", ""] : ratioCells(v));
    }
    const byId = (id: string) => rows.find((r) => r[0] === id);
    expect(byId("visits")?.slice(1, 3)).toEqual(["Lượt truy cập trang thủ tục", "1264"]); // no thousands separator
    expect(byId("self_service_share")?.slice(2, 5)).toEqual(["0.913043", "21", "23"]);
    expect(byId("success_rate")?.slice(2, 5)).toEqual(["0.857143", "6", "7"]);
    expect(byId("satisfaction")?.slice(2, 5)).toEqual(["", "0", "0"]); // no ratings: an empty value, not 0
    expect(byId("level4_share")?.slice(5)).toEqual(["25", String(s.level4Target.met)]);
    expect(byId("visits")?.slice(5)).toEqual(["", ""]);

    const en = await csvOf(path("summary"), await englishCookie(sysAdmin.cookie));
    expect(en.rows[0]).toEqual(["Metric id", "Metric", "Value", "Numerator", "Denominator", "Target (%)", "Target met"]);
  });

  it("grouped: one row per group with every metric, the query layer's figures", async () => {
    const { rows } = await csvOf(path("grouped"), sysAdmin.cookie);
    const g = await grouped({ agencyPath: "/", query: query() });
    const [header, ...body] = rows;
    expect(header?.slice(0, 3)).toEqual(["Mã", "Tên", "Ngày giải thể"]);
    expect(header).toContain("Tỷ lệ hồ sơ trực tuyến – tử số");
    expect(body.map((r) => r[0])).toEqual(g.rows.map((r) => r.key));
    for (const r of g.rows) expect(body.find((b) => b[0] === r.key)?.slice(3), r.key).toEqual(metricCells(r.metrics));
    const bn = body.find((b) => b[0] === "bac-ninh");
    const col = (label: string) => header?.indexOf(label) ?? -1;
    expect(bn?.[col("Hồ sơ tiếp nhận (mọi kênh)")]).toBe("10");
    expect(bn?.[col("Hồ sơ trực tuyến")]).toBe("8");

    // By channel the catalog's figures do not apply: empty cells, not zeros.
    const byChannel = await csvOf(`/admin/statistics/export.csv?table=grouped&${QS}&groupBy=channel`, sysAdmin.cookie);
    const gc = await grouped({ agencyPath: "/", query: StatisticsQuerySchema.parse({ ...PERIOD, groupBy: "channel" }) });
    expect(byChannel.rows[0]?.slice(0, 2)).toEqual(["Mã", "Tên"]);
    const skip = new Set<string>(gc.notApplicable);
    expect(skip.size).toBeGreaterThan(0);
    for (const r of gc.rows) expect(byChannel.rows.find((b) => b[0] === r.key)?.slice(2), r.key).toEqual(metricCells(r.metrics, skip));
    expect(byChannel.rows.find((b) => b[0] === "online")?.[1]).toBe("Trực tuyến (công dân tự nộp)");
  });

  it("rankings: each of the three lists with ranks, values, numerators and denominators", async () => {
    const r = await rankings({ agencyPath: "/", query: query() });
    const services = (await csvOf(path("rankings_services"), sysAdmin.cookie)).rows;
    expect(services[0]?.slice(0, 3)).toEqual(["Hạng", "Mã", "Tên"]);
    expect(services.slice(1)).toEqual(
      r.onlineServices.map((e) => [
        e.rank === null ? "" : String(e.rank),
        e.code,
        e.name.vi,
        String(e.value.level3),
        String(e.value.level4),
        String(e.value.total),
        ...ratioCells(e.value.level4Share),
      ]),
    );
    const online = (await csvOf(path("rankings_online"), sysAdmin.cookie)).rows;
    expect(online.slice(1)).toEqual(
      r.onlineDossiers.map((e) => [e.rank === null ? "" : String(e.rank), e.code, e.name.vi, String(e.value.online), String(e.value.submitted)]),
    );
    const share = (await csvOf(path("rankings_share"), sysAdmin.cookie)).rows;
    expect(share.slice(1)).toEqual(r.onlineShare.map((e) => [e.rank === null ? "" : String(e.rank), e.code, e.name.vi, ...ratioCells(e.value)]));
    // An unranked unit (no dossiers) has an empty rank, and its name in English in the English file.
    expect(share.some((row) => row[0] === "")).toBe(true);
    const en = (await csvOf(path("rankings_share"), await englishCookie(sysAdmin.cookie))).rows;
    expect(en.slice(1).map((row) => row[2])).toEqual(r.onlineShare.map((e) => e.name.en ?? e.name.vi));
  });

  it("timeseries and funnel: the query layer's buckets and steps", async () => {
    const ts = await timeSeries({ agencyPath: "/", query: query() });
    const series = (await csvOf(path("timeseries"), sysAdmin.cookie)).rows;
    expect(series[0]).toEqual([
      "Kỳ",
      "Từ ngày",
      "Đến ngày",
      "Lượt xem trang thủ tục",
      "Hồ sơ nộp (mọi kênh)",
      "Hồ sơ công dân tự nộp trực tuyến",
      "Hồ sơ cán bộ nộp thay",
      "Hồ sơ nộp trực tiếp",
      "Hồ sơ có kết quả",
    ]);
    expect(series.slice(1)).toEqual(
      ts.points.map((p) => [
        p.bucket,
        p.from,
        p.to,
        ...[p.viewed, p.submitted, p.submitted_online, p.submitted_assisted, p.submitted_counter, p.result_ready].map(String),
      ]),
    );
    expect(series[1]?.slice(0, 4)).toEqual(["2026-06-01", "2026-06-01", "2026-06-07", "1264"]);

    const f = await funnel({ agencyPath: "/", query: query() });
    const steps = (await csvOf(path("funnel"), sysAdmin.cookie)).rows;
    expect(steps.slice(1)).toEqual(
      f.steps.map((s) => [
        s.step,
        expect.any(String),
        String(s.count),
        ...(s.fromPrevious ? ratioCells(s.fromPrevious) : ["", "", ""]),
        ...ratioCells(s.fromFirst),
      ]),
    );
    expect(steps[1]?.slice(0, 3)).toEqual(["viewed", "Xem trang thủ tục", "1264"]);
    expect(steps[2]?.slice(0, 6)).toEqual(["form_started", "Bắt đầu điền tờ khai", "20", "0.015823", "20", "1264"]);
  });

  it("keeps an agency administrator to their scope", async () => {
    const { rows } = await csvOf(path("grouped"), hnAdmin.cookie);
    const g = await grouped({ agencyPath: hnPath, query: query() });
    expect(rows.slice(1).map((r) => r[0])).toEqual(g.rows.map((r) => r.key));
    expect(rows.some((r) => r[0] === "bac-ninh")).toBe(false);
    const foreign = await csvOf(path("summary", "&agency=bac-ninh"), hnAdmin.cookie);
    expect(foreign.res.status).toBe(400);
    expect(foreign.text).toContain("agency: Không tìm thấy cơ quan này trong phạm vi của bạn.");
  });

  it("answers invalid parameters with 400 and a plain-text message in the reader's language", async () => {
    const bad = await csvOf(`/admin/statistics/export.csv?table=users&from=2026-13-01`, sysAdmin.cookie);
    expect(bad.res.status).toBe(400);
    expect(bad.res.headers.get("Content-Type")).toBe("text/plain; charset=utf-8");
    expect(bad.text).toContain("table: Bảng số liệu không hợp lệ");
    expect(bad.text).toContain("from: Ngày không hợp lệ");
    const missing = await csvOf(`/admin/statistics/export.csv?${QS}`, await englishCookie(sysAdmin.cookie));
    expect(missing.res.status).toBe(400);
    expect(missing.text).toContain("table: Unknown table");
  });

  it("is for statistics readers only", async () => {
    expect((await respond(exportRoute.loader, get(path("summary"), officer.cookie))).status).toBe(403);
    const anonymous = await respond(exportRoute.loader, get(path("summary")));
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("Location")).toMatch(/^\/login\?/);
  });
});

// ── OpenAPI ─────────────────────────────────────────────────────────────────────────────────────

type JsonSchema = { [k: string]: unknown };
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * The subset of JSON Schema the document uses ($ref, anyOf, type, enum, const, properties, required,
 * items, minimum, maximum, pattern, format date), with objects treated as closed: a field the answer
 * has and the document does not describe is an error too. Returns the problems, by JSON path.
 */
function validate(value: unknown, schema: JsonSchema, doc: { components: { schemas: Record<string, JsonSchema> } }, at = "$"): string[] {
  if (typeof schema.$ref === "string") {
    const target = doc.components.schemas[schema.$ref.replace("#/components/schemas/", "")];
    return target ? validate(value, target, doc, at) : [`${at}: unresolved ${schema.$ref}`];
  }
  if (Array.isArray(schema.anyOf)) {
    const options = schema.anyOf.filter(isObject);
    return options.some((o) => validate(value, o, doc, at).length === 0) ? [] : [`${at}: matches none of anyOf (${JSON.stringify(value)?.slice(0, 80)})`];
  }
  const problems: string[] = [];
  const types = Array.isArray(schema.type) ? schema.type : schema.type === undefined ? [] : [schema.type];
  const typeOf = (v: unknown) => (v === null ? "null" : Array.isArray(v) ? "array" : Number.isInteger(v) ? "integer" : typeof v);
  if (types.length > 0 && !types.some((t) => t === typeOf(value) || (t === "number" && typeof value === "number")))
    return [`${at}: ${typeOf(value)} is not ${types.join("|")}`];
  if (Array.isArray(schema.enum) && !schema.enum.includes(value)) problems.push(`${at}: ${JSON.stringify(value)} not in enum`);
  if ("const" in schema && schema.const !== value) problems.push(`${at}: not ${JSON.stringify(schema.const)}`);
  if (typeof value === "number") {
    if (typeof schema.minimum === "number" && value < schema.minimum) problems.push(`${at}: below minimum`);
    if (typeof schema.maximum === "number" && value > schema.maximum) problems.push(`${at}: above maximum`);
  }
  if (typeof value === "string") {
    if (typeof schema.pattern === "string" && !new RegExp(schema.pattern).test(value)) problems.push(`${at}: does not match ${schema.pattern}`);
    if (schema.format === "date" && !/^\d{4}-\d{2}-\d{2}$/.test(value)) problems.push(`${at}: not a date`);
  }
  if (Array.isArray(value) && isObject(schema.items)) {
    const items = schema.items;
    value.forEach((item, i) => problems.push(...validate(item, items, doc, `${at}[${i}]`)));
  }
  if (isObject(value) && isObject(schema.properties)) {
    const properties = schema.properties;
    const required = Array.isArray(schema.required) ? schema.required : [];
    for (const key of required) if (typeof key === "string" && !(key in value)) problems.push(`${at}.${key}: missing`);
    for (const [key, v] of Object.entries(value)) {
      const sub = properties[key];
      if (!isObject(sub)) problems.push(`${at}.${key}: not in the document`);
      else problems.push(...validate(v, sub, doc, `${at}.${key}`));
    }
  }
  return problems;
}

describe("OpenAPI document", () => {
  const fetchDoc = async () => {
    const res = await respond(openApiRoute.loader, get("/api/v1/openapi.json"));
    expect(res.status).toBe(200);
    return (await res.json()) as {
      openapi: string;
      paths: Record<
        string,
        {
          get: {
            parameters: { name: string; in: string }[];
            security: unknown[];
            responses: Record<string, { content?: { "application/json": { schema: JsonSchema } } }>;
          };
        }
      >;
      components: { schemas: Record<string, JsonSchema>; securitySchemes: Record<string, { type: string; scheme?: string }> };
    };
  };
  const responseSchema = (doc: Awaited<ReturnType<typeof fetchDoc>>, path: string, status: string) => {
    const schema = doc.paths[path]?.get.responses[status]?.content?.["application/json"].schema;
    if (!schema) throw new Error(`no ${status} schema for ${path}`);
    return schema;
  };

  it("is OpenAPI 3.1 with every endpoint, the catalog's public, and a bearer security scheme on the statistics", async () => {
    const doc = await fetchDoc();
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths).sort()).toEqual(["/api/v1/procedures", "/api/v1/procedures/{code}", "/api/v1/procedures/{code}/form", "/api/v1/statistics"]);
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: "http", scheme: "bearer" });
    expect(doc.paths["/api/v1/statistics"]?.get.security).toContainEqual({ bearerAuth: [] });
    for (const status of ["200", "400", "401", "403"]) expect(responseSchema(doc, "/api/v1/statistics", status)).toBeDefined();
  });

  it("documents every parameter the schemas accept, and no other", async () => {
    const doc = await fetchDoc();
    const names = (path: string) => (doc.paths[path]?.get.parameters ?? []).map((p) => p.name).sort();
    expect(names("/api/v1/statistics")).toEqual(Object.keys(StatisticsQuerySchema.in.shape).sort());
    expect(names("/api/v1/procedures")).toEqual(Object.keys(CatalogQuerySchema.shape).sort());
    for (const p of doc.paths["/api/v1/statistics"]?.get.parameters ?? []) expect(p.in).toBe("query");
  });

  it("describes the real answers: statistics (every grouping), errors and the catalog", async () => {
    const doc = await fetchDoc();
    for (const groupBy of ["agency", "field", "procedure", "level", "channel", "none"]) {
      const ok = await respond(apiRoute.loader, get(`/api/v1/statistics?${QS}&groupBy=${groupBy}&interval=month`, sysAdmin.cookie));
      expect(validate(await ok.json(), responseSchema(doc, "/api/v1/statistics", "200"), doc), groupBy).toEqual([]);
    }
    const scoped = await respond(apiRoute.loader, get(`/api/v1/statistics?${QS}`, hnAdmin.cookie));
    expect(validate(await scoped.json(), responseSchema(doc, "/api/v1/statistics", "200"), doc)).toEqual([]);
    const bad = await respond(apiRoute.loader, get("/api/v1/statistics?from=x", sysAdmin.cookie));
    expect(validate(await bad.json(), responseSchema(doc, "/api/v1/statistics", "400"), doc)).toEqual([]);
    const anonymous = await respond(apiRoute.loader, get("/api/v1/statistics"));
    expect(validate(await anonymous.json(), responseSchema(doc, "/api/v1/statistics", "401"), doc)).toEqual([]);
    const catalog = await respond(proceduresRoute.loader, get("/api/v1/procedures?level=4"));
    expect(validate(await catalog.json(), responseSchema(doc, "/api/v1/procedures", "200"), doc)).toEqual([]);
    for (const code of ["3.000333", "1.000894", "1.004884"]) {
      const one = await respond(procedureRoute.loader, get(`/api/v1/procedures/${code}`), { code });
      expect(validate(await one.json(), responseSchema(doc, "/api/v1/procedures/{code}", "200"), doc), code).toEqual([]);
    }
    const form = await respond(formRoute.loader, get("/api/v1/procedures/3.000333/form"), { code: "3.000333" });
    expect(validate(await form.json(), responseSchema(doc, "/api/v1/procedures/{code}/form", "200"), doc)).toEqual([]);
    // The validator does catch a mismatch.
    expect(validate({ numerator: 1, denominator: "2", value: 0.5, extra: true }, { $ref: "#/components/schemas/Ratio" }, doc)).toEqual([
      "$.denominator: string is not integer",
      "$.extra: not in the document",
    ]);
  });
});
