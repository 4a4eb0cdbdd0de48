import { readFileSync } from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import * as z from "zod";
import * as schema from "../../db/schema";
import { db } from "../../app/server/db.server";
import * as adminLayout from "../../app/routes/admin";
import * as page from "../../app/routes/admin.statistics_.reported";
import { formOf, get, newCitizen, newStaff, post, run, sectionLinks, signInAs, type Outcome } from "./helpers";

const PATH = "/admin/statistics/reported";
const APPENDIX = new Uint8Array(readFileSync(path.resolve("db/seed-data/level4-share-2019.csv")));
const HEADER = "kind,no,agency,total_procedures,level4_services,level4_share_reported";

// What the action answers, parsed rather than cast.
const ErrorSchema = z.object({ row: z.number().nullable(), column: z.string().nullable(), message: z.string(), params: z.record(z.string(), z.union([z.string(), z.number()])) });
const FigureSchema = z.object({ group: z.string(), agencies: z.number(), level4: z.number(), total: z.number(), pooled: z.number().nullable(), mean: z.number().nullable() });
const PortalSchema = z
  .object({
    code: z.string(),
    nameVi: z.string(),
    matchedBy: z.enum(["name", "code"]),
    dissolvedOn: z.string().nullable(),
    successor: z.object({ nameVi: z.string() }).nullable(),
    procedures: z.number(),
    level4: z.number(),
    share: z.number().nullable(),
  })
  .nullable();
const AnswerSchema = z.object({
  errors: z.record(z.string(), z.string()),
  csv: z.object({ errors: z.array(ErrorSchema), errorCount: z.number() }).nullable(),
  result: z
    .object({
      source: z.union([z.object({ kind: z.literal("file"), name: z.string() }), z.object({ kind: z.literal("appendix") })]),
      comparison: z.object({
        targetPercent: z.number(),
        rows: z.array(
          z.object({
            row: z.number(),
            agency: z.string(),
            total: z.number(),
            level4: z.number(),
            recomputed: z.number(),
            flagged: z.boolean(),
            meetsTarget: z.object({ reported: z.boolean(), recomputed: z.boolean() }),
            below5: z.boolean(),
          }),
        ),
        summary: z.object({
          rows: z.number(),
          flagged: z.number(),
          meetsTarget: z.object({ reported: z.number(), recomputed: z.number() }),
          below5: z.number(),
          national: z.array(FigureSchema),
        }),
      }),
      portal: z.array(PortalSchema),
      matched: z.number(),
    })
    .nullable(),
  values: z.object({ target: z.string() }),
});
const answerOf = (outcome: Outcome) => AnswerSchema.parse(outcome.data);

const csvFile = (content: string | Uint8Array<ArrayBuffer>, name = "bao-cao.csv") => new File([content], name, { type: "text/csv" });
const upload = (cookie: string | undefined, file: File | null, target = "30") =>
  run(page.action, post(PATH, formOf({ intent: "upload", target, ...(file ? { file } : {}) }), cookie));
const appendix = (cookie: string | undefined, target = "30") => run(page.action, post(PATH, formOf({ intent: "appendix", target }), cookie));

/** The catalog's procedures under an agency, counted here in plain TypeScript from the tables. */
function catalogOf(code: string) {
  const agencies = db().select().from(schema.agencies).all();
  const top = agencies.find((a) => a.code === code);
  if (!top) throw new Error(`no agency ${code}`);
  const ids = new Set(agencies.filter((a) => a.path.startsWith(top.path)).map((a) => a.id));
  const procedures = db().select({ agencyId: schema.procedures.agencyId, level: schema.procedures.level }).from(schema.procedures).all().filter((p) => ids.has(p.agencyId));
  return { procedures: procedures.length, level4: procedures.filter((p) => p.level === 4).length };
}
const eventCount = () => db().select({ n: sql<number>`count(*)` }).from(schema.dossierEvents).get()?.n ?? 0;

let systemAdmin: { cookie: string };
let hanoiAdmin: { cookie: string };

