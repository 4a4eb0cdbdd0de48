import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { BASE_STRING_GROUPS, PAGE_STRING_GROUPS, pageStringGroups } from "../../app/page-strings";
import { PAGE_GROUP_SETS } from "../../app/server/platform/page-string-sets.server";
import { SERVER_ONLY_GROUPS, STAFF_ONLY_GROUPS, translations } from "../../app/server/platform/i18n.server";
import { groupsUsedBy } from "../fixtures/strings-usage";

// Every group a citizen's browser can be sent (the staff get all of theirs in one script).
const staffOrServer: readonly string[] = [...STAFF_ONLY_GROUPS, ...SERVER_ONLY_GROUPS];
const citizenGroups = Object.keys(translations.vi).filter((g) => !staffOrServer.includes(g));
const pageRoutes = readdirSync("app/routes")
  .filter((f) => /\.tsx$/.test(f) && !/^(officer|admin)[._]/.test(f))
  .map((f) => ({ file: path.join("app/routes", f), id: `routes/${f.replace(/\.tsx$/, "")}` }));

describe("each citizen page's strings (decision 019)", () => {
  it("the layout's groups cover what the root, its header, footer and error page use", () => {
    const used = [...groupsUsedBy("app/root.tsx", citizenGroups)].sort();
    expect(used.length).toBeGreaterThan(0);
    expect(used.filter((g) => !(BASE_STRING_GROUPS as readonly string[]).includes(g))).toEqual([]);
  });

  it("every page lists each group it or the components it imports use, and no other", () => {
    expect(pageRoutes.length).toBeGreaterThan(12);
    const base: readonly string[] = BASE_STRING_GROUPS;
    const wrong = pageRoutes.flatMap(({ file, id }) => {
      const needed = [...groupsUsedBy(file, citizenGroups)].filter((g) => !base.includes(g)).sort();
      const listed = [...(PAGE_STRING_GROUPS[id] ?? [])].sort();
      return JSON.stringify(needed) === JSON.stringify(listed) ? [] : [`${id}: uses ${needed.join(" ")}; lists ${listed.join(" ")}`];
    });
    expect(wrong).toEqual([]);
  });

  it("a page with groups of its own loads them when reached by a link, under its own route id", () => {
    const missing = pageRoutes
      .filter(({ id }) => (PAGE_STRING_GROUPS[id] ?? []).length > 0)
      .filter(({ file, id }) => !readFileSync(file, "utf8").includes(`export const clientLoader = pageStringsLoader(${JSON.stringify(id)});`));
    expect(missing.map((r) => r.id)).toEqual([]);
    for (const id of Object.keys(PAGE_STRING_GROUPS)) expect(existsSync(`app/${id}.tsx`), id).toBe(true);
  });

  it("puts the page groups of the matched routes in one sorted list, which the strings route accepts", () => {
    expect(pageStringGroups(["root", "routes/procedures.$code_.apply"])).toEqual(["apply", "form", "supplement"]);
    expect(pageStringGroups(["root"])).toEqual([]);
    expect(PAGE_GROUP_SETS.has("apply.form.supplement")).toBe(true);
    expect(PAGE_GROUP_SETS.has("form.apply.supplement")).toBe(false);
    for (const groups of Object.values(PAGE_STRING_GROUPS)) for (const g of groups) expect(citizenGroups, g).toContain(g);
  });
});
