// The second step of a staff member's sign-in over HTTP, for tests that sign in on a real server: after
// the password's redirect to /login/two-factor, enrols (first sign-in: the key is read from the page) or
// types a code, as the member would. One process remembers each account's secret and last step.
import { freshCode, setupKeyIn } from "../fixtures/second-factor";

const known = new Map<string, { secret: string; lastStep: number | null }>();

/** Whether a sign-in's answer sends the browser to the second step. */
export const toSecondStep = (response: Response) => (response.headers.get("location") ?? "").startsWith("/login/two-factor");

/**
 * Finishes a sign-in that `password` (the answer to the password's POST) sent to the second step, and
 * returns the last answer (200 with the recovery codes after an enrolment, 302 after a code) and the
 * signed-in session's cookie. Answers that did not go to the second step are returned as they are.
 */
export async function passSecondStep(input: {
  base: string;
  email: string;
  password: Response;
  headers?: Record<string, string>;
}): Promise<{ response: Response; cookie: string }> {
  const cookieOf = (r: Response) => (r.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
  if (!toSecondStep(input.password)) return { response: input.password, cookie: cookieOf(input.password) };
  const location = input.password.headers.get("location") ?? "";
  const pending = cookieOf(input.password);
  const page = await fetch(`${input.base}${location}`, { headers: { Cookie: pending, ...input.headers }, redirect: "manual" });
  const key = setupKeyIn(await page.text());
  if (key) known.set(input.email, { secret: key, lastStep: null });
  const account = known.get(input.email);
  if (!account) throw new Error(`no known second factor for ${input.email}: sign in first on a fresh database`);
  const { code, step } = await freshCode(account.secret, account.lastStep);
  account.lastStep = step;
  const redirectTo = new URL(location, input.base).searchParams.get("redirectTo") ?? "";
  const response = await fetch(`${input.base}${location}`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: pending, Origin: input.base, "Sec-Fetch-Site": "same-origin", ...input.headers },
    body: new URLSearchParams({ intent: key ? "enrol" : "verify", code, redirectTo }),
  });
  if (response.status >= 400) throw new Error(`the second step answered ${response.status} for ${input.email}`);
  return { response, cookie: cookieOf(response) };
}
