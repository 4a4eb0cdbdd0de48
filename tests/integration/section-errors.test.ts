// Issue 13: the officers' and the administrators' areas each have their own guard and error boundary;
// an address that exists in neither answers 404 inside the area, and only to someone allowed in it
// (others are refused first, so they learn nothing of what exists).
import { describe, expect, it } from "vitest";
import * as adminArea from "../../app/routes/admin";
import * as adminNotFound from "../../app/routes/admin.$";
import * as officerArea from "../../app/routes/officer";
import * as officerNotFound from "../../app/routes/officer.$";
import { newCitizen, newStaff } from "../fixtures/accounts";
import { get, run } from "./helpers";

describe("the officers' area", () => {
  it("lets in officers and agency administrators, refuses citizens, sends visitors to sign in", async () => {
    const officer = await newStaff("officer", "ha-noi-phuong-hoan-kiem");
    const agencyAdmin = await newStaff("agency_admin", "ha-noi-so-y-te");
    const citizen = await newCitizen();
    expect((await run(officerArea.loader, get("/officer", officer.cookie))).status).toBe(200);
    expect((await run(officerArea.loader, get("/officer", agencyAdmin.cookie))).status).toBe(200);
    expect((await run(officerArea.loader, get("/officer", citizen.cookie))).status).toBe(403);
    expect(await run(officerArea.loader, get("/officer/intake"))).toMatchObject({ status: 302, location: "/login?redirectTo=%2Fofficer%2Fintake" });
  });

  it("answers 404 for an address it does not have, to an officer only", async () => {
    const officer = await newStaff("officer", "ha-noi-phuong-hoan-kiem");
    const citizen = await newCitizen();
    expect((await run(officerNotFound.loader, get("/officer/khong-co", officer.cookie), { "*": "khong-co" })).status).toBe(404);
    expect((await run(officerNotFound.loader, get("/officer/khong-co", citizen.cookie), { "*": "khong-co" })).status).toBe(403);
    expect((await run(officerNotFound.loader, get("/officer/khong-co"), { "*": "khong-co" })).status).toBe(302);
  });
});

describe("the administrators' area", () => {
  it("answers 404 for an address it does not have, to an administrator only, with the area's navigation still loaded", async () => {
    const admin = await newStaff("system_admin", null);
    const officer = await newStaff("officer", "ha-noi-phuong-hoan-kiem");
    expect((await run(adminNotFound.loader, get("/admin/khong-co", admin.cookie), { "*": "khong-co" })).status).toBe(404);
    // The layout's loader still answers: its error boundary shows the area's navigation around the 404.
    const area = await run(adminArea.loader, get("/admin/khong-co", admin.cookie));
    expect(area.status).toBe(200);
    expect(JSON.stringify(area.data)).toContain("/admin/users");
    expect((await run(adminNotFound.loader, get("/admin/khong-co", officer.cookie), { "*": "khong-co" })).status).toBe(403);
    expect((await run(adminNotFound.loader, get("/admin/khong-co"), { "*": "khong-co" })).status).toBe(302);
  });
});
