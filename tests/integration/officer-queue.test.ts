import { eq } from "drizzle-orm";
import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { I18nextProvider } from "react-i18next";
import { createStaticHandler, createStaticRouter, StaticRouterProvider } from "react-router-dom/server";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { schema } from "../../app/server/platform/schema.server";
import { addWorkingDays, createCalendar, nextWorkingDay, vnDate } from "../../app/core/calendar/working-days";
import type { TransitionName } from "../../app/core/dossiers/status";
import { createI18n } from "../../app/i18n";
import { db, onPostgres } from "../../app/server/platform/db.server";
import { translations } from "../../app/server/platform/i18n.server";
import { getQueue, QueueQuerySchema } from "../../app/server/dossiers/officer-queue.server";
import { applyTransition } from "../../app/server/dossiers/workflow.server";
import * as queue from "../../app/routes/officer._index";
import { newCitizen, signInAs } from "../fixtures/accounts";
import { issueTestResult, submitDossier, officerFor } from "../fixtures/dossiers";
import { get, run } from "./helpers";

// Agency A: Hoàn Kiếm ward (two online procedures); agency B: Kinh Bắc ward.
const A_BIRTH = "1.001193"; // Đăng ký khai sinh: level 4, free
const A_HOUSEHOLD = "2.000720"; // Đăng ký thay đổi hộ kinh doanh: level 3, paid at the counter
const B_PARENT = "1.001022"; // Đăng ký nhận cha, mẹ, con (Kinh Bắc): level 3

const cal = createCalendar();
const today = vnDate(new Date());
const soonUntil = addWorkingDays(cal, today, 2);
const laterDate = nextWorkingDay(cal, soonUntil);

type Fixture = {
  name: string;
  cccd: string;
  phone: string;
  procedure: string;
  moves: TransitionName[];
  dueOn?: string;
  channel?: "counter" | "assisted";
  paused?: boolean;
};

/** Agency A's dossiers, in submission order. Due dates are set after the moves (receipt sets its own). */
const A: Record<string, Fixture> = {
  a1: { name: "Nguyễn Văn An", cccd: "001090000101", phone: "0901000101", procedure: A_BIRTH, moves: ["receive", "startProcessing"], dueOn: "2026-01-05" },
  a2: { name: "Trần Thị Bình", cccd: "001090000102", phone: "0901000102", procedure: A_BIRTH, moves: ["receive"], dueOn: today, channel: "counter" },
  a3: {
    name: "Đỗ Đức Dũng",
    cccd: "001090000103",
    phone: "0901000103",
    procedure: A_HOUSEHOLD,
    moves: ["receive", "requestPayment"],
    dueOn: soonUntil,
    channel: "assisted",
  },
  a4: { name: "Lê Văn Cường", cccd: "001090000104", phone: "0901000104", procedure: A_HOUSEHOLD, moves: ["receive", "startProcessing"], dueOn: laterDate },
  // Late on paper but waiting on the citizen: the clock is paused, so it is not overdue.
  a5: {
    name: "Phạm Thị Em",
    cccd: "001090000105",
    phone: "0901000105",
    procedure: A_BIRTH,
    moves: ["receive", "requestSupplement"],
    dueOn: "2026-01-06",
    paused: true,
  },
  // Not yet received: only a provisional date, never overdue.
  a6: { name: "Hoàng Văn Giang", cccd: "001090000106", phone: "0901000106", procedure: A_BIRTH, moves: [], dueOn: "2026-01-07" },
  a7: {
    name: "Nguyễn Thị Hoa",
    cccd: "001090000107",
    phone: "0901000107",
    procedure: A_HOUSEHOLD,
    moves: ["receive", "startProcessing", "issueResult", "returnResult"],
  },
  a8: { name: "Vũ Văn Khánh", cccd: "001090000108", phone: "0901000108", procedure: A_BIRTH, moves: ["refuse"] },
};
const B_SAME_NAME: Fixture = {
  name: "Nguyễn Văn An",
  cccd: "027090000201",
  phone: "0901000201",
  procedure: B_PARENT,
  moves: ["receive", "startProcessing"],
  dueOn: "2026-01-05",
};
const B_MORE = 26; // with B_SAME_NAME: 27 open dossiers in B, two pages

const code: Record<string, string> = {};
const codesB: string[] = [];
let cookieA = "";
let cookieB = "";

