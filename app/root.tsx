import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, Links, Meta, Outlet, Scripts, ScrollRestoration, useLocation, useMatches, useRouteLoaderData } from "@remix-run/react";
import { useMemo, type ReactNode } from "react";
import { I18nextProvider, useTranslation } from "react-i18next";
import { errorKey, GeneralErrorBoundary } from "./components/error-boundary";
import { useNonce } from "./components/nonce";
import { FALLBACK_STRINGS_PATH, usePageStrings } from "./components/strings";
import { createI18n, DEFAULT_LANGUAGE } from "./i18n";
import { pageStringGroups, stringsScriptPath } from "./page-strings";
import { getLanguage, metaStrings, stringsAt, stringSetFor } from "./server/platform/i18n.server";
import { workspaceLinks } from "./server/auth/guards.server";
import { getSessionUser } from "./server/auth/session.server";
import styles from "./styles/app.css";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: styles },
  { rel: "icon", href: "/favicon.ico" },
];

export async function loader({ request }: LoaderFunctionArgs) {
  const language = await getLanguage(request);
  const user = await getSessionUser(request);
  const stringSet = stringSetFor(user?.role ?? null);
  return {
    language,
    stringSet,
    // The strings script's name without the page's groups, which the layout adds from the matched routes.
    stringsAt: stringsAt(language, stringSet),
    metaStrings: metaStrings(language),
    // The header's workspace links, decided here so the permission tables stay out of every page's JavaScript.
    user: user ? { fullName: user.fullName, role: user.role, links: workspaceLinks(user.role) } : null,
  };
}

/**
 * Every page sets its own title; this one is for the pages that do not: the error page (only the
 * root has an error boundary, so its meta is the one used then) and any page without a meta.
 */
export const meta: MetaFunction<typeof loader> = ({ data, error }) => {
  const title = data?.metaStrings[error === undefined ? "layout.site_name" : `errors.${errorKey(error)}_title`];
  return title ? [{ title }] : [];
};

export type RootData = Awaited<ReturnType<typeof loader>>;
export const useRootData = () => useRouteLoaderData<typeof loader>("root");

export function Layout({ children }: { children: ReactNode }) {
  const data = useRootData();
  const nonce = useNonce();
  const language = data?.language ?? DEFAULT_LANGUAGE;
  const strings = usePageStrings();
  const i18n = useMemo(() => createI18n(language, strings), [language, strings]);
  const wide = useWidePage();
  const stringsPath = useStringsPath(data);
  const scripts = useScripts();
  return (
    <html lang={language}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
        {/* Deferred: runs after parsing, before the deferred module scripts that hydrate the page. */}
        {scripts ? <script defer src={stringsPath} nonce={nonce} data-strings-at={data?.stringsAt} /> : null}
      </head>
      <body>
        <I18nextProvider i18n={i18n}>
          <SiteHeader />
          <main id="main" className={wide ? "page page--wide" : "page"}>
            {children}
          </main>
          <SiteFooter />
        </I18nextProvider>
        {scripts ? (
          <>
            <ScrollRestoration nonce={nonce} />
            <Scripts nonce={nonce} />
          </>
        ) : null}
      </body>
    </html>
  );
}

/** The page's strings script: the set the root chose, with the matched routes' groups for citizens (decision 019). */
function useStringsPath(data: RootData | undefined): string {
  const matches = useMatches();
  if (!data) return FALLBACK_STRINGS_PATH;
  return stringsScriptPath(data.stringsAt, data.stringSet === "citizen" ? pageStringGroups(matches.map((m) => m.id)) : []);
}

/** A page whose route exports `handle = { wide: true }` (a work list) uses the whole window; the rest keep a readable column. */
function useWidePage(): boolean {
  return useMatches().some((m) => typeof m.handle === "object" && m.handle !== null && "wide" in m.handle && m.handle.wide === true);
}

/**
 * Every page is sent with its scripts, except one whose route exports `handle = { scripts: false }`:
 * the form builder's preview "without JavaScript" shows a form exactly as a browser without scripts
 * gets it, in the administrator's own browser (forms then post and links load whole pages).
 */
function useScripts(): boolean {
  return !useMatches().some((m) => typeof m.handle === "object" && m.handle !== null && "scripts" in m.handle && m.handle.scripts === false);
}

function SiteHeader() {
  const { t } = useTranslation();
  const data = useRootData();
  const location = useLocation();
  const here = `${location.pathname}${location.search}`;
  return (
    <header className="site-header">
      <a className="skip-link" href="#main">
        {t("layout.skip_to_content")}
      </a>
      <div className="site-header__inner">
        <Link to="/" className="site-header__brand">
          <span className="site-header__emblem" aria-hidden="true">
            ★
          </span>
          {t("layout.site_name")}
        </Link>
        <nav aria-label={t("layout.main_navigation")} className="site-nav">
          <Link to="/procedures">{t("layout.nav_procedures")}</Link>
          <Link to="/track">{t("layout.nav_track")}</Link>
          {data?.user ? (
            <>
              {/* Staff links are for staff only, who are sent every string group (server/platform/i18n.server.ts). */}
              {data.user.links.map((link) => (
                <Link key={link.to} to={link.to}>
                  {t(link.label)}
                </Link>
              ))}
              <Form method="post" action="/logout" className="inline-form" reloadDocument>
                <button type="submit" className="link-button">
                  {t("layout.sign_out", { name: data.user.fullName })}
                </button>
              </Form>
            </>
          ) : (
            // From the home page there is nowhere to go back to: sign-in then sends staff to their workspace.
            <Link to={location.pathname === "/" ? "/login" : `/login?${new URLSearchParams({ redirectTo: here })}`}>{t("layout.sign_in")}</Link>
          )}
        </nav>
        <Form method="post" action="/language" className="language-switch" aria-label={t("layout.language")} reloadDocument>
          <input type="hidden" name="redirectTo" value={here} />
          <button type="submit" name="language" value="vi" aria-pressed={data?.language === "vi"} lang="vi">
            Tiếng Việt
          </button>
          <button type="submit" name="language" value="en" aria-pressed={data?.language === "en"} lang="en">
            English
          </button>
        </Form>
      </div>
    </header>
  );
}

function SiteFooter() {
  const { t } = useTranslation();
  return (
    <footer className="site-footer">
      <p>{t("layout.footer_note")}</p>
    </footer>
  );
}

export default function App() {
  return <Outlet />;
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
