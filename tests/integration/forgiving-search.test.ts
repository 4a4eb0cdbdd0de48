import { eq } from "drizzle-orm";
import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { I18nextProvider } from "react-i18next";
import { createStaticHandler, createStaticRouter, StaticRouterProvider } from "react-router-dom/server";
import { describe, expect, it } from "vitest";
import * as z from "zod";
import { schema } from "../../app/server/platform/schema.server";
import { createI18n } from "../../app/i18n";
import { listProcedures } from "../../app/server/catalog/catalog.server";
import { db, inTransaction } from "../../app/server/platform/db.server";
import { languageCookie, translations } from "../../app/server/platform/i18n.server";
import { reindexProcedureSearch } from "../../app/server/catalog/search-index.server";
import * as api from "../../app/routes/api.v1.procedures";
import * as catalog from "../../app/routes/procedures._index";
import { get, run } from "./helpers";

const search = async (q: string, filters: { level?: number } = {}) => await listProcedures({ q, page: 1, ...filters });
const codes = async (q: string) => (await search(q)).items.map((p) => p.code);

/** The catalog page as the server renders it without JavaScript, with its loader's title. */
async function renderCatalog(path: string, lang: "vi" | "en" = "vi") {
  const cookie = lang === "en" ? (await languageCookie.serialize("en")).split(";")[0] : undefined;
  const routes = [
    {
      id: "catalog",
      path: "/procedures",
      loader: ({ request }: { request: Request }) => catalog.loader({ request, params: {}, context: {} }),
      Component: catalog.default,
    },
  ];
  const handler = createStaticHandler(routes);
  const context = await handler.query(get(path, cookie));
  if (context instanceof Response) throw new Error(`answered ${context.status}`);
  const title = z.object({ title: z.string() }).parse(context.loaderData.catalog).title;
  const page = createElement(StaticRouterProvider, { router: createStaticRouter(handler.dataRoutes, context), context, hydrate: false });
  const html = renderToString(createElement(I18nextProvider, { i18n: createI18n(lang, translations[lang]) }, page));
  return { title, html: html.replaceAll("<!-- -->", "") }; // React's markers between adjacent texts
}

describe("i/y spelling variants", () => {
  it("'dang ki ket hon' finds Đăng ký kết hôn, as 'dang ky ket hon' does, without a correction", async () => {
    const ki = await search("dang ki ket hon");
    expect(ki.items.map((p) => p.code)).toContain("1.000894");
    expect(ki.correction).toBeNull();
    expect(ki.items.map((p) => p.code)).toEqual(await codes("dang ky ket hon"));
    expect(await codes("Đăng kí kết hôn")).toEqual(await codes("Đăng ký kết hôn"));
  });

  it("other i/y words: 'li lich tu phap' finds Phiếu lý lịch tư pháp, 'chu ki' Chứng thực chữ ký", async () => {
    expect(await codes("li lich tu phap")).toContain("3.000333");
    expect(await codes("chứng thực chữ kí")).toContain("2.000884");
  });

  it("the other spelling matches whole words only: 'dang ky' does not widen to Đăng kiểm, 'dang ki' (being typed) does", async () => {
    await renamed("1.010738", "Đăng kiểm phương tiện", async () => {
      expect(await codes("dang ky")).not.toContain("1.010738");
      expect(await codes("dang ki")).toContain("1.010738");
      expect(await codes("dang ki")).toContain("1.001193");
    });
  });
});

/** Runs `check` while a seeded procedure bears another name (search index included), then puts the name back. */
async function renamed(code: string, nameVi: string, check: () => Promise<void>) {
  const [row] = await db().select().from(schema.procedures).where(eq(schema.procedures.code, code)).limit(1);
  if (!row) throw new Error(`no ${code}`);
  await inTransaction(async (tx) => {
    await tx.update(schema.procedures).set({ nameVi }).where(eq(schema.procedures.id, row.id));
    await reindexProcedureSearch(tx, [row.id]);
  });
  try {
    await check();
  } finally {
    await inTransaction(async (tx) => {
      await tx.update(schema.procedures).set({ nameVi: row.nameVi }).where(eq(schema.procedures.id, row.id));
      await reindexProcedureSearch(tx, [row.id]);
    });
  }
}