// Each dossier is its own applicant's, as at a real desk (one account would also meet SUBMISSIONS_PER_DAY).
async function create(f: Fixture) {
  const citizen = await newCitizen(f.name);
  const { receiptCode, dossierId } = await submitDossier(citizen, f.procedure, "counter", {
    applicant_name: f.name,
    applicant_cccd: f.cccd,
    applicant_phone: f.phone,
  });
  const actor = await officerFor(dossierId);
  for (const action of f.moves) {
    const outcome =
      action === "issueResult"
        ? await issueTestResult({ dossierId, actor })
        : await applyTransition({ dossierId, action, actor, reason: "Lý do kiểm thử", supplementItems: ["applicant_phone"] });
    if (!outcome.ok) throw new Error(`${action} failed for ${f.name}: ${outcome.error}`);
  }
  // Fixtures the workflow does not (yet) write: a chosen due date, the counter/assisted channel, the pause.
  const fixture = { ...(f.dueOn ? { dueOn: f.dueOn } : {}), ...(f.channel ? { channel: f.channel } : {}), ...(f.paused ? { pausedAt: new Date() } : {}) };
  if (Object.keys(fixture).length > 0) await db().update(schema.dossiers).set(fixture).where(eq(schema.dossiers.id, dossierId));
  return receiptCode;
}

type Page = {
  query: Record<string, unknown>;
  queue: {
    items: {
      receiptCode: string | null;
      applicantName: string | null;
      applicantCccd: string | null;
      applicantPhone: string | null;
      deadline: string | null;
      rescheduledOn: string | null;
    }[];
    total: number;
    page: number;
    pageCount: number;
    buckets: { overdue: number; soon: number; later: number };
  };
  procedures: { code: string }[];
};

function isPage(value: unknown): value is Page {
  return typeof value === "object" && value !== null && "queue" in value && "procedures" in value;
}

async function load(search: string, cookie = cookieA): Promise<Page> {
  const res = await run(queue.loader, get(`/officer${search}`, cookie));
  expect(res.status).toBe(200);
  if (!isPage(res.data)) throw new Error(`unexpected loader output ${JSON.stringify(res.data)}`);
  return res.data;
}

async function codes(search: string, cookie = cookieA) {
  return (await load(search, cookie)).queue.items.map((i) => i.receiptCode);
}
const of = (...keys: string[]) => keys.map((k) => code[k]);

beforeAll(async () => {
  cookieA = (await signInAs("can.bo.hoankiem@example.vn")).cookie;
  cookieB = (await signInAs("can.bo.kinhbac@example.vn")).cookie;
  for (const [key, f] of Object.entries(A)) code[key] = await create(f);
  code.b1 = await create(B_SAME_NAME);
  codesB.push(code.b1 ?? "");
  for (let i = 0; i < B_MORE; i++) {
    const n = String(300 + i);
    codesB.push(await create({ name: `Bùi Thị Số ${n}`, cccd: `027090000${n}`, phone: `0901000${n}`, procedure: B_PARENT, moves: [] }));
  }
  // Distinct, chosen update times for the "updated" sort.
  const updated: Record<string, number> = { a1: 3, a2: 6, a3: 1, a4: 5, a5: 2, a6: 4 };
  for (const [key, minutes] of Object.entries(updated))
    await db()
      .update(schema.dossiers)
      .set({ updatedAt: new Date(Date.UTC(2026, 0, 1, 8, minutes)) })
      .where(eq(schema.dossiers.receiptCode, code[key] ?? ""));
}, 120_000);

