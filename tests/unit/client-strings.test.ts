import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { clientStrings, metaStrings, SERVER_ONLY_GROUPS, STAFF_ONLY_GROUPS, stringsAsset, translations } from "../../app/server/i18n.server";
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
      const sent = clientStrings("vi", role);
      const notSent: readonly string[] = [...STAFF_ONLY_GROUPS, ...SERVER_ONLY_GROUPS];
      expect(Object.keys(sent).sort()).toEqual(Object.keys(translations.vi).filter((g) => !notSent.includes(g)).sort());
      expect(sent.layout).toEqual(translations.vi.layout);
      expect(sent.supplement).toEqual(translations.vi.supplement);
    }
    expect(clientStrings("en", null).layout).toEqual(translations.en.layout);
    // Less than half the bytes: what a citizen's browser fetches once.
    expect(JSON.stringify(clientStrings("vi", null)).length).toBeLessThan(JSON.stringify(translations.vi).length / 2);
  });

  it("are all of them for staff", () => {
    for (const role of ["officer", "agency_admin", "system_admin"] as const) expect(clientStrings("vi", role)).toEqual(translations.vi);
  });

  it("cover every key that citizens' pages and the shared components use", () => {
    const files = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : /\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) ? [path.join(dir, e.name)] : []));
    const citizenFacing = [
      "app/root.tsx",
      ...files("app/components"),
      ...files("app/routes").filter((f) => !/^(officer|admin)[._]/.test(path.basename(f))),
    ];
    // Shown only when the signed-in user is staff (who get every group).
    const allowed = new Set(["app/root.tsx admin.nav_link"]);
    const pattern = new RegExp(`["'\`]((?:${STAFF_ONLY_GROUPS.join("|")})\\.[a-z_0-9.]+)["'\`]`, "g");
    const found = citizenFacing.flatMap((file) => [...readFileSync(file, "utf8").matchAll(pattern)].map((m) => `${file} ${m[1]}`)).filter((use) => !allowed.has(use));
    expect(citizenFacing.length).toBeGreaterThan(20);
    expect(found).toEqual([]);
  });

  it("are a script file named by its content's hash, the same strings the page renders with", () => {
    const citizen = stringsAsset("vi", "citizen");
    expect(citizen.path).toBe(`/strings/vi-citizen-${citizen.hash}.js`);
    // The strings, then the event the page's hydration waits for (entry.client.tsx).
    const parts = (body: string) => /^window\.__portalStrings=(\{.*\});dispatchEvent\(new Event\("([a-z-]+)"\)\);\n$/s.exec(body);
    expect(parts(citizen.body)?.[2]).toBe(STRINGS_READY_EVENT);
    expect(JSON.parse(parts(citizen.body)?.[1] ?? "null")).toEqual(clientStrings("vi", null));
    const staff = stringsAsset("vi", "staff");
    expect(JSON.parse(parts(staff.body)?.[1] ?? "null")).toEqual(translations.vi);
    expect(new Set([citizen.hash, staff.hash, stringsAsset("en", "citizen").hash]).size).toBe(3);
    expect(stringsAsset("vi", "citizen")).toBe(citizen); // made once
  });

  it("are served for a year under the current hash, uncached under an old one, and 404 for any other name", async () => {
    const current = stringsAsset("en", "citizen");
    const call = async (asset: string) => {
      try {
        const res = await stringsRoute.loader({ params: { asset }, request: new Request(`http://portal.test/strings/${asset}`), context: {} });
        return { status: res.status, cache: res.headers.get("Cache-Control"), type: res.headers.get("Content-Type"), body: await res.text() };
      } catch (thrown) {
        if (thrown instanceof Response) return { status: thrown.status, cache: null, type: null, body: await thrown.text() };
        throw thrown;
      }
    };
    expect(await call(current.path.slice("/strings/".length))).toEqual({ status: 200, cache: "public, max-age=31536000, immutable", type: "text/javascript; charset=utf-8", body: current.body });
    expect(await call("en-citizen-000000000000.js")).toMatchObject({ status: 200, cache: "no-cache", body: current.body });
    // The root's fallback when its loader failed: the default language's citizen strings, not cached.
    expect(await call(FALLBACK_STRINGS_PATH.slice("/strings/".length))).toMatchObject({ status: 200, cache: "no-cache", body: stringsAsset("vi", "citizen").body });
    // Compressed once, brotli first; "br;q=0" refuses brotli.
    const name = current.path.slice("/strings/".length);
    for (const [accept, coding] of [["gzip, deflate, br", "br"], ["gzip, br;q=0", "gzip"]] as const) {
      const res = await stringsRoute.loader({ params: { asset: name }, request: new Request(`http://portal.test/strings/${name}`, { headers: { "Accept-Encoding": accept } }), context: {} });
      expect(res.headers.get("Content-Encoding")).toBe(coding);
      const bytes = Buffer.from(await res.arrayBuffer());
      expect((coding === "br" ? brotliDecompressSync(bytes) : gunzipSync(bytes)).toString("utf8")).toBe(current.body);
      expect(Number(res.headers.get("Content-Length"))).toBe(bytes.length);
    }
    for (const bad of ["fr-citizen-000000000000.js", "vi-admin-000000000000.js", "../vi-citizen-000000000000.js", "vi-citizen.js"]) expect(await call(bad)).toMatchObject({ status: 404, body: "Not found" });
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
