// The server's route matching is patched to reuse a route tree's ranked branches and each pattern's
// RegExp (docs/decisions/011). These tests fail if `npm ci` did not apply the patch, and if the
// patched matching answers differently from the router's documented behaviour.
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";

// The CommonJS build, as the server loads it (require), not the ES module the browser bundle uses.
const require = createRequire(import.meta.url);
const router: typeof import("@remix-run/router") = require("@remix-run/router");
const { matchPath, matchRoutes } = router;
const source: string = require("node:fs").readFileSync(require.resolve("@remix-run/router"), "utf8");

const routes = [
  {
    id: "root",
    path: "/",
    children: [
      { id: "home", index: true },
      { id: "catalog", path: "procedures" },
      { id: "procedure", path: "procedures/:code" },
      { id: "apply", path: "procedures/:code/apply" },
      { id: "optional", path: "files/:name?" },
      { id: "splat", path: "docs/*" },
    ],
  },
];
const ids = (url: string) => matchRoutes(routes, url)?.map((m) => m.route.id) ?? null;

describe("route matching on the server (patched @remix-run/router)", () => {
  it("is the patched build", () => {
    expect(source).toContain("rankedBranchesCache");
    expect(source).toContain("compiledPathCache");
  });

  it("matches the same routes, with the same parameters, however often the tree is matched", () => {
    for (let round = 0; round < 3; round++) {
      expect(ids("/")).toEqual(["root", "home"]);
      expect(ids("/procedures")).toEqual(["root", "catalog"]);
      expect(ids("/procedures/1.001193")).toEqual(["root", "procedure"]);
      expect(matchRoutes(routes, "/procedures/1.001193/apply")?.at(-1)?.params).toEqual({ code: "1.001193" });
      expect(matchRoutes(routes, "/procedures/2.000001/apply")?.at(-1)?.params).toEqual({ code: "2.000001" });
      expect(matchRoutes(routes, "/files")?.at(-1)?.params).toEqual({ name: undefined });
      expect(matchRoutes(routes, "/files/a.pdf")?.at(-1)?.params).toEqual({ name: "a.pdf" });
      expect(matchRoutes(routes, "/docs/a/b")?.at(-1)?.params).toEqual({ "*": "a/b" });
      expect(ids("/nowhere/at/all")).toBeNull();
    }
  });

  it("keeps case sensitivity and end-matching apart for the same path", () => {
    expect(matchPath({ path: "/Procedures", caseSensitive: true }, "/procedures")).toBeNull();
    expect(matchPath({ path: "/Procedures", caseSensitive: false }, "/procedures")?.pathname).toBe("/procedures");
    expect(matchPath({ path: "/Procedures", caseSensitive: true }, "/Procedures")?.pathname).toBe("/Procedures");
    expect(matchPath({ path: "/procedures", end: true }, "/procedures/1")).toBeNull();
    expect(matchPath({ path: "/procedures", end: false }, "/procedures/1")?.pathnameBase).toBe("/procedures");
  });

  it("sees a new tree as new: another tree with the same shape but other routes matches its own", () => {
    const other = [{ id: "root", path: "/", children: [{ id: "other-catalog", path: "procedures" }] }];
    expect(matchRoutes(other, "/procedures")?.map((m) => m.route.id)).toEqual(["root", "other-catalog"]);
    expect(ids("/procedures")).toEqual(["root", "catalog"]);
  });
});