describe("officer queue: filters", () => {
  it("shows open dossiers by default, nearest deadline first", async () => {
    const page = await load("");
    expect(page.queue.items.map((i) => i.receiptCode)).toEqual(of("a1", "a5", "a6", "a2", "a3", "a4"));
    expect(page.queue.total).toBe(6);
    expect(page.query).toMatchObject({ status: "open", sort: "due", dir: "asc", page: 1 });
  });

  it("filters by status", async () => {
    expect(await codes("?status=4")).toEqual(of("a1", "a4"));
    expect(await codes("?status=10")).toEqual(of("a7"));
    expect(await codes("?status=3")).toEqual(of("a8"));
    expect((await codes("?status=all")).sort()).toEqual(of("a1", "a2", "a3", "a4", "a5", "a6", "a7", "a8").sort());
  });

  it("filters by procedure and offers only the scope's procedures", async () => {
    expect(await codes(`?procedure=${A_HOUSEHOLD}`)).toEqual(of("a3", "a4"));
    expect((await codes(`?procedure=${A_HOUSEHOLD}&status=all`)).sort()).toEqual(of("a3", "a4", "a7").sort());
    expect(await codes(`?procedure=${B_PARENT}&status=all`)).toEqual([]);
    const offered = (await load("")).procedures.map((p) => p.code);
    expect(offered).toEqual(expect.arrayContaining([A_BIRTH, A_HOUSEHOLD]));
    expect(offered).not.toContain(B_PARENT);
  });

  it("filters by channel", async () => {
    expect(await codes("?channel=counter")).toEqual(of("a2"));
    expect(await codes("?channel=assisted")).toEqual(of("a3"));
    expect(await codes("?channel=online")).toEqual(of("a1", "a5", "a6", "a4"));
  });

  it("buckets deadlines by working days, counting only running clocks", async () => {
    expect(await codes("?due=overdue")).toEqual(of("a1")); // a5 is paused, a6 not yet received
    expect(await codes("?due=soon")).toEqual(of("a2", "a3")); // due today and due in two working days
    expect(await codes("?due=later")).toEqual(of("a4"));
    expect(await codes("?due=overdue&status=1")).toEqual([]);
    const page = await load("");
    expect(page.queue.buckets).toEqual({ overdue: 1, soon: 2, later: 1 });
    const flags = Object.fromEntries(page.queue.items.map((i) => [i.receiptCode, i.deadline]));
    expect(flags).toEqual({
      [code.a1 ?? ""]: "overdue",
      [code.a2 ?? ""]: "soon",
      [code.a3 ?? ""]: "soon",
      [code.a4 ?? ""]: "later",
      [code.a5 ?? ""]: null,
      [code.a6 ?? ""]: null,
    });
  });

  it("leaves a paused clock out of the buckets whatever the status", async () => {
    const set = (pausedAt: Date | null) =>
      db()
        .update(schema.dossiers)
        .set({ pausedAt })
        .where(eq(schema.dossiers.receiptCode, code.a1 ?? ""));
    await set(new Date());
    try {
      expect(await codes("?due=overdue")).toEqual([]);
      expect((await load("")).queue.buckets.overdue).toBe(0);
    } finally {
      await set(null);
    }
  });

  it("combines filters", async () => {
    expect(await codes(`?procedure=${A_BIRTH}&due=soon&channel=counter`)).toEqual(of("a2"));
    expect(await codes(`?procedure=${A_BIRTH}&due=soon&channel=assisted`)).toEqual([]);
  });
});

describe("officer queue: search", () => {
  it("finds names without diacritics, and đ as d", async () => {
    expect(await codes("?q=nguyen+van+a")).toEqual(of("a1"));
    expect((await codes("?q=NGUYEN&status=all")).sort()).toEqual(of("a1", "a7").sort());
    expect(await codes("?q=do+duc")).toEqual(of("a3"));
    expect(await codes(`?q=${encodeURIComponent("Đỗ Đức Dũng")}`)).toEqual(of("a3"));
  });

  it("treats LIKE wildcards as plain characters", async () => {
    expect(await codes("?q=_&status=all")).toEqual([]);
    expect(await codes("?q=%25&status=all")).toEqual([]);
  });

  it("finds a whole CCCD exactly and nothing by a prefix", async () => {
    expect(await codes("?q=001090000103")).toEqual(of("a3"));
    expect(await codes("?q=00109000010&status=all")).toEqual([]);
  });

  it("finds a receipt code however it is typed, only within the scope", async () => {
    expect(await codes(`?q=${encodeURIComponent((code.a4 ?? "").toLowerCase())}`)).toEqual(of("a4"));
    expect(await codes(`?q=${encodeURIComponent(code.a7 ?? "")}`)).toEqual([]); // finished: not open
    expect(await codes(`?q=${encodeURIComponent(code.a7 ?? "")}&status=all`)).toEqual(of("a7"));
    expect(await codes(`?q=${encodeURIComponent(code.b1 ?? "")}&status=all`)).toEqual([]);
  });
});

