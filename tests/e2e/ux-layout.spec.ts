import { expect, test, type Page } from "@playwright/test";
import Database from "better-sqlite3";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import * as z from "zod";
import { deliveryAnswer } from "../fixtures/answers";
import { applyAndSubmit, confirmationLink, fillForm, officerAct, passSecondStep, seededForm, signIn } from "./support";

/**
 * Layouts that fit (issue 12): no page of the citizen journey scrolls sideways on a phone or at
 * 200 % zoom, in Vietnamese and in English, and receipt codes stay in one piece.
 *
 * Zoom is measured as the CSS viewport it leaves: a 1366 × 768 desktop at 200 % lays a page out in
 * 683 × 384 CSS pixels exactly as a 683 × 384 viewport does (the device pixel ratio changes how
 * sharply it is drawn, not where anything goes); a 360 px phone at 200 % leaves 180 CSS pixels.
 * 320 px is WCAG 1.4.10's reflow width. Each page is checked at all four in turn.
 */
type Lang = "vi" | "en";

/** The portal's own strings, flattened to "section.key", so the test finds things by their visible names in either language. */
function loadStrings(lang: Lang): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (prefix: string, value: unknown) => {
    if (typeof value === "string") out[prefix] = value;
    else if (value && typeof value === "object") for (const [k, v] of Object.entries(value)) walk(prefix ? `${prefix}.${k}` : k, v);
  };
  const dir = path.resolve("locales", lang);
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".json"))) walk("", JSON.parse(readFileSync(path.join(dir, file), "utf8")));
  return out;
}
const STRINGS = { vi: loadStrings("vi"), en: loadStrings("en") };
function text(lang: Lang, key: string, values: Record<string, string> = {}): string {
  const s = STRINGS[lang][key];
  if (s === undefined) throw new Error(`no string ${key} in ${lang}`);
  return s.replace(/\{\{(\w+)\}\}/g, (_, name: string) => values[name] ?? `{{${name}}}`);
}

const PHONE = { width: 360, height: 740 };
const SIZES = [
  { name: "a 360 px phone", ...PHONE },
  { name: "WCAG reflow (320 px)", width: 320, height: 640 },
  { name: "200 % zoom on a 1366 × 768 desktop", width: 683, height: 384 },
  { name: "200 % zoom on a 360 px phone", width: 180, height: 370 },
];

/** What scrolls sideways, and the elements sticking out past the right edge (for the failure message). */
async function overflow(page: Page, width: number) {
  return page.evaluate((width) => {
    const describe = (el: Element) =>
      `${el.tagName.toLowerCase()}${el.className && typeof el.className === "string" ? `.${el.className.split(" ").join(".")}` : ""}`;
    const all = [...document.querySelectorAll("body *")];
    // Boxes past the right edge, and boxes whose content (a long word) spills out of them.
    const wide = [
      ...all.filter((el) => el.getBoundingClientRect().right > width + 0.5).map((el) => `${describe(el)} → ${Math.round(el.getBoundingClientRect().right)}px`),
      ...all
        .filter((el) => el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0 && getComputedStyle(el).overflowX === "visible")
        .map((el) => `${describe(el)} spills ${el.scrollWidth - el.clientWidth}px`),
    ].slice(0, 8);
    return { scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth, wide };
  }, width);
}

/** At every size: no horizontal page scroll, and each receipt code is one box (an inline box broken across lines has several). */
async function expectFits(page: Page, name: string) {
  for (const size of SIZES) {
    await page.setViewportSize(size);
    const o = await overflow(page, size.width);
    // Against the viewport set, not innerWidth alone: a mobile browser zooms out to show a too-wide page, widening innerWidth with it.
    expect
      .soft(Math.max(o.scrollWidth, o.innerWidth), `${name}, ${size.name}: scrolls sideways (${o.scrollWidth} px wide): ${o.wide.join(", ")}`)
      .toBeLessThanOrEqual(size.width);
    const rects = await page.locator(".receipt-code").evaluateAll((els) => els.map((el) => el.getClientRects().length));
    expect
      .soft(
        rects.every((n) => n === 1),
        `${name}, ${size.name}: a receipt code broken across lines (${rects.join(",")})`,
      )
      .toBe(true);
  }
  await page.setViewportSize(PHONE);
}