describe("typos", () => {
  it("a one-letter typo: 'khai sinhh' shows Đăng ký khai sinh, with the correction it used", async () => {
    const found = await search("khai sinhh");
    expect(found.correction).toBe("khai sinh");
    expect(found.items.map((p) => p.code)).toContain("1.001193");
    expect(found.total).toBe((await search("khai sinh")).total);
  });

  it("keeps the words typed correctly as typed, accents included, and the filters", async () => {
    const found = await search("Đăng ký khai sinhh", { level: 4 });
    expect(found.correction).toBe("Đăng ký khai sinh");
    expect(found.items.length).toBeGreaterThan(0);
    expect(found.items.every((p) => p.level === 4)).toBe(true);
  });

  it("a swapped pair and a missing letter: 'khia sinh', 'dang ky khai snh'", async () => {
    expect((await search("khia sinh")).correction).toBe("khai sinh");
    expect((await search("dang ky khai snh")).items.map((p) => p.code)).toContain("1.001193");
  });

  it("English names still work, typos included: 'birth registration', 'marriage registraton'", async () => {
    expect(await codes("birth registration")).toContain("1.001193");
    const typo = await search("marriage registraton");
    expect(typo.correction).toBe("marriage registration");
    expect(typo.items.map((p) => p.code)).toContain("1.000894");
  });

  it("no plausible correction: nothing found and nothing suggested", async () => {
    for (const q of ["xyzxyz qqq", "khong co thu tuc nao nhu vay", "khai sinhh zzzzzzzz"]) {
      const found = await search(q);
      expect(found.total, q).toBe(0);
      expect(found.correction, q).toBeNull();
    }
  });

  it("corrects only what matches nothing: a query with results is never replaced", async () => {
    expect((await search("khai sinh")).correction).toBeNull();
    expect((await search("khai si")).correction).toBeNull();
  });

  it("learns a word as soon as a procedure's name gets it (the vocabulary follows the index)", async () => {
    expect((await search("quang cao truc tuyenn")).total).toBe(0);
    await renamed("1.010738", "Đăng ký quảng cáo trực tuyến", async () => {
      const found = await search("quang cao truc tuyenn");
      expect(found.correction).toBe("quang cao truc tuyen");
      expect(found.items.map((p) => p.code)).toEqual(["1.010738"]);
    });
  });
});

describe("the results page", () => {
  it("names the query in its title and heading, in Vietnamese and English", async () => {
    const vi = await renderCatalog("/procedures?q=khai+sinh");
    expect(vi.title).toBe("Kết quả tìm kiếm “khai sinh”");
    expect(vi.html).toContain('<h1 class="search-heading">Kết quả tìm kiếm “khai sinh”</h1>');
    const en = await renderCatalog("/procedures?q=birth+registration", "en");
    expect(en.title).toBe("Search results for “birth registration”");
    expect(en.html).toContain('<h1 class="search-heading">Search results for “birth registration”</h1>');
    // Without a query it is the catalog.
    expect((await renderCatalog("/procedures")).title).toBe("Thủ tục hành chính");
  });

  it("a 'did you mean' link to the corrected search, filters kept, as a plain link (no JavaScript needed)", async () => {
    const { html } = await renderCatalog("/procedures?q=khai+sinhh&level=4");
    expect(html).toContain("Không có thủ tục nào khớp với “khai sinhh”. Có phải bạn muốn tìm <a");
    expect(html).toMatch(/<a [^>]*href="\/procedures\?q=khai\+sinh&amp;level=4"[^>]*>khai sinh<\/a>\?/);
    expect(html).toContain("thủ tục tìm thấy cho “khai sinh”.");
    expect(html).toContain('href="/procedures/1.001193"');
    const en = await renderCatalog("/procedures?q=khai+sinhh", "en");
    expect(en.html).toMatch(/No procedure matches “khai sinhh”\. Did you mean <a [^>]*href="\/procedures\?q=khai\+sinh"[^>]*>khai sinh<\/a>\?/);
  });

  it("no suggestion when there is no plausible correction: the page says nothing was found", async () => {
    const { html } = await renderCatalog("/procedures?q=xyzxyz+qqq");
    expect(html).not.toContain("Có phải bạn muốn tìm");
    expect(html).toContain("Không tìm thấy thủ tục phù hợp.");
  });

  it("the JSON API carries the correction with the corrected results", async () => {
    const res = await run(api.loader, get("/api/v1/procedures?q=khai+sinhh"));
    const body = z.object({ correction: z.string().nullable(), items: z.array(z.object({ code: z.string() })) }).parse(res.data);
    expect(body.correction).toBe("khai sinh");
    expect(body.items.map((i) => i.code)).toContain("1.001193");
    const plain = z.object({ correction: z.string().nullable() }).parse((await run(api.loader, get("/api/v1/procedures?q=khai+sinh"))).data);
    expect(plain.correction).toBeNull();
  });
});