describe("officer queue: order and pages", () => {
  it("sorts by due date, submission and last update, both ways", async () => {
    expect(await codes("?sort=due&dir=desc")).toEqual(of("a4", "a3", "a2", "a6", "a5", "a1"));
    expect(await codes("?sort=submitted")).toEqual(of("a6", "a5", "a4", "a3", "a2", "a1"));
    expect(await codes("?sort=submitted&dir=asc")).toEqual(of("a1", "a2", "a3", "a4", "a5", "a6"));
    expect(await codes("?sort=updated")).toEqual(of("a2", "a4", "a6", "a1", "a5", "a3"));
    expect(await codes("?sort=updated&dir=asc")).toEqual(of("a3", "a5", "a1", "a6", "a4", "a2"));
  });

  it("pages by 25 with the total, keeping the order across pages", async () => {
    const first = await load("?sort=submitted&dir=asc", cookieB);
    const second = await load("?sort=submitted&dir=asc&page=2", cookieB);
    expect(first.queue).toMatchObject({ total: 27, page: 1, pageCount: 2 });
    expect(second.queue).toMatchObject({ total: 27, page: 2, pageCount: 2 });
    expect(first.queue.items).toHaveLength(25);
    expect([...first.queue.items, ...second.queue.items].map((i) => i.receiptCode)).toEqual(codesB);
    expect((await load("?page=9", cookieB)).queue.items).toEqual([]);
  });
});

describe("officer queue: privacy and scope", () => {
  it("never sends a full CCCD or phone number to the page", async () => {
    const json = JSON.stringify(await load("?status=all"));
    for (const f of Object.values(A)) {
      expect(json).not.toContain(f.cccd);
      expect(json).not.toContain(f.phone);
    }
    const a1 = (await load(`?q=${A.a1?.cccd}`)).queue.items[0];
    expect(a1).toMatchObject({ applicantName: "Nguyễn Văn An", applicantCccd: "••••••••0101", applicantPhone: "••••••0101" });
    expect(JSON.stringify(await load(`?q=${A.a1?.cccd}`))).not.toContain(A.a1?.cccd); // not even the typed search
  });

  it("shows an officer of another agency none of agency A's dossiers", async () => {
    const seenByB = await codes("?status=all&sort=submitted&dir=asc", cookieB);
    expect(seenByB.slice(0, 25)).toEqual(codesB.slice(0, 25));
    expect(seenByB.filter((c) => Object.keys(A).some((k) => code[k] === c))).toEqual([]);
    expect(await codes("?q=nguyen+van+an&status=all", cookieB)).toEqual(of("b1"));
    expect(await codes(`?q=${A.a3?.cccd}&status=all`, cookieB)).toEqual([]);
    expect((await load("", cookieB)).queue.buckets).toEqual({ overdue: 1, soon: 0, later: 0 });
  });

  it("sends a citizen and a signed-out visitor away", async () => {
    const citizen = await newCitizen();
    expect((await run(queue.loader, get("/officer", citizen.cookie))).status).toBe(403);
    const anonymous = await run(queue.loader, get("/officer"));
    expect(anonymous.status).toBe(302);
    expect(anonymous.location).toMatch(/^\/login\?/);
  });

  it("answers garbage parameters with the default queue, not an error", async () => {
    const garbage = "?status=%27%3B+drop+table+dossiers&procedure=%00&channel=fax&due=%E2%80%8B&sort=id&dir=up&page=-1&page=abc&q=" + "x".repeat(300);
    const page = await load(garbage);
    expect(page.query).toEqual({ status: "open", procedure: undefined, channel: undefined, due: undefined, sort: "due", dir: "asc", page: 1 });
    expect(page.queue.items.map((i) => i.receiptCode)).toEqual(of("a1", "a5", "a6", "a2", "a3", "a4"));
    expect((await load("?q=%F0%9F%98%80&status=all")).queue.items).toEqual([]);
  });
});

