import { parse } from "csv-parse/sync";
import { readFileSync } from "node:fs";
import path from "node:path";
import { eq } from "drizzle-orm";
import { createHash } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import * as z from "zod";
import { schema } from "../../app/server/platform/schema.server";
import { db } from "../../app/server/platform/db.server";
import { countAll } from "../../app/server/platform/dialect.server";
import { languageCookie } from "../../app/server/platform/i18n.server";
import * as adminLayout from "../../app/routes/admin";
import * as page from "../../app/routes/admin.statistics_.reported";
import * as importPage from "../../app/routes/admin.statistics_.reported_.$importId";
import * as importCsv from "../../app/routes/admin.statistics_.reported_.$importId_.comparison[.]csv";
import { newCitizen, newStaff, signInAs } from "../fixtures/accounts";
import { formOf, get, post, run, sectionLinks, type Outcome } from "./helpers";

const PATH = "/admin/statistics/reported";
const APPENDIX = new Uint8Array(readFileSync(path.resolve("db/seed-data/level4-share-2019.csv")));
const HEADER = "kind,no,agency,total_procedures,level4_services,level4_share_reported";

// What the action answers, parsed rather than cast.
const ErrorSchema = z.object({
  row: z.number().nullable(),
  column: z.string().nullable(),
  message: z.string(),
  params: z.record(z.string(), z.union([z.string(), z.number()])),
});
const FigureSchema = z.object({
  group: z.string(),
  agencies: z.number(),
  level4: z.number(),
  total: z.number(),
  pooled: z.number().nullable(),
  mean: z.number().nullable(),
});
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
const ComparisonSchema = z.object({
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
      verdictChanged: z.boolean(),
      below5: z.boolean(),
    }),
  ),
  summary: z.object({
    rows: z.number(),
    flagged: z.number(),
    meetsTarget: z.object({ reported: z.number(), recomputed: z.number() }),
    verdictChanged: z.number(),
    below5: z.number(),
    national: z.array(FigureSchema),
  }),
});
/** The action's answer when the file is refused: nothing kept, the errors shown on the page. */
const AnswerSchema = z.object({
  errors: z.record(z.string(), z.string()),
  csv: z.object({ errors: z.array(ErrorSchema), errorCount: z.number() }).nullable(),
  values: z.object({ target: z.string() }),
});
const answerOf = (outcome: Outcome) => AnswerSchema.parse(outcome.data);
/** A kept import, as its own page's loader gives it. */
const ImportSchema = z.object({
  title: z.string(),
  found: z.object({
    id: z.number(),
    createdAt: z.string(),
    source: z.enum(["file", "appendix"]),
    fileName: z.string(),
    fileSha256: z.string(),
    targetPercent: z.number(),
    importedBy: z.string(),
    summary: z.object({
      rows: z.number(),
      flagged: z.number(),
      meetsReported: z.number(),
      meetsRecomputed: z.number(),
      below5: z.number(),
      matched: z.number(),
      verdictChanged: z.array(z.object({ agency: z.string(), total: z.number(), level4: z.number(), reported: z.string() })),
    }),
    ok: z.literal(true),
    comparison: ComparisonSchema,
    portal: z.array(PortalSchema),
    matched: z.number(),
  }),
});

/** The id an accepted file was kept under: the action redirects to the import's own page. */
function importIdOf(outcome: Outcome): number {
  expect(outcome.status, JSON.stringify(outcome.data)).toBe(302);
  const id = outcome.location?.match(/^\/admin\/statistics\/reported\/(\d+)$/)?.[1];
  if (!id) throw new Error(`not an import's address: ${outcome.location}`);
  return Number(id);
}
const openImport = async (id: number | string, cookie: string | undefined) => run(importPage.loader, get(`${PATH}/${id}`, cookie), { importId: String(id) });
/** Imports (expecting success) and opens the import's page: what the administrator then reads. */
async function resultOf(outcome: Outcome, cookie: string) {
  const opened = await openImport(importIdOf(outcome), cookie);
  expect(opened.status).toBe(200);
  const { found } = ImportSchema.parse(opened.data);
  return {
    ...found,
    result: {
      source: found.source === "appendix" ? { kind: "appendix" } : { kind: "file", name: found.fileName },
      comparison: found.comparison,
      portal: found.portal,
      matched: found.matched,
    },
  };
}