beforeAll(async () => {
  systemAdmin = await signInAs("quan.tri@example.vn");
  hanoiAdmin = await signInAs("quan.tri.hanoi@example.vn");
});

describe("uploading the 2019 appendix", () => {
  it("shows the comparison: 83 agencies, 10 meet 30 % as reported but 8 recomputed, none flagged, 19 below 5 %", async () => {
    const outcome = await upload(systemAdmin.cookie, csvFile(APPENDIX, "level4-share-2019.csv"));
    expect(outcome.status).toBe(200);
    const { result, csv, errors } = answerOf(outcome);
    expect(errors).toEqual({});
    expect(csv).toBeNull();
    expect(result?.source).toEqual({ kind: "file", name: "level4-share-2019.csv" });
    const summary = result?.comparison.summary;
    expect(summary).toMatchObject({ rows: 83, flagged: 0, meetsTarget: { reported: 10, recomputed: 8 }, below5: 19 });
    // Pooled Σ level 4 / Σ total and the unweighted mean of the ratios (hand-checked, see the unit test).
    const [ministry, province, all] = summary?.national ?? [];
    expect(ministry).toMatchObject({ group: "ministry", agencies: 20, level4: 898, total: 4701 });
    expect(ministry?.pooled).toBeCloseTo(19.1023, 4);
    expect(ministry?.mean).toBeCloseTo(19.2149, 4);
    expect(province).toMatchObject({ group: "province", agencies: 63, level4: 13521, total: 120635 });
    expect(province?.pooled).toBeCloseTo(11.2082, 4);
    expect(province?.mean).toBeCloseTo(11.1027, 4);
    expect(all).toMatchObject({ group: "all", agencies: 83, level4: 14419, total: 125336 });
    expect(all?.pooled).toBeCloseTo(11.5043, 4);
    expect(all?.mean).toBeCloseTo(13.0575, 4);
    const ttt = result?.comparison.rows.find((r) => r.agency === "Bộ Thông tin và Truyền thông");
    expect(ttt).toMatchObject({ row: 16, total: 206, level4: 61, flagged: false, meetsTarget: { reported: true, recomputed: false } });
    expect(ttt?.recomputed).toBeCloseTo(29.6117, 4);
  });

  it("sets the portal's measured figures beside each agency, dissolved and renamed ones included", async () => {
    const { result } = answerOf(await upload(systemAdmin.cookie, csvFile(APPENDIX)));
    if (!result) throw new Error("no result");
    // Every agency of the appendix is in the portal: the seed created them from this very file.
    expect(result.matched).toBe(83);
    const portalOf = (agency: string) => result.portal[result.comparison.rows.findIndex((r) => r.agency === agency)];

    const hanoi = portalOf("Hà Nội");
    const hanoiCatalog = catalogOf("ha-noi");
    expect(hanoiCatalog.procedures).toBeGreaterThan(5);
    expect(hanoi).toMatchObject({ code: "ha-noi", matchedBy: "name", dissolvedOn: null, ...hanoiCatalog });
    expect(hanoi?.share).toBeCloseTo((100 * hanoiCatalog.level4) / hanoiCatalog.procedures, 10);
    expect(portalOf("Thành phố Hồ Chí Minh")).toMatchObject({ code: "thanh-pho-ho-chi-minh", ...catalogOf("thanh-pho-ho-chi-minh") });
    expect(portalOf("Bộ Công an")).toMatchObject({ code: "bo-cong-an", ...catalogOf("bo-cong-an") });

    // Dissolved in the 2025 reorganisation: still found, with its successor; no procedures of its own now.
    expect(portalOf("Hà Giang")).toMatchObject({ code: "ha-giang", dissolvedOn: "2025-07-01", successor: { nameVi: "Tuyên Quang" }, procedures: 0, level4: 0, share: null });
    expect(portalOf("Bộ Thông tin và Truyền thông")).toMatchObject({ dissolvedOn: "2025-03-01", successor: { nameVi: "Bộ Khoa học và Công nghệ" } });
    // Renamed since: found by the code the seed made from the appendix's name.
    expect(portalOf("Thừa Thiên-Huế")).toMatchObject({ code: "thua-thien-hue", nameVi: "Thành phố Huế", matchedBy: "code" });
    expect(portalOf("Bộ Nông nghiệp và Phát triển nông thôn")).toMatchObject({ nameVi: "Bộ Nông nghiệp và Môi trường", matchedBy: "code" });
  });

  it("matches other spellings of a name and leaves unknown agencies without portal figures", async () => {
    const content = [HEADER, 'province,1,"TP Hồ Chí Minh",1797,187,10.41%', 'province,2,"Tỉnh Bắc Ninh",1907,135,7.08%', 'ministry,3,"Bộ Tư Pháp",96,7,7.29%', 'province,4,"Tỉnh Không Có",100,10,10%'].join("\n");
    const { result } = answerOf(await upload(systemAdmin.cookie, csvFile(content)));
    expect(result?.portal.map((p) => p?.code ?? null)).toEqual(["thanh-pho-ho-chi-minh", "bac-ninh", "bo-tu-phap", null]);
    expect(result?.portal[1]).toMatchObject(catalogOf("bac-ninh"));
    expect(result?.matched).toBe(3);
    expect(result?.comparison.summary.rows).toBe(4);
  });

  it("loads the bundled appendix without an upload, and judges another target on the recomputed ratio", async () => {
    const outcome = await appendix(systemAdmin.cookie);
    expect(outcome.status).toBe(200);
    const { result } = answerOf(outcome);
    expect(result?.source).toEqual({ kind: "appendix" });
    expect(result?.comparison.summary).toMatchObject({ rows: 83, flagged: 0, meetsTarget: { reported: 10, recomputed: 8 }, below5: 19 });
    // At 27.5 % Bộ GTVT (28.27) and Bộ TN&MT (28.33) join, and the two rounded 30 % rows really do meet it.
    const lower = answerOf(await appendix(systemAdmin.cookie, "27,5"));
    expect(lower.result?.comparison.targetPercent).toBe(27.5);
    expect(lower.result?.comparison.summary.meetsTarget).toEqual({ reported: 12, recomputed: 12 });
  });

  it("is open to an agency administrator (statistics:read) and shown in the administration menu", async () => {
    expect((await appendix(hanoiAdmin.cookie)).status).toBe(200);
    expect((await run(page.loader, get(PATH, hanoiAdmin.cookie))).status).toBe(200);
    const layout = await run(adminLayout.loader, get("/admin", systemAdmin.cookie));
    expect(sectionLinks(layout.data)).toContain("/admin/statistics/reported");
  });
});