describe("officer queue: performance", () => {
  // SQLite's query plans (better-sqlite3's prepare, EXPLAIN QUERY PLAN); PostgreSQL's plans are not asserted here.
  it.skipIf(onPostgres(db()))("answers with three indexed queries (count, page, deadline counts), never a scan of dossiers", async () => {
    const client = db().$client;
    const searches = [
      {},
      { q: "001090000103" },
      { q: "nguyen" },
      { due: "overdue" },
      { due: "soon", channel: "online" },
      { procedure: A_BIRTH },
      { status: "all", sort: "updated" },
    ];
    const statements: string[] = [];
    const prepare = vi.spyOn(client, "prepare");
    try {
      for (const search of searches) {
        prepare.mockClear();
        await getQueue({ agencyPath: "/", query: QueueQuerySchema.parse(search) });
        expect(prepare.mock.calls, JSON.stringify(search)).toHaveLength(3);
        statements.push(...prepare.mock.calls.map(([text]) => text));
      }
    } finally {
      prepare.mockRestore();
    }
    const plans = statements.flatMap((text) => {
      const params = Array.from({ length: (text.match(/\?/g) ?? []).length }, () => "x");
      return client
        .prepare(`explain query plan ${text}`)
        .all(...params)
        .map((row) => (row && typeof row === "object" && "detail" in row ? String(row.detail) : ""));
    });
    expect(plans.filter((p) => /^SCAN (dossiers|agencies)\b/.test(p))).toEqual([]);
    expect(plans).toEqual(
      expect.arrayContaining([expect.stringMatching(/dossiers_cccd_idx/), expect.stringMatching(/dossiers_agency_due_idx \(agency_id=\? AND due_on<\?\)/)]),
    );
  });
});

/** The page as the server renders it (no JavaScript), through a data router like Remix's. */
async function renderPage(search: string, { lang = "vi", cookie = cookieA }: { lang?: "vi" | "en"; cookie?: string } = {}) {
  const handler = createStaticHandler([
    { id: "queue", path: "/officer", loader: ({ request, params }) => queue.loader({ request, params, context: {} }), Component: queue.default },
  ]);
  const context = await handler.query(get(`/officer${search}`, cookie));
  if (context instanceof Response) throw new Error(`answered ${context.status}`);
  const page = createElement(StaticRouterProvider, { router: createStaticRouter(handler.dataRoutes, context), context, hydrate: false });
  return renderToString(createElement(I18nextProvider, { i18n: createI18n(lang, translations[lang]) }, page));
}

describe("officer queue: the page", () => {
  it("labels every filter, captions the table and marks late rows with text, not colour only", async () => {
    const html = await renderPage("");
    for (const id of ["q", "status", "procedure", "channel", "due", "sort", "dir"]) expect(html).toContain(`<label for="${id}">`);
    expect(html).toMatch(/<form method="get"[^>]*role="search"/);
    expect(html).toContain("<caption");
    expect(html).toContain('<th scope="col">');
    expect(html).toMatch(/<tr class="queue-row--overdue">(?:(?!<\/tr>).)*Quá hạn/);
    expect(html).toMatch(/<tr class="queue-row--soon">(?:(?!<\/tr>).)*Sắp đến hạn/);
    expect(html).toContain("1 hồ sơ quá hạn");
    expect(html).toContain("2 hồ sơ sắp đến hạn");
    expect(html).toContain(`href="/officer/dossiers/${code.a1}"`);
    for (const f of Object.values(A)) expect(html).not.toContain(f.cccd);
    const en = await renderPage("?due=overdue", { lang: "en" });
    expect(en).toMatch(/<span class="deadline-badge deadline-badge--overdue">Overdue<\/span>/);
  });

  it("shows a new date beside the legal appointment date", async () => {
    await db()
      .update(schema.dossiers)
      .set({ rescheduledOn: "2027-01-15" })
      .where(eq(schema.dossiers.receiptCode, code.a1 ?? ""));
    try {
      expect(await renderPage(`?q=${encodeURIComponent(code.a1 ?? "")}`)).toContain("Hẹn mới: 15/01/2027");
    } finally {
      await db()
        .update(schema.dossiers)
        .set({ rescheduledOn: null })
        .where(eq(schema.dossiers.receiptCode, code.a1 ?? ""));
    }
  });

  it("links to the next and previous pages keeping the filters", async () => {
    const all = await renderPage("?status=all&channel=online&sort=submitted");
    expect(all).not.toContain('aria-label="Phân trang"'); // one page only
    const first = await renderPage("?status=1&sort=submitted&dir=asc", { cookie: cookieB });
    expect(first).toContain('href="/officer?status=1&amp;sort=submitted&amp;dir=asc&amp;page=2">Trang sau</a>');
    const second = await renderPage("?status=1&sort=submitted&dir=asc&page=2", { cookie: cookieB });
    expect(second).toContain('href="/officer?status=1&amp;sort=submitted&amp;dir=asc&amp;page=1">Trang trước</a>');
    expect(second).toContain("Trang 2/2");
  });
});
