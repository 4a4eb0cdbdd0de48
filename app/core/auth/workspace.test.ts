import { describe, expect, it } from "vitest";
import { ROLES } from "./permissions";
import { landingPage, workspaceLinks } from "./workspace";

describe("workspace links and landing pages", () => {
  it("give each role the links its permissions allow", () => {
    expect(Object.fromEntries(ROLES.map((r) => [r, workspaceLinks(r).map((l) => l.to)]))).toEqual({
      citizen: ["/applications"],
      officer: ["/officer", "/officer/intake"],
      agency_admin: ["/officer", "/officer/intake", "/admin"],
      system_admin: ["/admin"],
    });
  });

  it("land officers in their queue and administrators in the administration area", () => {
    expect(Object.fromEntries(ROLES.map((r) => [r, landingPage(r)]))).toEqual({
      citizen: "/",
      officer: "/officer",
      agency_admin: "/admin",
      system_admin: "/admin",
    });
  });
});
