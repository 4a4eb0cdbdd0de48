import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { schema } from "../../app/server/platform/schema.server";
import { db } from "../../app/server/platform/db.server";
import { getSessionUser } from "../../app/server/auth/session.server";
import * as login from "../../app/routes/login";
import * as logout from "../../app/routes/logout";
import { newCitizen, signInAs } from "../fixtures/accounts";
import { formOf, get, post, run } from "./helpers";

const signInRequest = (email: string, password: string, cookie?: string) => post("/login", formOf({ email, password, redirectTo: "/applications" }), cookie);

async function signInCookie(email: string, password: string, cookie?: string) {
  const res = await login.action({ request: signInRequest(email, password, cookie), params: {}, context: { clientIp: "10.0.0.1" } });
  if (!(res instanceof Response)) throw new Error("expected a redirect");
  return { res, cookie: (res.headers.get("Set-Cookie") ?? "").split(";")[0] ?? "", setCookie: res.headers.get("Set-Cookie") ?? "" };
}

describe("sign-in and sessions", () => {
  it("signs in a seeded citizen with an HttpOnly, SameSite cookie and redirects only to local paths", async () => {
    const { res, setCookie } = await signInCookie("cong.dan@example.vn", "CongDan@2026");
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/applications");
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Lax/);
    const evil = await login.action({
      request: post("/login", formOf({ email: "cong.dan@example.vn", password: "CongDan@2026", redirectTo: "//evil.example/x" })),
      params: {},
      context: {},
    });
    expect(evil instanceof Response && evil.headers.get("Location")).toBe("/");
  });

  it("issues a new session id at every sign-in and ends the session at sign-out", async () => {
    const first = await signInCookie("tran.thi.binh@example.vn", "CongDan@2026");
    const second = await signInCookie("tran.thi.binh@example.vn", "CongDan@2026", first.cookie);
    expect(second.cookie).not.toBe(first.cookie);
    expect(await getSessionUser(get("/", first.cookie))).toBeNull(); // the old id no longer works
    expect((await getSessionUser(get("/", second.cookie)))?.email).toBe("tran.thi.binh@example.vn");
    await logout.action({ request: post("/logout", new FormData(), second.cookie), params: {}, context: {} });
    expect(await getSessionUser(get("/", second.cookie))).toBeNull();
  });

  it("says the same thing for an unknown account and a wrong password", async () => {
    const unknown = await run(login.action, signInRequest("nobody@example.vn", "whatever-password"));
    const wrong = await run(login.action, signInRequest("cong.dan@example.vn", "wrong-password"));
    expect(unknown).toEqual({
      status: 400,
      location: null,
      data: { errors: { email: "auth.errors.wrong_credentials" }, email: "nobody@example.vn", retryAfter: null },
    });
    expect(wrong.data).toMatchObject({ errors: { email: "auth.errors.wrong_credentials" } });
  });

  it("limits password guessing per account and address: the sixth try from that address is refused even with the right password", async () => {
    const citizen = await newCitizen();
    for (let i = 0; i < 5; i++) expect((await run(login.action, signInRequest(citizen.email, `wrong-${i}-password`))).status).toBe(400);
    const refused = await run(login.action, signInRequest(citizen.email, "mat-khau-rat-dai-123"));
    expect(refused).toMatchObject({ status: 429, data: { errors: { email: "auth.errors.too_many_attempts" }, retryAfter: 15 } });
    const sessions = await db().select().from(schema.sessions).where(eq(schema.sessions.userId, citizen.id));
    expect(sessions).toHaveLength(1); // only the one the test helper made
  });

  it("does not lock the owner out: five wrong passwords from five other addresses, then the right one from the owner's", async () => {
    const citizen = await newCitizen();
    const from = (clientIp: string, password: string) =>
      run((args) => login.action({ ...args, context: { clientIp } }), signInRequest(citizen.email, password));
    for (let i = 1; i <= 5; i++) expect((await from(`10.8.0.${i}`, `wrong-${i}-password`)).status).toBe(400);
    expect((await from("10.8.1.1", "mat-khau-rat-dai-123")).status).toBe(302);
  }, 60_000);

  it("limits password guessing per address: after thirty failures from one address, any account is refused", async () => {
    const citizen = await newCitizen();
    const from = (clientIp: string, email: string, password: string) =>
      run((args) => login.action({ ...args, context: { clientIp } }), signInRequest(email, password));
    // Spread over many accounts, so the per-account limit never applies.
    for (let i = 0; i < 30; i++) expect((await from("10.9.9.9", `khach-${i}@example.vn`, "wrong-password")).status).toBe(400);
    expect(await from("10.9.9.9", citizen.email, "mat-khau-rat-dai-123")).toMatchObject({
      status: 429,
      data: { errors: { email: "auth.errors.too_many_attempts" } },
    });
    // Another address is not affected.
    expect((await from("10.9.9.10", citizen.email, "mat-khau-rat-dai-123")).status).toBe(302);
  }, 120_000); // thirty argon2 verifications: slow on a loaded 2-core CI machine

  it("lands staff in their workspace when no page asked for them; a safe redirectTo still wins, an unsafe one does not", async () => {
    const landing = async (email: string, password: string, redirectTo?: string) => {
      const form = formOf(redirectTo === undefined ? { email, password } : { email, password, redirectTo });
      const res = await login.action({ request: post("/login", form), params: {}, context: { clientIp: "10.7.0.1" } });
      const location = res instanceof Response ? res.headers.get("Location") : null;
      // Staff go through the second step first (decision 033), which then sends them where this says.
      if (!location?.startsWith("/login/two-factor?")) return location;
      return `2fa → ${new URL(location, "http://localhost").searchParams.get("redirectTo")}`;
    };
    expect(await landing("can.bo.hoankiem@example.vn", "CanBo@2026")).toBe("2fa → /officer");
    expect(await landing("quan.tri@example.vn", "QuanTri@2026", "")).toBe("2fa → /admin");
    expect(await landing("cong.dan@example.vn", "CongDan@2026")).toBe("/");
    expect(await landing("can.bo.hoankiem@example.vn", "CanBo@2026", "/officer/intake")).toBe("2fa → /officer/intake");
    expect(await landing("can.bo.hoankiem@example.vn", "CanBo@2026", "//evil.example/x")).toBe("2fa → /officer");
    // Already signed in (both steps), the sign-in page sends them on the same way.
    const { cookie } = await signInAs("quan.tri@example.vn");
    expect(await run(login.loader, get("/login", cookie))).toMatchObject({ status: 302, location: "/admin" });
    expect(await run(login.loader, get("/login?redirectTo=%2Fadmin%2Faudit", cookie))).toMatchObject({ status: 302, location: "/admin/audit" });
  }, 60_000);
});