describe("a bad file", () => {
  const refused = async (file: File) => {
    const before = eventCount();
    const outcome = await upload(systemAdmin.cookie, file);
    expect(outcome.status).toBe(400);
    const answer = answerOf(outcome);
    // Only the errors: no comparison, nothing imported, nothing recorded.
    expect(answer.result).toBeNull();
    expect(answer.errors).toEqual({});
    expect(eventCount()).toBe(before);
    return answer.csv;
  };

  it("with a wrong header: every column problem, on line 1", async () => {
    const csv = await refused(csvFile(`kind,no,agency,total,level4_services,share\nministry,1,Bộ Y tế,367,57,15.53%\n`));
    expect(csv?.errors).toEqual([
      { row: 1, column: "total", message: "reported.errors.unknown_column", params: { column: "total" } },
      { row: 1, column: "share", message: "reported.errors.unknown_column", params: { column: "share" } },
      { row: 1, column: "total_procedures", message: "reported.errors.missing_column", params: { column: "total_procedures" } },
      { row: 1, column: "level4_share_reported", message: "reported.errors.missing_column", params: { column: "level4_share_reported" } },
    ]);
  });

  it("with a non-number, level 4 above the total and a negative count, each by line and column; the good rows are not imported either", async () => {
    const content = [HEADER, 'ministry,1,"Bộ Y tế",367,57,15.53%', 'ministry,2,"Bộ Tư pháp",chín mươi sáu,7,7.29%', 'province,3,"Hà Nội",1818,2440,13.42%', 'province,4,"Hải Phòng",-1900,132,6.95%', 'province,5,"Cần Thơ",1891,336,17.77%'].join("\n");
    const csv = await refused(csvFile(content));
    expect(csv).toEqual({
      errorCount: 3,
      errors: [
        { row: 3, column: "total_procedures", message: "reported.errors.not_a_number", params: { value: "chín mươi sáu" } },
        { row: 4, column: "level4_services", message: "reported.errors.level4_exceeds_total", params: { level4: 2440, total: 1818 } },
        { row: 5, column: "total_procedures", message: "reported.errors.negative", params: { value: "-1900" } },
      ],
    });
  });

  it("not in UTF-8: a legacy code page or UTF-16 without a BOM", async () => {
    const legacy = new Uint8Array([...new TextEncoder().encode(`${HEADER}\nministry,1,B`), 0xf4, ...new TextEncoder().encode(" Y t\xea,367,57,15.53%\n")]);
    expect((await refused(csvFile(legacy)))?.errors).toEqual([{ row: 2, column: null, message: "reported.errors.not_utf8", params: {} }]);
    const utf16 = new Uint8Array(Array.from(`${HEADER}\nministry,1,Bo Y te,367,57,15.53%\n`).flatMap((c) => [c.charCodeAt(0), 0]));
    expect((await refused(csvFile(utf16)))?.errors).toEqual([{ row: 1, column: null, message: "reported.errors.utf16", params: {} }]);
  });

  it("that is empty or over 1 MB", async () => {
    expect((await refused(csvFile("")))?.errors).toEqual([{ row: null, column: null, message: "reported.errors.empty", params: {} }]);
    const big = `${HEADER}\n${"ministry,1,Bộ Y tế,367,57,15.53%\n".repeat(40_000)}`;
    expect((await refused(csvFile(big)))?.errors).toEqual([{ row: null, column: null, message: "reported.errors.too_large", params: { maxKb: 1024 } }]);
  });

  it("or none, or a bad target: field errors, 400", async () => {
    const noFile = await upload(systemAdmin.cookie, null);
    expect(noFile.status).toBe(400);
    expect(answerOf(noFile)).toMatchObject({ errors: { file: "reported.errors.file_required" }, csv: null, result: null });
    const badTarget = await upload(systemAdmin.cookie, csvFile(APPENDIX), "ba mươi");
    expect(badTarget.status).toBe(400);
    expect(answerOf(badTarget)).toMatchObject({ errors: { target: "reported.errors.target_invalid" }, csv: null, result: null, values: { target: "ba mươi" } });
    const badIntent = await run(page.action, post(PATH, formOf({ intent: "import", target: "30" }), systemAdmin.cookie));
    expect(badIntent.status).toBe(400);
    expect(answerOf(badIntent)).toMatchObject({ errors: { _form: "reported.errors.bad_request" }, result: null });
  });
});

describe("guards", () => {
  it("refuses officers and citizens with 403, loader and action", async () => {
    const officer = await newStaff("officer", "ha-noi-phuong-hoan-kiem");
    const citizen = await newCitizen();
    for (const who of [officer, citizen]) {
      expect((await run(page.loader, get(PATH, who.cookie))).status).toBe(403);
      expect((await upload(who.cookie, csvFile(APPENDIX))).status).toBe(403);
      expect((await appendix(who.cookie)).status).toBe(403);
    }
  });

  it("sends someone not signed in to sign-in", async () => {
    expect(await run(page.loader, get(PATH))).toMatchObject({ status: 302, location: `/login?${new URLSearchParams({ redirectTo: PATH })}` });
    expect(await upload(undefined, csvFile(APPENDIX))).toMatchObject({ status: 302, location: `/login?${new URLSearchParams({ redirectTo: PATH })}` });
  });
});
