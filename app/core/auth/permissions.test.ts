import { describe, expect, it } from "vitest";
import { can, isAgencyScoped, manageableRoles, PERMISSIONS, ROLE_PERMISSIONS, ROLES } from "./permissions";

describe("permissions", () => {
  it("lets only administrators manage procedures", () => {
    expect(ROLES.filter((r) => can(r, "procedure:manage"))).toEqual(["agency_admin", "system_admin"]);
  });

  it("gives citizens no workspace permission at all", () => {
    for (const p of PERMISSIONS) expect(can("citizen", p)).toBe(false);
  });

  it("lets officers process and take in dossiers but not administer", () => {
    expect(can("officer", "dossier:process")).toBe(true);
    expect(can("officer", "dossier:intake")).toBe(true);
    expect(can("officer", "officer:manage")).toBe(false);
    expect(can("officer", "audit:read")).toBe(false);
    expect(can("officer", "procedure:manage")).toBe(false);
  });

  it("lets agency administrators do what officers do plus manage officers and read the audit trail", () => {
    for (const p of ROLE_PERMISSIONS.officer) expect(can("agency_admin", p)).toBe(true);
    expect(can("agency_admin", "officer:manage")).toBe(true);
    expect(can("agency_admin", "procedure:manage")).toBe(true);
    expect(can("agency_admin", "agency_admin:manage")).toBe(false);
    expect(can("agency_admin", "outbox:read")).toBe(false);
  });

  it("keeps system administrators out of dossier processing", () => {
    expect(can("system_admin", "dossier:process")).toBe(false);
    expect(can("system_admin", "personal_data:view")).toBe(false);
    expect(can("system_admin", "audit:read")).toBe(true);
    expect(can("system_admin", "procedure:manage")).toBe(true);
  });

  it("scopes officers and agency administrators to an agency, nobody else", () => {
    expect(ROLES.filter(isAgencyScoped)).toEqual(["officer", "agency_admin"]);
  });

  it("lets an agency administrator create officers only", () => {
    expect(manageableRoles("agency_admin")).toEqual(["officer"]);
    expect(manageableRoles("system_admin")).toEqual(["officer", "agency_admin"]);
    expect(manageableRoles("officer")).toEqual([]);
  });
});
