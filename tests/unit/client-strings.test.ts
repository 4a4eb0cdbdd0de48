import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { clientStrings, STAFF_ONLY_GROUPS, translations } from "../../app/server/i18n.server";

/**
 * Citizens and visitors are sent the strings without the staff-only groups (root loader,
 * clientStrings). A key of those groups rendered on a citizen page would show as the raw key
 * after hydration, so the code citizens' pages run must not use them.
 */
describe("strings sent to the browser", () => {
  it("leave out the staff-only groups for visitors and citizens, in the chosen language only", () => {
    for (const role of [null, "citizen"] as const) {
      const sent = clientStrings("vi", role);
      expect(Object.keys(sent).sort()).toEqual(Object.keys(translations.vi).filter((g) => !(STAFF_ONLY_GROUPS as readonly string[]).includes(g)).sort());
      expect(sent.layout).toEqual(translations.vi.layout);
      expect(sent.supplement).toEqual(translations.vi.supplement);
    }
    expect(clientStrings("en", null).layout).toEqual(translations.en.layout);
    // Less than half the bytes: what every citizen page's HTML carries.
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
});
