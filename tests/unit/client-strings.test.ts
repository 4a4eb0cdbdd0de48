import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import {
  clientStrings,
  metaStrings,
  SERVER_ONLY_GROUPS,
  SIMULATOR_GROUPS,
  STAFF_ONLY_GROUPS,
  stringsAsset,
  stringsVersion,
  translations,
} from "../../app/server/platform/i18n.server";
import { BASE_STRING_GROUPS } from "../../app/page-strings";
import * as stringsRoute from "../../app/routes/strings.$asset";
import { FALLBACK_STRINGS_PATH } from "../../app/components/strings";
import { STRINGS_READY_EVENT } from "../../app/i18n";

/**
 * Citizens and visitors are sent the strings without the staff-only groups (root loader,
 * clientStrings). A key of those groups rendered on a citizen page would show as the raw key
 * after hydration, so the code citizens' pages run must not use them.
 */
describe("strings sent to the browser", () => {
  it("leave out the staff-only groups for visitors and citizens, in the chosen language only", () => {
    for (const role of [null, "citizen"] as const) {
      const sent = clientStrings("vi", role, { simulators: true });
      const left: readonly string[] = [...STAFF_ONLY_GROUPS, ...SERVER_ONLY_GROUPS];
      expect(Object.keys(sent).sort()).toEqual(
        Object.keys(translations.vi)
          .filter((g) => !left.includes(g))
          .sort(),
      );
      expect(sent.layout).toEqual(translations.vi.layout);
      expect(sent.supplement).toEqual(translations.vi.supplement);
    }
    expect(clientStrings("en", null).layout).toEqual(translations.en.layout);
    // Less than half the bytes: what a citizen's browser fetches once.
    expect(JSON.stringify(clientStrings("vi", null)).length).toBeLessThan(JSON.stringify(translations.vi).length / 2);
  });

  it("are all of them for staff, but those only the server uses", () => {
    const all: Record<string, unknown> = { ...translations.vi };
    for (const group of SERVER_ONLY_GROUPS) delete all[group];
    for (const role of ["officer", "agency_admin", "system_admin"] as const) expect(clientStrings("vi", role)).toEqual(all);
  });

  it("carry the simulators' pages only where the simulators are mounted (never in production)", () => {
    for (const group of SIMULATOR_GROUPS) {
      expect(clientStrings("vi", null, { simulators: true })).toHaveProperty(group);
      expect(clientStrings("vi", null, { simulators: false })).not.toHaveProperty(group);
    }
    // The bank's page asks for its group: it gets it only where the bank is simulated.
    expect(stringsAsset("en", "citizen", { simulators: true }, ["form", "gateway"]).strings).toHaveProperty("gateway");
    expect(stringsAsset("en", "citizen", { simulators: false }, ["form", "gateway"]).strings).not.toHaveProperty("gateway");
  });

  it("leave out the groups only the server uses, which no page or component reads", () => {
    const files = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? files(path.join(dir, e.name)) : /\.tsx$/.test(e.name) && !/\.test\.tsx$/.test(e.name) ? [path.join(dir, e.name)] : [],
      );
    const pattern = new RegExp(`["'\`]((?:${SERVER_ONLY_GROUPS.join("|")})\\.[a-z_0-9.]+)["'\`]`, "g");
    const pages = ["app/root.tsx", ...files("app/components"), ...files("app/routes")];
    expect(pages.flatMap((file) => [...readFileSync(file, "utf8").matchAll(pattern)].map((m) => `${file} ${m[1]}`))).toEqual([]);
    expect(clientStrings("vi", null)).not.toHaveProperty("body_limits");
  });

  it("cover every key that citizens' pages and the shared components use", () => {
    const files = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? files(path.join(dir, e.name)) : /\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) ? [path.join(dir, e.name)] : [],
      );
    // The form builder's views (components/form-builder) are the admin route's only: staff strings.
    const staffComponents = path.join("app", "components", "form-builder");
    const citizenFacing = [
      "app/root.tsx",
      ...files("app/components").filter((f) => !f.startsWith(staffComponents)),
      ...files("app/routes").filter((f) => !/^(officer|admin)[._]/.test(path.basename(f))),
    ];
    // None: the header's staff links take their keys from core/auth/workspace.ts and show only to staff (who get every group).
    const allowed = new Set<string>();
    const pattern = new RegExp(`["'\`]((?:${STAFF_ONLY_GROUPS.join("|")})\\.[a-z_0-9.]+)["'\`]`, "g");
    const found = citizenFacing
      .flatMap((file) => [...readFileSync(file, "utf8").matchAll(pattern)].map((m) => `${file} ${m[1]}`))
      .filter((use) => !allowed.has(use));
    expect(citizenFacing.length).toBeGreaterThan(20);
    expect(found).toEqual([]);
  });

  it("are a script file named by the set's version and the page's groups, the same strings the page renders with", () => {
    const citizen = stringsAsset("vi", "citizen", { simulators: false });
    expect(citizen.path).toBe(`/strings/vi-citizen-${citizen.hash}.js`);
    // The strings, added to any already loaded, then the event the page's hydration waits for (entry.client.tsx).
    const parts = (body: string) =>
      /^window\.__portalStrings=Object\.assign\(window\.__portalStrings\|\|\{\},(\{.*\})\);dispatchEvent\(new Event\("([a-z-]+)"\)\);\n$/s.exec(body);
    expect(parts(citizen.body)?.[2]).toBe(STRINGS_READY_EVENT);
    // Without a page: the layout's groups only (the error page's).
    expect(Object.keys(JSON.parse(parts(citizen.body)?.[1] ?? "null")).sort()).toEqual([...BASE_STRING_GROUPS].sort());
    const form = stringsAsset("vi", "citizen", { simulators: false }, ["apply", "form", "supplement"]);
    expect(form.path).toBe(`/strings/vi-citizen-${citizen.hash}-apply.form.supplement.js`);
    const sent = JSON.parse(parts(form.body)?.[1] ?? "null");
    expect(Object.keys(sent).sort()).toEqual(["apply", "errors", "form", "layout", "supplement"]);
    expect(sent.form).toEqual(translations.vi.form);
    // A staff-only or server-only group is never sent to a citizen, even when asked for.
    expect(Object.keys(JSON.parse(parts(stringsAsset("vi", "citizen", {}, ["form", "officer", "pay_reason"]).body)?.[1] ?? "null")).sort()).toEqual([
      "errors",
      "form",
      "layout",
    ]);
    const staff = stringsAsset("vi", "staff", {}, ["form"]);
    expect(staff.path).toBe(`/strings/vi-staff-${staff.hash}.js`);
    expect(JSON.parse(parts(staff.body)?.[1] ?? "null")).toEqual(clientStrings("vi", "system_admin"));
    expect(new Set([citizen.hash, staff.hash, stringsAsset("en", "citizen", { simulators: false }).hash]).size).toBe(3);
    expect(stringsAsset("vi", "citizen", { simulators: false })).toBe(citizen); // made once
    // A change of any citizen text gives every citizen page a new address (the version is the whole set's hash).
    expect(stringsVersion("vi", "citizen", { simulators: false })).toBe(citizen.hash);
  });

  it("are served for a year under the current version, uncached under an old one, and 404 for any other name", async () => {
    const current = stringsAsset("en", "citizen", {}, ["catalog", "form", "levels"]);
    const call = async (asset: string) => {
      try {
        const res = stringsRoute.loader({ params: { asset }, request: new Request(`http://portal.test/strings/${asset}`), context: {} });
        return { status: res.status, cache: res.headers.get("Cache-Control"), type: res.headers.get("Content-Type"), body: await res.text() };
      } catch (thrown) {
        if (thrown instanceof Response) return { status: thrown.status, cache: null, type: null, body: await thrown.text() };
        throw thrown;
      }
    };
    expect(await call(current.path.slice("/strings/".length))).toEqual({
      status: 200,
      cache: "public, max-age=31536000, immutable",
      type: "text/javascript; charset=utf-8",
      body: current.body,
    });
    expect(await call("en-citizen-000000000000-catalog.form.levels.js")).toMatchObject({ status: 200, cache: "no-cache", body: current.body });
    // The root's fallback when its loader failed: the default language's layout strings, not cached.
    expect(await call(FALLBACK_STRINGS_PATH.slice("/strings/".length))).toMatchObject({
      status: 200,
      cache: "no-cache",
      body: stringsAsset("vi", "citizen").body,
    });
    // Compressed once, brotli first; "br;q=0" refuses brotli.
    const name = current.path.slice("/strings/".length);
    for (const [accept, coding] of [
      ["gzip, deflate, br", "br"],
      ["gzip, br;q=0", "gzip"],
    ] as const) {
      const res = stringsRoute.loader({
        params: { asset: name },
        request: new Request(`http://portal.test/strings/${name}`, { headers: { "Accept-Encoding": accept } }),
        context: {},
      });
      expect(res.headers.get("Content-Encoding")).toBe(coding);
      const bytes = Buffer.from(await res.arrayBuffer());
      expect((coding === "br" ? brotliDecompressSync(bytes) : gunzipSync(bytes)).toString("utf8")).toBe(current.body);
      expect(Number(res.headers.get("Content-Length"))).toBe(bytes.length);
    }
    // Only the group lists pages have: not any other list (each would be a new asset to make and keep), not for staff.
    const version = current.hash;
    for (const bad of [
      "fr-citizen-000000000000.js",
      "vi-admin-000000000000.js",
      "../vi-citizen-000000000000.js",
      "vi-citizen.js",
      `en-citizen-${version}-form.catalog.levels.js`,
      `en-citizen-${version}-officer.js`,
      `en-citizen-${version}-catalog.form.js`,
      `en-staff-${stringsVersion("en", "staff")}-form.js`,
      `en-citizen-${version}-.js`,
    ])
      expect(await call(bad)).toMatchObject({ status: 404, body: "Not found" });
  });

  it("leave the root's meta only the site name and the error titles, in each language", () => {
    for (const language of ["vi", "en"] as const) {
      const meta = metaStrings(language);
      expect(meta["layout.site_name"]).toBe(translations[language].layout.site_name);
      expect(meta["errors.not_found_title"]).toBe(translations[language].errors.not_found_title);
      expect(Object.keys(meta).every((k) => k === "layout.site_name" || /^errors\.[a-z_]+_title$/.test(k))).toBe(true);
    }
  });
});
