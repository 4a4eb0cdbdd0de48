import { describe, expect, it } from "vitest";
import { isWithinAgency, matchesStaffText, NewStaffSchema, StaffQuerySchema, staffAccess, StaffStateSchema, type Manager } from "./staff";

const hanoiAdmin: Manager = { id: 1, role: "agency_admin", agencyPath: "/24/" };
const systemAdmin: Manager = { id: 2, role: "system_admin", agencyPath: "/" };

describe("isWithinAgency", () => {
  it("takes in the scope's own agency and those below it, and nothing beside it", () => {
    expect(isWithinAgency("/1/", "/1/")).toBe(true);
    expect(isWithinAgency("/1/11/111/", "/1/")).toBe(true);
    expect(isWithinAgency("/12/", "/1/")).toBe(false);
    expect(isWithinAgency("/2/", "/1/11/")).toBe(false);
    expect(isWithinAgency("/1/", "/1/11/")).toBe(false);
  });
  it("gives a system administrator's scope every agency, and refuses a scope that is not a path", () => {
    expect(isWithinAgency("/7/70/", "/")).toBe(true);
    expect(isWithinAgency("/1/", "")).toBe(false);
    expect(isWithinAgency("/10/", "/1")).toBe(false);
  });
});

describe("staffAccess", () => {
  it("lets an agency administrator manage officers of its agency and the agencies below it", () => {
    expect(staffAccess(hanoiAdmin, { id: 10, role: "officer", agencyPath: "/24/" })).toBe("manage");
    expect(staffAccess(hanoiAdmin, { id: 11, role: "officer", agencyPath: "/24/70/81/" })).toBe("manage");
  });

  it("hides other agencies' staff, citizens and system administrators (404, not 403)", () => {
    expect(staffAccess(hanoiAdmin, { id: 12, role: "officer", agencyPath: "/6/" })).toBe("none");
    // A sibling whose id merely starts with the same digits is another agency.
    expect(staffAccess(hanoiAdmin, { id: 13, role: "officer", agencyPath: "/240/" })).toBe("none");
    expect(staffAccess(hanoiAdmin, { id: 14, role: "citizen", agencyPath: null })).toBe("none");
    expect(staffAccess(hanoiAdmin, { id: 15, role: "system_admin", agencyPath: null })).toBe("none");
    expect(staffAccess(systemAdmin, { id: 15, role: "system_admin", agencyPath: null })).toBe("none");
    expect(staffAccess(systemAdmin, { id: 14, role: "citizen", agencyPath: null })).toBe("none");
  });

  it("shows an agency administrator its fellow administrators without letting it change them", () => {
    expect(staffAccess(hanoiAdmin, { id: 16, role: "agency_admin", agencyPath: "/24/70/" })).toBe("view");
    expect(staffAccess(systemAdmin, { id: 16, role: "agency_admin", agencyPath: "/24/70/" })).toBe("manage");
    expect(staffAccess(systemAdmin, { id: 12, role: "officer", agencyPath: "/6/" })).toBe("manage");
  });
});

describe("matchesStaffText", () => {
  const row = { fullName: "Phạm Minh Đức", email: "can.bo.hoankiem@example.vn" };
  it("ignores case and diacritics, and needs every word", () => {
    expect(matchesStaffText(row, "duc")).toBe(true);
    expect(matchesStaffText(row, "PHAM đức")).toBe(true);
    expect(matchesStaffText(row, "hoankiem")).toBe(true);
    expect(matchesStaffText(row, "pham binh")).toBe(false);
    expect(matchesStaffText(row, undefined)).toBe(true);
    expect(matchesStaffText(row, "  ")).toBe(true);
  });
});

describe("NewStaffSchema", () => {
  const valid = { fullName: "  Nguyễn Thị Hoa ", email: " Hoa.Nguyen@Example.VN ", agency: "ha-noi-so-y-te", role: "officer", password: "mot-hai-ba-bon" };

  it("trims and lower-cases what it keeps", () => {
    expect(NewStaffSchema.parse(valid)).toEqual({
      fullName: "Nguyễn Thị Hoa",
      email: "hoa.nguyen@example.vn",
      agency: "ha-noi-so-y-te",
      role: "officer",
      password: "mot-hai-ba-bon",
    });
  });

  it("refuses short passwords, unknown roles, bad e-mails and missing agencies with i18n keys", () => {
    const result = NewStaffSchema.safeParse({ ...valid, password: "11-chars-xx", role: "system_admin", email: "not-an-email", agency: "" });
    expect(result.success).toBe(false);
    const messages = Object.fromEntries((result.error?.issues ?? []).map((i) => [String(i.path[0]), i.message]));
    expect(messages).toEqual({
      password: "admin.errors.password_short",
      role: "admin.errors.role_required",
      email: "admin.errors.email_invalid",
      agency: "admin.errors.agency_required",
    });
    expect(NewStaffSchema.safeParse({ ...valid, password: "12-chars-xxx" }).success).toBe(true);
  });

  it("refuses a citizen role: staff only", () => {
    expect(NewStaffSchema.safeParse({ ...valid, role: "citizen" }).success).toBe(false);
  });
});

describe("StaffStateSchema and StaffQuerySchema", () => {
  it("accept only disable/enable with a positive id", () => {
    expect(StaffStateSchema.parse({ intent: "disable", userId: "7" })).toEqual({ intent: "disable", userId: 7 });
    expect(StaffStateSchema.safeParse({ intent: "delete", userId: "7" }).success).toBe(false);
    expect(StaffStateSchema.safeParse({ intent: "enable", userId: "-1" }).success).toBe(false);
  });

  it("ignores malformed filters instead of failing", () => {
    expect(StaffQuerySchema.parse({ agency: "", q: "", page: "x" })).toEqual({ agency: undefined, q: undefined, page: 1 });
    expect(StaffQuerySchema.parse({ agency: "Hà Nội", q: "duc", page: "3" })).toEqual({ agency: undefined, q: "duc", page: 3 });
  });
});