// Cấp phiếu lý lịch tư pháp: level 4 with a fee, so the journey reaches the payment gateway.
const CRIMINAL_RECORD = "3.000333";

async function switchLanguage(page: Page, lang: Lang) {
  await page.getByRole("button", { name: lang === "vi" ? "Tiếng Việt" : "English" }).click();
  await expect(page.locator("html")).toHaveAttribute("lang", lang);
}

async function journey(page: Page, lang: Lang) {
  test.setTimeout(180_000);
  const t = (key: string, values?: Record<string, string>) => text(lang, key, values);
  await page.setViewportSize(PHONE);
  await page.goto("/");
  if (lang === "en") await switchLanguage(page, "en");
  await expectFits(page, "home");

  await page.getByRole("searchbox", { name: t("home.search_label") }).fill("ly lich tu phap");
  await page.getByRole("button", { name: t("home.search_button") }).click();
  // The results page's own heading (it names the query): "catalog.title" would also match the home page's heading before the page changes.
  await expect(page.getByRole("heading", { level: 1, name: t("catalog.results_title", { q: "ly lich tu phap" }), exact: true })).toBeVisible();
  await expectFits(page, "search results");

  await page.goto(`/procedures/${CRIMINAL_RECORD}`);
  await expectFits(page, "procedure page");
  await page.getByRole("link", { name: t("procedure.apply_online") }).click();
  await expect(page.getByRole("heading", { level: 1, name: t("auth.sign_in_title") })).toBeVisible();
  await expectFits(page, "sign-in");

  // Registration, in the page's language.
  await page.getByRole("link", { name: t("auth.register_link") }).click();
  await expect(page.getByRole("heading", { level: 1, name: t("auth.register_title") })).toBeVisible();
  await expectFits(page, "register");
  const email = `layout-${lang}-${process.pid}-${Date.now()}@example.vn`;
  await page.getByLabel(t("auth.full_name")).fill("Đỗ Thị Hạnh");
  await page.getByLabel(t("auth.email")).fill(email);
  await page.getByLabel(`${t("auth.phone")} ${t("form.optional")}`).fill("0912 345 678");
  await page.getByLabel(t("auth.password"), { exact: true }).fill("mat-khau-rat-dai-2026");
  await page.getByLabel(t("auth.confirm_password")).fill("mat-khau-rat-dai-2026");
  await page.getByRole("button", { name: t("auth.register") }).click();
  await expect(page.getByRole("heading", { name: t("accounts.sent_title") })).toBeVisible();
  await page.goto(confirmationLink(email));
  await page.getByRole("button", { name: t("accounts.confirm_button") }).click();
  await expect(page.getByRole("heading", { level: 1, name: t("accounts.title") })).toBeVisible();
  await expectFits(page, "account");

  await page.goto(`/procedures/${CRIMINAL_RECORD}/apply`);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await expectFits(page, "apply form");
  // The shared fill helper finds fields by their Vietnamese labels: fill in Vietnamese, check in the test's language.
  if (lang === "en") await switchLanguage(page, "vi");
  const def = seededForm(CRIMINAL_RECORD);
  const inForm = deliveryAnswer(def, "online");
  await fillForm(page, def, inForm);
  await page.getByRole("button", { name: "Tiếp tục" }).click();
  await expect(page.getByRole("heading", { name: "Kiểm tra thông tin trước khi nộp" })).toBeVisible();
  if (lang === "en") await switchLanguage(page, "en");
  await expectFits(page, "check answers");
  if (Object.keys(inForm).length === 0) await page.getByLabel(t("delivery.online"), { exact: true }).check();
  await page.getByRole("button", { name: t("check.submit") }).click();

  await expect(page.getByRole("heading", { name: t("receipt.submitted_title") })).toBeVisible();
  const code = (await page.locator(".panel__code").textContent())?.trim() ?? "";
  expect(code).toMatch(/^\d{6}-[0-9A-Z]{6}-.$/);
  await expectFits(page, "receipt");

  await page.getByRole("button", { name: new RegExp(t("pay.pay_now", { amount: "" }).trim()) }).click();
  await expect(page.getByRole("heading", { name: new RegExp(t("gateway.title")) })).toBeVisible();
  await expectFits(page, "gateway simulator");
  await page.getByLabel(t("gateway.banks.ncb"), { exact: true }).check();
  await page.getByLabel(t("gateway.outcomes.success", { code: "00" })).check();
  await page.getByLabel(t("gateway.ipn_modes.deliver")).check();
  await page.getByRole("button", { name: t("gateway.pay"), exact: true }).click();
  await expect(page.getByRole("heading", { name: t("pay.return_paid_title") })).toBeVisible();
  await expectFits(page, "payment return");

  await page.getByRole("link", { name: t("pay.back_to_dossier", { code }) }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText(code);
  await expectFits(page, "dossier page");

  await page.goto("/applications");
  await expect(page.getByRole("heading", { level: 1, name: t("my.title") })).toBeVisible();
  await expectFits(page, "my dossiers");
  await page.screenshot({ path: `test-results/screens/my-dossiers-360-${lang}.png`, fullPage: true });
  // Every column of the dossier's row is on screen at 360 px, the status included.
  const status = page.getByText(t("status.submitted"), { exact: true });
  await expect(status).toBeVisible();
  expect.soft((await status.boundingBox())?.x ?? Infinity).toBeLessThan(PHONE.width);
  await expect(page.getByRole("link", { name: code })).toBeVisible();

  await page.goto(`/track?code=${code}`);
  await expectFits(page, "track (form)");
  await page.getByLabel(t("track.factor")).fill("2345");
  await page.getByRole("button", { name: t("track.submit") }).click();
  await expect(page.getByRole("heading", { name: t("track.result_title", { code }) })).toBeVisible();
  await expectFits(page, "track (result)");
  await page.setViewportSize({ width: 180, height: 370 });
  await page.screenshot({ path: `test-results/screens/track-180-${lang}.png`, fullPage: true });
}

for (const lang of ["vi", "en"] as const) {
  test(`the citizen journey has no horizontal page scroll at 360 px or at 200 % zoom (${lang})`, async ({ page }) => {
    await journey(page, lang);
  });
}

for (const lang of ["vi", "en"] as const) {
  test(`the register page's full-name input is styled like its other fields, at 360 px and 1366 px (${lang})`, async ({ page }) => {
    await page.goto("/register");
    if (lang === "en") await switchLanguage(page, "en");
    const name = page.getByLabel(text(lang, "auth.full_name"));
    const email = page.getByLabel(text(lang, "auth.email"));
    for (const size of [PHONE, { width: 1366, height: 768 }]) {
      await page.setViewportSize(size);
      const [n, e] = [await name.boundingBox(), await email.boundingBox()];
      // Full width on the phone (less the page's padding), the form's 32rem column on the desktop, like the e-mail box.
      expect(n?.width).toBe(size.width === PHONE.width ? PHONE.width - 32 : 512);
      expect(n?.width).toBe(e?.width);
      expect(n?.height).toBe(e?.height);
      expect(await name.evaluate((el) => getComputedStyle(el).borderTopWidth)).toBe("2px");
    }
  });
}

/* ---------- Staff: where sign-in lands, and the header's staff links ---------- */

const DESKTOP = { width: 1366, height: 768 };
const STAFF = {
  officer: { email: "can.bo.congan.hanoi@example.vn", password: "CanBo@2026" },
  agencyAdmin: { email: "quan.tri.hanoi@example.vn", password: "QuanTri@2026" },
  systemAdmin: { email: "quan.tri@example.vn", password: "QuanTri@2026" },
};

/** From the home page's header, as a person signs in, in the page's language. */
async function signInFromHome(page: Page, lang: Lang, who: { email: string; password: string }) {
  await page.goto("/");
  if (lang === "en") await switchLanguage(page, "en");
  await page
    .getByRole("navigation", { name: text(lang, "layout.main_navigation") })
    .getByRole("link", { name: text(lang, "layout.sign_in") })
    .click();
  await page.getByLabel(text(lang, "auth.email")).fill(who.email);
  await page.getByLabel(text(lang, "auth.password")).fill(who.password);
  await page.getByRole("button", { name: text(lang, "auth.sign_in") }).click();
  await page.waitForURL((url) => url.pathname !== "/login");
  // Staff pass their second factor (decision 033) before they land.
  if (new URL(page.url()).pathname === "/login/two-factor") await passSecondStep(page, who.email, lang);
}

for (const lang of ["vi", "en"] as const) {
  for (const size of [PHONE, DESKTOP]) {
    test(`staff land in their workspace and the header shows the links their permissions allow (${lang}, ${size.width} px)`, async ({ browser, baseURL }) => {
      test.setTimeout(240_000);
      const t = (key: string) => text(lang, key);
      const expected = {
        officer: { lands: "/officer", heading: t("officer.queue_title"), links: [t("officer.nav_link"), t("intake.nav_link")] },
        agencyAdmin: { lands: "/admin", heading: t("admin.title"), links: [t("officer.nav_link"), t("intake.nav_link"), t("admin.nav_link")] },
        systemAdmin: { lands: "/admin", heading: t("admin.title"), links: [t("admin.nav_link")] },
      };
      const all = [t("layout.nav_my_dossiers"), t("officer.nav_link"), t("intake.nav_link"), t("admin.nav_link")];
      for (const [who, want] of Object.entries(expected)) {
        const context = await browser.newContext({ baseURL, viewport: size });
        const page = await context.newPage();
        const account = STAFF[who as keyof typeof STAFF];
        if (size === DESKTOP) {
          // Where the form's sign-in lands, in each language.
          await signInFromHome(page, lang, account);
        } else {
          // At phone width the header is what is checked: the worker's session for the account (a TOTP step is
          // accepted once, and twelve form sign-ins of three accounts queue on the clock past the time limit).
          await signIn(page, account.email, account.password);
          if (lang === "en") await switchLanguage(page, "en");
        }
        expect(new URL(page.url()).pathname, who).toBe(want.lands);
        await expect(page.getByRole("heading", { level: 1, name: want.heading })).toBeVisible();
        const nav = page.getByRole("navigation", { name: t("layout.main_navigation") });
        for (const name of all) await expect(nav.getByRole("link", { name, exact: true }), `${who}: ${name}`).toHaveCount(want.links.includes(name) ? 1 : 0);
        // Each link opens a page the account may see.
        for (const name of want.links) {
          await nav.getByRole("link", { name, exact: true }).click();
          await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
          await expect(page.getByRole("heading", { level: 1 })).not.toHaveText(new RegExp(text(lang, "errors.forbidden_title")));
        }
        const o = await overflow(page, size.width);
        expect(o.scrollWidth, `${who}'s header at ${size.width} px`).toBeLessThanOrEqual(size.width);
        await context.close();
      }
    });
  }
}

test("a safe redirectTo still wins over the workspace; a citizen's header has no staff link", async ({ page }) => {
  // A form sign-in's second step may wait up to a TOTP step (30 s) for a code the server has not seen.
  test.setTimeout(120_000);
  await page.goto("/officer/intake");
  await expect(page.getByRole("heading", { level: 1, name: "Đăng nhập" })).toBeVisible();
  await page.getByLabel("Thư điện tử").fill(STAFF.officer.email);
  await page.getByLabel("Mật khẩu").fill(STAFF.officer.password);
  await page.getByRole("button", { name: "Đăng nhập" }).click();
  await page.waitForURL((url) => url.pathname !== "/login");
  await passSecondStep(page, STAFF.officer.email);
  await expect(page.getByRole("heading", { level: 1, name: text("vi", "intake.title") })).toBeVisible();
  expect(new URL(page.url()).pathname).toBe("/officer/intake");
  await page.context().clearCookies();

  await signInFromHome(page, "vi", { email: "tran.thi.binh@example.vn", password: "CongDan@2026" });
  expect(new URL(page.url()).pathname).toBe("/");
  const nav = page.getByRole("navigation", { name: "Điều hướng chính" });
  await expect(nav.getByRole("link", { name: "Hồ sơ của tôi" })).toBeVisible();
  for (const name of [text("vi", "officer.nav_link"), text("vi", "intake.nav_link"), text("vi", "admin.nav_link")])
    await expect(nav.getByRole("link", { name })).toHaveCount(0);
});

/* ---------- The officer queue: a day's work on a 1366 px screen, still usable on a phone ---------- */

/** Moves a dossier's legal appointment date in the e2e server's database: the only way to make a dossier late without waiting for it. */
function setDueOn(receiptCode: string, dueOn: string) {
  const file = new Database(path.resolve("test-results/e2e-data/portal.db"), { fileMustExist: true });
  try {
    file.prepare("update dossiers set due_on = ? where receipt_code = ?").run(dueOn, receiptCode);
  } finally {
    file.close();
  }
}

const vnToday = () => new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Ho_Chi_Minh" }).format(new Date());

test.describe("the officer queue", () => {
  test.describe.configure({ mode: "serial", timeout: 240_000 });
  /** Three criminal-record dossiers (the longest procedure name in the officer's scope), received: overdue, due today (soon), and not yet due. */
  const codes = { overdue: "", soon: "", later: "" };
  const fullName = { vi: "", en: "" };

  test.beforeAll(async ({ browser, baseURL }) => {
    test.setTimeout(240_000);
    for (const state of ["overdue", "soon", "later"] as const) {
      const context = await browser.newContext({ baseURL });
      codes[state] = await applyAndSubmit(await context.newPage(), CRIMINAL_RECORD, "counter");
      await context.close();
    }
    const context = await browser.newContext({ baseURL });
    const officer = await context.newPage();
    await signIn(officer, STAFF.officer.email, STAFF.officer.password);
    for (const code of Object.values(codes)) {
      await officer.goto(`/officer/dossiers/${code}`);
      await officerAct(officer, "Tiếp nhận hồ sơ");
    }
    await context.close();
    setDueOn(codes.overdue, "2020-01-02");
    setDueOn(codes.soon, vnToday());
    const procedures = z
      .array(z.object({ code: z.string(), name: z.object({ vi: z.string(), en: z.string().optional() }) }))
      .parse(JSON.parse(readFileSync("db/seed-data/procedures.json", "utf8")));
    const seeded = procedures.find((p) => p.code === CRIMINAL_RECORD)?.name;
    fullName.vi = seeded?.vi ?? "";
    fullName.en = seeded?.en ?? "";
  });

  for (const lang of ["vi", "en"] as const) {
    test(`at 1366 px: full width, one line per dossier, due state in words, the code link is each row's one tab stop (${lang})`, async ({
      browser,
      baseURL,
    }) => {
      const t = (key: string, values?: Record<string, string>) => text(lang, key, values);
      const context = await browser.newContext({ baseURL, viewport: DESKTOP });
      const page = await context.newPage();
      await signInFromHome(page, lang, STAFF.officer);
      await expect(page.getByRole("heading", { level: 1, name: t("officer.queue_title") })).toBeVisible();
      await page.screenshot({ path: `test-results/screens/queue-1366-${lang}.png`, fullPage: true });

      // Full width: the table spans the window less the page's padding, not a ~800 px column.
      const table = page.getByRole("table", { name: /./ });
      const box = await table.boundingBox();
      expect(box?.width ?? 0).toBeGreaterThan(DESKTOP.width - 80);
      expect((await overflow(page, DESKTOP.width)).scrollWidth).toBeLessThanOrEqual(DESKTOP.width);
      // …and it fits: no scrolling inside its own region either, and the procedure column keeps a useful width.
      const region = page.getByRole("region", { name: t("queue.caption", { page: "1", pages: "1" }) });
      expect(await region.evaluate((el) => el.scrollWidth - el.clientWidth)).toBeLessThanOrEqual(0);

      // One line per dossier.
      const rows = table.locator("tbody tr");
      expect(await rows.count()).toBeGreaterThanOrEqual(3);
      const heights = await rows.evaluateAll((trs) => trs.map((tr) => tr.getBoundingClientRect().height));
      for (const h of heights) expect(h).toBeLessThan(60);
      test.info().annotations.push({ type: "row heights (px)", description: heights.map(Math.round).join(", ") });

      // The long procedure name is cut to fit, and whole for anyone who asks: the cell's text (screen readers) and its tooltip.
      const name = lang === "vi" ? fullName.vi : fullName.en;
      const row = (code: string) => rows.filter({ has: page.getByRole("link", { name: code, exact: true }) });
      const cell = row(codes.later).getByRole("cell", { name, exact: true });
      await expect(cell).toBeVisible();
      await expect(cell.locator(".truncate")).toHaveAttribute("title", name);
      const procedureWidth = (await cell.boundingBox())?.width ?? 0;
      expect(procedureWidth).toBeGreaterThanOrEqual(240);
      test.info().annotations.push({ type: "procedure column (px)", description: String(Math.round(procedureWidth)) });
      expect(await cell.locator(".truncate").evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true);

      // Due state in words (a badge whose text says it), beside the date.
      await expect(row(codes.overdue).getByText(t("queue.due_overdue"), { exact: true })).toBeVisible();
      await expect(row(codes.soon).getByText(t("queue.due_soon"), { exact: true })).toBeVisible();
      await expect(row(codes.later).getByText(t("queue.due_later"), { exact: true })).toBeVisible();

      // Keyboard: from the table's scroll region, Tab goes from one row's code link to the next row's, with a visible focus.
      await region.focus();
      const links = table.locator("tbody tr").getByRole("link");
      expect(await links.count()).toBe(await rows.count());
      for (let i = 0; i < 3; i++) {
        await page.keyboard.press("Tab");
        await expect(links.nth(i)).toBeFocused();
        expect(await links.nth(i).evaluate((el) => getComputedStyle(el).outlineStyle)).toBe("solid");
      }
      await page.keyboard.press("Enter");
      await expect(page.getByRole("heading", { level: 1 })).toContainText(/\d{6}-[0-9A-Z]{6}-./);
      await context.close();
    });

    test(`at 360 px: stacked rows, nothing off-screen, the whole procedure name (${lang})`, async ({ browser, baseURL }) => {
      const t = (key: string) => text(lang, key);
      const context = await browser.newContext({ baseURL, viewport: PHONE, isMobile: true, hasTouch: true });
      const page = await context.newPage();
      await signInFromHome(page, lang, STAFF.officer);
      await expect(page.getByRole("heading", { level: 1, name: t("officer.queue_title") })).toBeVisible();
      await expectFits(page, "officer queue");
      await page.screenshot({ path: `test-results/screens/queue-360-${lang}.png`, fullPage: true });
      await page.locator("tbody tr").first().scrollIntoViewIfNeeded();
      await page.screenshot({ path: `test-results/screens/queue-360-rows-${lang}.png` });
      const row = page.locator("tbody tr").filter({ has: page.getByRole("link", { name: codes.overdue, exact: true }) });
      for (const shown of [t("queue.due_overdue"), t("status.received"), lang === "vi" ? fullName.vi : fullName.en]) {
        const box = await row.getByText(shown, { exact: true }).boundingBox();
        expect(box, shown).not.toBeNull();
        expect((box?.x ?? 0) + (box?.width ?? 0), shown).toBeLessThanOrEqual(PHONE.width);
      }
      await context.close();
    });
  }
});
