import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ErrorSummary } from "~/components/error-summary";
import { TextField } from "~/components/text-field";
import { RecoveryCodeSchema, TotpCodeSchema } from "~/core/auth/second-factor";
import { fieldErrors } from "~/core/forms/field-errors";
import { landingPage } from "~/server/auth/guards.server";
import { clearAttempts, countAttempts, LIMITS, refusedFor, retryAfterSeconds } from "~/server/auth/attempt-limits.server";
import { confirmEnrolment, enrolmentQr, secondFactorEnrolled, useRecoveryCode, verifyTotp } from "~/server/auth/second-factor.server";
import { getPendingSession, getSessionUser, safeRedirect, signIn, startSession } from "~/server/auth/session.server";
import { getT } from "~/server/platform/i18n.server";
import { requireFormData } from "~/server/platform/upload.server";
import { pageStringsLoader } from "~/utils/page-strings-loader";

/**
 * The second step of a staff member's sign-in (docs/decisions/033): after a correct password the session
 * is only half signed in and opens this page alone. A member without a second factor enrols here
 * (QR code and key, a code to confirm, recovery codes shown once); one with it types a code from the
 * app or a recovery code. Works without JavaScript: each form is a plain post answered with a document.
 */
export const clientLoader = pageStringsLoader("routes/login_.two-factor");

export const meta: MetaFunction<typeof loader> = ({ data: d }) => [{ title: d?.title ?? "" }];

const backTo = (request: Request) => new URL(request.url).searchParams.get("redirectTo") ?? "";

export async function loader({ request }: LoaderFunctionArgs) {
  const signedIn = await getSessionUser(request);
  if (signedIn) throw redirect(safeRedirect(backTo(request), landingPage(signedIn.role)));
  const pending = await getPendingSession(request);
  const t = await getT(request);
  // No half session: it expired or was ended — or this is the enrolment's own answer, whose loaders run
  // with the request's (now replaced) cookie. The page says to sign in again; the enrolment shows its codes.
  if (!pending) return { mode: "signed_out" as const, title: t("two_factor.verify_title"), email: "", enrolment: null };
  if (await secondFactorEnrolled(pending.id)) return { mode: "verify" as const, title: t("two_factor.verify_title"), email: pending.email, enrolment: null };
  const enrolment = await enrolmentQr({ userId: pending.id, email: pending.email });
  // Nothing to enrol with (reset meanwhile, or a key change): the password step makes a fresh secret.
  if (!enrolment) throw redirect(`/login?${new URLSearchParams({ redirectTo: backTo(request) })}`);
  return { mode: "enrol" as const, title: t("two_factor.enrol_title"), email: pending.email, enrolment };
}

type Errors = Record<string, string>;
const failed = (errors: Errors, status: number, retryAfter: number | null = null, headers?: HeadersInit) =>
  data({ errors, retryAfter, recoveryCodes: null, continueTo: null }, { status, headers });

export async function action({ request, context }: ActionFunctionArgs) {
  const pending = await getPendingSession(request);
  if (!pending) {
    const signedIn = await getSessionUser(request);
    throw redirect(signedIn ? landingPage(signedIn.role) : `/login?${new URLSearchParams({ redirectTo: backTo(request) })}`);
  }
  const form = Object.fromEntries(await requireFormData(request));
  const continueTo = safeRedirect(typeof form.redirectTo === "string" ? form.redirectTo : null, landingPage(pending.role));
  const intent = form.intent === "recover" ? "recover" : form.intent === "enrol" ? "enrol" : "verify";
  const field = intent === "recover" ? "recoveryCode" : "code";

  // Guessing codes (decision 033): per account from anywhere, and per address across accounts.
  const perAccount = { key: `2fa:acct:${pending.id}`, rule: LIMITS.secondFactorAccount };
  const perAddress = { key: `2fa:addr:${context.clientIp ?? "unknown"}`, rule: LIMITS.secondFactorAddress };
  const refused = await refusedFor([perAccount, perAddress]);
  if (refused) {
    const retryAfter = retryAfterSeconds(refused.retryAfterMs);
    return failed({ [field]: "two_factor.errors.too_many_attempts" }, 429, Math.ceil(retryAfter / 60), { "Retry-After": String(retryAfter) });
  }
  const wrong = async (key: string) => {
    await countAttempts([perAccount, perAddress]);
    return failed({ [field]: key }, 400);
  };

  if (intent === "recover") {
    const parsed = RecoveryCodeSchema.safeParse(form);
    if (!parsed.success) return failed(fieldErrors(parsed.error), 400);
    const outcome = await useRecoveryCode({ account: pending, recoveryCode: parsed.data.recoveryCode });
    if (!outcome.ok) return await wrong("two_factor.errors.recovery_wrong");
    await clearAttempts([perAccount.key]);
    return await signIn(request, pending.id, continueTo, { secondFactorVerified: true });
  }

  const parsed = TotpCodeSchema.safeParse(form);
  if (!parsed.success) return failed(fieldErrors(parsed.error), 400);
  if (intent === "enrol") {
    const outcome = await confirmEnrolment({ account: pending, code: parsed.data.code });
    if (!outcome.ok) {
      if (outcome.error === "not_enrolling") throw redirect(`/login/two-factor?${new URLSearchParams({ redirectTo: continueTo })}`);
      return await wrong("two_factor.errors.code_wrong");
    }
    await clearAttempts([perAccount.key]);
    // Signed in now; the codes are shown on this answer only (never stored in clear, never cached).
    const { cookie } = await startSession(request, pending.id, { secondFactorVerified: true });
    return data(
      { errors: {} as Errors, retryAfter: null, recoveryCodes: outcome.recoveryCodes, continueTo },
      { headers: { "Set-Cookie": cookie, "Cache-Control": "no-store" } },
    );
  }
  const outcome = await verifyTotp({ account: pending, code: parsed.data.code });
  if (!outcome.ok) {
    if (outcome.error === "not_enrolled") throw redirect(`/login/two-factor?${new URLSearchParams({ redirectTo: continueTo })}`);
    return await wrong(outcome.error === "replayed" ? "two_factor.errors.code_used" : "two_factor.errors.code_wrong");
  }
  await clearAttempts([perAccount.key]);
  return await signIn(request, pending.id, continueTo, { secondFactorVerified: true });
}