const csvFile = (content: string | Uint8Array<ArrayBuffer>, name = "bao-cao.csv") => new File([content], name, { type: "text/csv" });
const upload = (cookie: string | undefined, file: File | null, target = "30") =>
  run(page.action, post(PATH, formOf({ intent: "upload", target, ...(file ? { file } : {}) }), cookie));
const appendix = (cookie: string | undefined, target = "30") => run(page.action, post(PATH, formOf({ intent: "appendix", target }), cookie));

/** The catalog's procedures under an agency, counted here in plain TypeScript from the tables. */
async function catalogOf(code: string) {
  const agencies = await db().select().from(schema.agencies);
  const top = agencies.find((a) => a.code === code);
  if (!top) throw new Error(`no agency ${code}`);
  const ids = new Set(agencies.filter((a) => a.path.startsWith(top.path)).map((a) => a.id));
  const procedures = (await db().select({ agencyId: schema.procedures.agencyId, level: schema.procedures.level }).from(schema.procedures)).filter((p) =>
    ids.has(p.agencyId),
  );
  return { procedures: procedures.length, level4: procedures.filter((p) => p.level === 4).length };
}
const importCount = async () => (await db().select({ n: countAll() }).from(schema.reportedImports))[0]?.n ?? 0;
const eventCount = async () => (await db().select({ n: countAll() }).from(schema.dossierEvents))[0]?.n ?? 0;

let systemAdmin: { id: number; cookie: string };
let hanoiAdmin: { id: number; cookie: string };

beforeAll(async () => {
  systemAdmin = await signInAs("quan.tri@example.vn");
  hanoiAdmin = await signInAs("quan.tri.hanoi@example.vn");
});

describe("uploading the 2019 appendix", () => {
  it("shows the comparison: 83 agencies, 10 meet 30 % as reported but 8 recomputed, none flagged, 19 below 5 %", async () => {
    const outcome = await upload(systemAdmin.cookie, csvFile(APPENDIX, "level4-share-2019.csv"));
    const { result } = await resultOf(outcome, systemAdmin.cookie);
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
    const { result } = await resultOf(await upload(systemAdmin.cookie, csvFile(APPENDIX)), systemAdmin.cookie);
    // Every agency of the appendix is in the portal: the seed created them from this very file.
    expect(result.matched).toBe(83);
    const portalOf = (agency: string) => result.portal[result.comparison.rows.findIndex((r) => r.agency === agency)];

    const hanoi = portalOf("Hà Nội");
    const hanoiCatalog = await catalogOf("ha-noi");
    expect(hanoiCatalog.procedures).toBeGreaterThan(5);
    expect(hanoi).toMatchObject({ code: "ha-noi", matchedBy: "name", dissolvedOn: null, ...hanoiCatalog });
    expect(hanoi?.share).toBeCloseTo((100 * hanoiCatalog.level4) / hanoiCatalog.procedures, 10);
    expect(portalOf("Thành phố Hồ Chí Minh")).toMatchObject({ code: "thanh-pho-ho-chi-minh", ...(await catalogOf("thanh-pho-ho-chi-minh")) });
    expect(portalOf("Bộ Công an")).toMatchObject({ code: "bo-cong-an", ...(await catalogOf("bo-cong-an")) });

    // Dissolved in the 2025 reorganisation: still found, with its successor; no procedures of its own now.
    expect(portalOf("Hà Giang")).toMatchObject({
      code: "ha-giang",
      dissolvedOn: "2025-07-01",
      successor: { nameVi: "Tuyên Quang" },
      procedures: 0,
      level4: 0,
      share: null,
    });
    expect(portalOf("Bộ Thông tin và Truyền thông")).toMatchObject({ dissolvedOn: "2025-03-01", successor: { nameVi: "Bộ Khoa học và Công nghệ" } });
    // Renamed since: found by the code the seed made from the appendix's name.
    expect(portalOf("Thừa Thiên-Huế")).toMatchObject({ code: "thua-thien-hue", nameVi: "Thành phố Huế", matchedBy: "code" });
    expect(portalOf("Bộ Nông nghiệp và Phát triển nông thôn")).toMatchObject({ nameVi: "Bộ Nông nghiệp và Môi trường", matchedBy: "code" });
  });

  it("matches other spellings of a name and leaves unknown agencies without portal figures", async () => {
    const content = [
      HEADER,
      'province,1,"TP Hồ Chí Minh",1797,187,10.41%',
      'province,2,"Tỉnh Bắc Ninh",1907,135,7.08%',
      'ministry,3,"Bộ Tư Pháp",96,7,7.29%',
      'province,4,"Tỉnh Không Có",100,10,10%',
    ].join("\n");
    const { result } = await resultOf(await upload(systemAdmin.cookie, csvFile(content)), systemAdmin.cookie);
    expect(result?.portal.map((p) => p?.code ?? null)).toEqual(["thanh-pho-ho-chi-minh", "bac-ninh", "bo-tu-phap", null]);
    expect(result?.portal[1]).toMatchObject(await catalogOf("bac-ninh"));
    expect(result?.matched).toBe(3);
    expect(result?.comparison.summary.rows).toBe(4);
  });

  it("loads the bundled appendix without an upload, and judges another target on the recomputed ratio", async () => {
    const outcome = await appendix(systemAdmin.cookie);
    const { result } = await resultOf(outcome, systemAdmin.cookie);
    expect(result?.source).toEqual({ kind: "appendix" });
    expect(result?.comparison.summary).toMatchObject({ rows: 83, flagged: 0, meetsTarget: { reported: 10, recomputed: 8 }, below5: 19 });
    // At 27.5 % Bộ GTVT (28.27) and Bộ TN&MT (28.33) join, and the two rounded 30 % rows really do meet it.
    const lower = await resultOf(await appendix(systemAdmin.cookie, "27,5"), systemAdmin.cookie);
    expect(lower.result?.comparison.targetPercent).toBe(27.5);
    expect(lower.result?.comparison.summary.meetsTarget).toEqual({ reported: 12, recomputed: 12 });
  });

  it("is open to an agency administrator (statistics:read) and shown in the administration menu", async () => {
    expect((await appendix(hanoiAdmin.cookie)).status).toBe(302);
    expect((await run(page.loader, get(PATH, hanoiAdmin.cookie))).status).toBe(200);
    const layout = await run(adminLayout.loader, get("/admin", systemAdmin.cookie));
    expect(sectionLinks(layout.data)).toContain("/admin/statistics/reported");
  });
});

