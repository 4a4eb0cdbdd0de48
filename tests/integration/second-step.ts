// The second step of a staff member's sign-in over HTTP, for tests that sign in on a real server: after
// the password's redirect to /login/two-factor, enrols (first sign-in: the key is read from the page) or
// types a code, as the member would. One process remembers each account's secret and last step.
import { freshCode, setupKeyIn } from "../fixtures/second-factor";

const known = new Map<string, { secret: string; lastStep: number | null }>();

/** What a sign-in answered: where it sends the browser and the session cookie it set ("name=value"). */
export type SignInAnswer = { status: number; location: string | null; cookie: string };

/** The answer of a fetch, as passSecondStep takes it. */
export const answerOf = (res: Response): SignInAnswer => ({
  status: res.status,
  location: res.headers.get("location"),
  cookie: (res.headers.get("set-cookie") ?? "").split(";")[0] ?? "",
});

/**
 * Finishes a sign-in whose password step sent the browser to the second step, and returns the last
 * answer (200 with the recovery codes after an enrolment, 302 after a code) with the signed-in
 * session's cookie. An answer that did not go to the second step (a citizen, a refusal) comes back as it is.
 */
export async function passSecondStep(input: { base: string; email: string; answer: SignInAnswer; headers?: Record<string, string> }): Promise<SignInAnswer> {
  const location = input.answer.location ?? "";
  if (!location.startsWith("/login/two-factor")) return input.answer;
  const pending = input.answer.cookie;
  const redirectTo = new URL(location, input.base).searchParams.get("redirectTo") ?? "";
  // Two sign-ins of one new account at once: one enrols, the other is sent back here to type a code.
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const page = await fetch(`${input.base}${location}`, { headers: { Cookie: pending, ...input.headers }, redirect: "manual" });
    const key = setupKeyIn(await page.text());
    if (key) known.set(input.email, { secret: key, lastStep: null });
    const account = known.get(input.email);
    if (!account) throw new Error(`no known second factor for ${input.email}: sign in first on a fresh database`);
    const { code, step } = await freshCode(account.secret, account.lastStep);
    account.lastStep = step;
    const res = await fetch(`${input.base}${location}`, {
      method: "POST",
      redirect: "manual",
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        Cookie: pending,
        Origin: input.base,
        "Sec-Fetch-Site": "same-origin",
        ...input.headers,
      },
      body: new URLSearchParams({ intent: key ? "enrol" : "verify", code, redirectTo }),
    });
    const answer = answerOf(res);
    if (answer.location?.startsWith("/login/two-factor")) continue;
    if (res.status >= 400 || answer.cookie === "")
      throw new Error(`the second step answered ${res.status} (${answer.location ?? "no redirect"}) for ${input.email}`);
    return answer;
  }
  throw new Error(`the second step kept asking again for ${input.email}`);
}