export default function TwoFactor() {
  const { t } = useTranslation();
  const page = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  if (answer?.recoveryCodes) return <RecoveryCodes codes={answer.recoveryCodes} continueTo={answer.continueTo ?? "/"} />;
  const errors: Errors = answer?.errors ?? {};
  const message = (key: string) => t(key, { minutes: answer?.retryAfter ?? 15 });
  return (
    <>
      <h1>{page.title}</h1>
      <ErrorSummary errors={Object.entries(errors).map(([fieldId, key]) => ({ fieldId, message: message(key) }))} />
      {page.mode === "signed_out" ? (
        <SignInAgain />
      ) : page.mode === "enrol" && page.enrolment ? (
        <>
          <p>{t("two_factor.enrol_intro")}</p>
          <img className="two-factor__qr" src={page.enrolment.qr} width={200} height={200} alt={t("two_factor.qr_alt", { email: page.email })} />
          <p id="setup-key-intro">{t("two_factor.key_intro")}</p>
          <p>
            <code className="two-factor__key" aria-label={t("two_factor.key_label")} aria-describedby="setup-key-intro">
              {page.enrolment.key}
            </code>
          </p>
          <CodeForm intent="enrol" error={errors.code ? message(errors.code) : undefined} hint={t("two_factor.enrol_code_hint")} />
        </>
      ) : (
        <>
          <p>{t("two_factor.verify_intro", { email: page.email })}</p>
          <CodeForm intent="verify" error={errors.code ? message(errors.code) : undefined} hint={t("two_factor.code_hint")} />
          <h2 id="recovery-title">{t("two_factor.recovery_title")}</h2>
          <p>{t("two_factor.recovery_intro")}</p>
          <Form method="post" noValidate reloadDocument aria-labelledby="recovery-title">
            <RedirectField />
            <input type="hidden" name="intent" value="recover" />
            <TextField
              id="recoveryCode"
              name="recoveryCode"
              label={t("two_factor.recovery_code")}
              hint={t("two_factor.recovery_hint")}
              autoComplete="off"
              autoCapitalize="none"
              spellCheck={false}
              maxLength={40}
              error={errors.recoveryCode ? message(errors.recoveryCode) : undefined}
              required
            />
            <button type="submit" className="button button--secondary">
              {t("two_factor.use_recovery")}
            </button>
          </Form>
        </>
      )}
      {page.mode === "signed_out" ? null : (
        <Form method="post" action="/logout" reloadDocument>
          <button type="submit" className="button button--secondary">
            {t("two_factor.cancel")}
          </button>
        </Form>
      )}
    </>
  );
}

function SignInAgain() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  return (
    <>
      <p>{t("two_factor.signed_out")}</p>
      <p>
        <Link to={`/login?${new URLSearchParams({ redirectTo: params.get("redirectTo") ?? "" })}`}>{t("two_factor.sign_in_again")}</Link>
      </p>
    </>
  );
}

/** Where the person was going, carried through each post (checked again by the action). */
function RedirectField() {
  const [params] = useSearchParams();
  return <input type="hidden" name="redirectTo" value={params.get("redirectTo") ?? ""} />;
}

function CodeForm({ intent, error, hint }: { intent: "enrol" | "verify"; error?: string; hint: string }) {
  const { t } = useTranslation();
  return (
    // A new document after sign-in: staff pages need the staff strings script in <head>.
    <Form method="post" noValidate reloadDocument>
      <RedirectField />
      <input type="hidden" name="intent" value={intent} />
      <TextField
        id="code"
        name="code"
        label={t("two_factor.code")}
        hint={hint}
        inputMode="numeric"
        autoComplete="one-time-code"
        maxLength={20}
        className="input--short"
        error={error}
        required
      />
      <button type="submit" className="button">
        {t("two_factor.confirm")}
      </button>
    </Form>
  );
}

function RecoveryCodes({ codes, continueTo }: { codes: string[]; continueTo: string }) {
  const { t } = useTranslation();
  return (
    <>
      <h1>{t("two_factor.codes_title")}</h1>
      <p>{t("two_factor.codes_intro")}</p>
      <h2 id="codes-label">{t("two_factor.codes_label")}</h2>
      <ol className="two-factor__codes" aria-labelledby="codes-label">
        {codes.map((code) => (
          <li key={code}>
            <code>{code}</code>
          </li>
        ))}
      </ol>
      <p>{t("two_factor.codes_once")}</p>
      <p>
        {/* A document load: the staff workspace brings its own strings script. */}
        <a className="button" href={continueTo}>
          {t("two_factor.continue")}
        </a>
      </p>
    </>
  );
}