describe("the import is kept and can be opened again", () => {
  /** The verdict changes computed here, in plain TypeScript, straight from the appendix's lines. */
  function flipsInAppendix(targetPercent: number) {
    return new TextDecoder()
      .decode(APPENDIX)
      .trim()
      .split(/\r?\n/)
      .slice(1)
      .map((line) => {
        const m = /^(\w+),(\d*),"([^"]+)",(\d+),(\d+),([\d.]+)%$/.exec(line);
        if (!m) throw new Error(`unexpected line ${line}`);
        return { agency: m[3] ?? "", total: Number(m[4]), level4: Number(m[5]), reported: Number(m[6]) };
      })
      .filter((r) => r.reported >= targetPercent !== (100 * r.level4) / r.total >= targetPercent);
  }

  it("names first the agencies whose verdict flips, computed from the CSV: Bộ TT&TT (61/206) and Lào Cai (620/2076)", async () => {
    const expected = flipsInAppendix(30);
    expect(expected.map((r) => r.agency)).toEqual(["Bộ Thông tin và Truyền thông", "Lào Cai"]);
    const { summary, comparison } = await resultOf(await appendix(systemAdmin.cookie), systemAdmin.cookie);
    expect(summary.verdictChanged).toEqual(
      expected.map((r) => expect.objectContaining({ agency: r.agency, total: r.total, level4: r.level4, reported: "30%" })),
    );
    expect(comparison.summary.verdictChanged).toBe(2);
    const changed = comparison.rows.filter((r) => r.verdictChanged);
    expect(changed.map((r) => [r.agency, Number(r.recomputed.toFixed(2))])).toEqual([
      ["Bộ Thông tin và Truyền thông", 29.61],
      ["Lào Cai", 29.87],
    ]);
  });

  it("keeps who, when, the file name, the file's SHA-256 and the summary, with one audit event, and reopens it by id", async () => {
    const imports = await importCount();
    const events = (await db().select().from(schema.dossierEvents).where(eq(schema.dossierEvents.type, "reported_imported"))).length;
    const before = Date.now();
    const id = importIdOf(await upload(systemAdmin.cookie, csvFile(APPENDIX, "phu-luc-2019.csv")));
    expect(await importCount()).toBe(imports + 1);

    const [row] = await db().select().from(schema.reportedImports).where(eq(schema.reportedImports.id, id)).limit(1);
    expect(row).toMatchObject({
      userId: systemAdmin.id,
      source: "file",
      fileName: "phu-luc-2019.csv",
      fileSha256: createHash("sha256").update(APPENDIX).digest("hex"),
      targetHundredths: 3000,
    });
    expect(row?.createdAt.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(Buffer.compare(Buffer.from(row?.content ?? []), Buffer.from(APPENDIX))).toBe(0);
    expect(row?.summary).toMatchObject({ rows: 83, flagged: 0, meetsReported: 10, meetsRecomputed: 8, below5: 19, matched: 83 });

    const logged = await db().select().from(schema.dossierEvents).where(eq(schema.dossierEvents.type, "reported_imported")).orderBy(schema.dossierEvents.id);
    expect(logged.length).toBe(events + 1);
    expect(logged.at(-1)).toMatchObject({
      actorId: systemAdmin.id,
      actorRole: "system_admin",
      data: { importId: id, fileName: "phu-luc-2019.csv", sha256: row?.fileSha256 },
    });

    // Opened again later, by its address, by another administrator: the same import and comparison.
    const again = ImportSchema.parse((await openImport(id, hanoiAdmin.cookie)).data).found;
    expect(again).toMatchObject({ id, fileName: "phu-luc-2019.csv", fileSha256: row?.fileSha256, importedBy: "Quản trị hệ thống", targetPercent: 30 });
    expect(again.comparison.summary).toMatchObject({ rows: 83, meetsTarget: { reported: 10, recomputed: 8 }, verdictChanged: 2 });
    // And listed on the main page, newest first, linking to it.
    const list = z
      .object({ imports: z.object({ items: z.array(z.object({ id: z.number(), fileName: z.string() })) }) })
      .parse((await run(page.loader, get(PATH, systemAdmin.cookie))).data);
    expect(list.imports.items[0]).toMatchObject({ id, fileName: "phu-luc-2019.csv" });
  });

  it("answers 404 for an import that does not exist or an address that is not one", async () => {
    expect((await openImport(999_999, systemAdmin.cookie)).status).toBe(404);
    expect((await openImport("abc", systemAdmin.cookie)).status).toBe(404);
    expect((await openImport("0", systemAdmin.cookie)).status).toBe(404);
    expect((await run(importCsv.loader, get(`${PATH}/999999/comparison.csv`, systemAdmin.cookie), { importId: "999999" })).status).toBe(404);
  });
});

describe("the comparison as CSV", () => {
  const download = async (id: number, cookie: string) => {
    const response = await importCsv.loader({ request: get(`${PATH}/${id}/comparison.csv`, cookie), params: { importId: String(id) }, context: {} });
    // Response.text() would drop the byte-order mark: read the bytes as they are sent.
    return { response, text: new TextDecoder("utf-8", { ignoreBOM: true }).decode(await response.arrayBuffer()) };
  };

  it("is UTF-8 with a BOM, one line per agency with exact recomputed shares, headers in the reader's language", async () => {
    const id = importIdOf(await appendix(systemAdmin.cookie));
    const { response, text } = await download(id, systemAdmin.cookie);
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("Content-Disposition")).toMatch(
      new RegExp(`^attachment; filename="doi-chieu-so-lieu-bao-cao-${id}-\\d{4}-\\d{2}-\\d{2}\\.csv"$`),
    );
    expect(text.charCodeAt(0)).toBe(0xfeff); // the bytes EF BB BF: Excel then reads UTF-8, not the ANSI code page
    expect(text.endsWith("\r\n")).toBe(true);
    const records: string[][] = parse(text.slice(1), { record_delimiter: "\r\n" });
    expect(records.length).toBe(1 + 83);
    expect(records[0]?.slice(0, 4)).toEqual(["Dòng trong tệp", "Loại", "Số thứ tự trong tệp", "Cơ quan"]);
    // line, kind, no, agency, total, level 4, reported, recomputed, difference, allowance, beyond rounding, meets (reported), meets (recomputed), verdict changed
    const ttt = records.find((r) => r[3] === "Bộ Thông tin và Truyền thông");
    expect(ttt?.slice(0, 14)).toEqual([
      "16",
      "Bộ, ngành",
      "15",
      "Bộ Thông tin và Truyền thông",
      "206",
      "61",
      "30%",
      "29.6117",
      "0.3883",
      "0.5",
      "không",
      "có",
      "không",
      "có",
    ]);
    const laoCai = records.find((r) => r[3] === "Lào Cai");
    expect(laoCai?.slice(4, 14)).toEqual(["2076", "620", "30%", "29.8651", "0.1349", "0.5", "không", "có", "không", "có"]);
    expect(records.filter((r) => r[13] === "có").map((r) => r[3])).toEqual(["Bộ Thông tin và Truyền thông", "Lào Cai"]);
    // A share reported with decimals has its own, smaller allowance.
    expect(records.find((r) => r[3] === "Bộ Y tế")?.slice(6, 10)).toEqual(["15.53%", "15.5313", "-0.0013", "0.005"]);
  });

  it("neutralises a cell a spreadsheet would run as a formula", async () => {
    const content = [
      HEADER,
      'province,1,"=HYPERLINK(""http://evil.example"",""Bấm"")",100,40,40%',
      'province,2,"@SUM(1+1)",100,10,10%',
      'ministry,3,"-2+3",100,5,5%',
      'ministry,4,"Bộ Y tế",367,57,15.53%',
    ].join("\n");
    const id = importIdOf(await upload(systemAdmin.cookie, csvFile(content, "=cmd.csv")));
    const { text } = await download(id, systemAdmin.cookie);
    const lines = text.slice(1).split("\r\n");
    expect(lines[1]).toContain(`,"'=HYPERLINK(""http://evil.example"",""Bấm"")",`);
    expect(lines[2]).toContain(",'@SUM(1+1),");
    expect(lines[3]).toContain(",'-2+3,");
    // No cell anywhere starts with a formula sign, quoted or not.
    const cells = lines.flatMap((l) => l.match(/(?<=^|,)("(?:[^"]|"")*"|[^,]*)/g) ?? []);
    expect(cells.filter((c) => /^"?[=+@]/.test(c))).toEqual([]);
  });

  it("is in English for a reader who chose English", async () => {
    const id = importIdOf(await appendix(systemAdmin.cookie));
    const lng = (await languageCookie.serialize("en")).split(";")[0] ?? "";
    const request = get(`${PATH}/${id}/comparison.csv`, `${systemAdmin.cookie}; ${lng}`);
    const text = await (await importCsv.loader({ request, params: { importId: String(id) }, context: {} })).text();
    expect(text.split("\r\n")[0]?.split(",").slice(0, 4)).toEqual(["Line in the file", "Kind", "Number in the file", "Agency"]);
    expect(text).toContain("Ministries and central agencies");
  });
});

describe("a bad file", () => {
  const refused = async (file: File) => {
    const before = await eventCount();
    const imports = await importCount();
    const outcome = await upload(systemAdmin.cookie, file);
    expect(outcome.status).toBe(400);
    const answer = answerOf(outcome);
    // Only the errors: nothing imported, nothing kept, nothing recorded.
    expect(await importCount()).toBe(imports);
    expect(answer.errors).toEqual({});
    expect(await eventCount()).toBe(before);
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
    const content = [
      HEADER,
      'ministry,1,"Bộ Y tế",367,57,15.53%',
      'ministry,2,"Bộ Tư pháp",chín mươi sáu,7,7.29%',
      'province,3,"Hà Nội",1818,2440,13.42%',
      'province,4,"Hải Phòng",-1900,132,6.95%',
      'province,5,"Cần Thơ",1891,336,17.77%',
    ].join("\n");
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
    expect(answerOf(noFile)).toMatchObject({ errors: { file: "reported.errors.file_required" }, csv: null });
    const badTarget = await upload(systemAdmin.cookie, csvFile(APPENDIX), "ba mươi");
    expect(badTarget.status).toBe(400);
    expect(answerOf(badTarget)).toMatchObject({ errors: { target: "reported.errors.target_invalid" }, csv: null, values: { target: "ba mươi" } });
    const badIntent = await run(page.action, post(PATH, formOf({ intent: "import", target: "30" }), systemAdmin.cookie));
    expect(badIntent.status).toBe(400);
    expect(answerOf(badIntent)).toMatchObject({ errors: { _form: "reported.errors.bad_request" } });
  });
});

describe("guards", () => {
  it("refuses officers and citizens with 403: the page, the upload, a kept import and its CSV", async () => {
    const officer = await newStaff("officer", "ha-noi-phuong-hoan-kiem");
    const citizen = await newCitizen();
    const id = importIdOf(await appendix(systemAdmin.cookie));
    for (const who of [officer, citizen]) {
      expect((await openImport(id, who.cookie)).status).toBe(403);
      expect((await run(importCsv.loader, get(`${PATH}/${id}/comparison.csv`, who.cookie), { importId: String(id) })).status).toBe(403);
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
