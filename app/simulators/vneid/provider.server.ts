import { createHmac, generateKeyPairSync } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Configuration, KoaContextWithOIDC } from "oidc-provider";
import type Provider from "oidc-provider";
import { env, publicUrl, simulatorsOn } from "../../server/platform/env.server";
import { population, type Resident } from "./population";
import { SimulatorStore } from "./store.server";

/**
 * The simulated VNeID identity provider (issue 17): OpenID Connect by oidc-provider, mounted by
 * server.js at /vneid-sim when the simulators are on. What is simulated is only the other side's
 * people and pages; the protocol is the library's — discovery, authorization code with PKCE (S256,
 * required), signed ID tokens (RS256), RP-initiated sign-out. The person chooses who they are
 * from the simulated population and an identity level on /vneid-sim/interaction/:uid (a Remix
 * route, so the page has the portal's languages and accessibility); the level is the ID token's
 * `acr`.
 */

export const VNEID_SIM_PATH = "/vneid-sim";
/** The identity levels as `acr` values (Decree 69/2024: level 1 registered online, level 2 checked in person). */
export const ACR_LEVEL = { 1: "urn:vneid:level:1", 2: "urn:vneid:level:2" } as const;

/** The claims the simulated VNeID releases about a resident, by scope. */
export function residentClaims(r: Resident) {
  return {
    sub: r.cccd,
    name: r.fullName,
    birthdate: r.birthDate,
    gender: r.sex,
    email: r.email ?? undefined,
    email_verified: r.email ? true : undefined,
    phone_number: r.phone ?? undefined,
    phone_number_verified: r.phone ? true : undefined,
    address: { formatted: r.address.text, locality: r.address.ward.wardVi, region: r.address.ward.provinceVi, country: "VN" },
    household_id: r.householdId,
  };
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c);

/** The provider's own few pages (sign-out, errors): plain HTML, both languages, no script, no outside font or style. */
function page(title: { vi: string; en: string }, body: string): string {
  return `<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>${escapeHtml(title.vi)} — VNeID (mô phỏng)</title></head>
<body><main><p>VNeID (mô phỏng) · <span lang="en">VNeID (simulated)</span></p>
<h1>${escapeHtml(title.vi)} <span lang="en">/ ${escapeHtml(title.en)}</span></h1>
${body}</main></body></html>`;
}

function configuration(store: SimulatorStore): Configuration {
  const config = env();
  const portal = publicUrl(config);
  // Cookie keys from the portal's secret: the simulator needs no setting of its own.
  const cookieKey = createHmac("sha256", config.SESSION_SECRET).update("vneid-sim cookies").digest("base64url");
  const signingKey = store.signingKey(() => ({
    ...generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ format: "jwk" }),
    use: "sig",
    alg: "RS256",
  }));
  return {
    adapter: (name: string) => store.adapterFor(name),
    clients: [
      {
        client_id: config.VNEID_CLIENT_ID,
        client_secret: config.VNEID_CLIENT_SECRET,
        client_name: "Cổng Dịch vụ công",
        redirect_uris: [`${portal}/auth/vneid/callback`],
        post_logout_redirect_uris: [`${portal}/`],
        grant_types: ["authorization_code"],
        response_types: ["code"],
        token_endpoint_auth_method: "client_secret_basic",
        id_token_signed_response_alg: "RS256",
      },
    ],
    jwks: { keys: [signingKey] },
    cookies: { keys: [cookieKey], names: { session: "vneid_sim_session", interaction: "vneid_sim_interaction", resume: "vneid_sim_resume" } },
    pkce: { required: () => true },
    responseTypes: ["code"],
    acrValues: Object.values(ACR_LEVEL),
    scopes: ["openid", "profile", "email", "phone", "address"],
    // The library's standard claims (acr: the level, sid, auth_time, iss) plus VNeID's by scope.
    claims: {
      acr: null,
      sid: null,
      auth_time: null,
      iss: null,
      // The level (acr) comes with every ID token, as VNeID always tells it.
      openid: ["sub", "acr"],
      profile: ["name", "birthdate", "gender", "household_id"],
      email: ["email", "email_verified"],
      phone: ["phone_number", "phone_number_verified"],
      address: ["address"],
    },
    // The portal reads the person from the signed ID token itself (no userinfo round trip).
    conformIdTokenClaims: false,
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource(ctx: KoaContextWithOIDC, form: string) {
          ctx.body = page(
            { vi: "Đăng xuất khỏi VNeID?", en: "Sign out of VNeID?" },
            `${form}<p>Bạn đã đăng xuất khỏi Cổng Dịch vụ công. <span lang="en">You have signed out of the portal.</span></p>
<button type="submit" form="op.logoutForm" value="yes" name="logout">Đăng xuất khỏi VNeID <span lang="en">/ Sign out of VNeID</span></button>
<button type="submit" form="op.logoutForm">Vẫn đăng nhập VNeID <span lang="en">/ Stay signed in to VNeID</span></button>`,
          );
        },
        postLogoutSuccessSource(ctx: KoaContextWithOIDC) {
          ctx.body = page(
            { vi: "Đã đăng xuất", en: "Signed out" },
            `<p><a href="${escapeHtml(portal)}/">Về Cổng Dịch vụ công <span lang="en">/ Back to the portal</span></a></p>`,
          );
        },
      },
    },
    interactions: { url: (_ctx, interaction) => `${VNEID_SIM_PATH}/interaction/${interaction.uid}` },
    async findAccount(_ctx, sub) {
      const resident = population().byCccd.get(sub);
      if (!resident) return undefined;
      return { accountId: sub, claims: async () => residentClaims(resident) };
    },
    // The portal is the simulator's only client, first-party: no consent page, the grant is the scopes asked for.
    async loadExistingGrant(ctx) {
      const session = ctx.oidc.session;
      const client = ctx.oidc.client;
      if (!session?.accountId || !client) return undefined;
      const grantId = session.grantIdFor(client.clientId);
      const existing = grantId ? await ctx.oidc.provider.Grant.find(grantId) : undefined;
      const grant = existing ?? new ctx.oidc.provider.Grant({ clientId: client.clientId, accountId: session.accountId });
      const scope = ctx.oidc.params?.scope;
      if (typeof scope === "string") grant.addOIDCScope(scope);
      await grant.save();
      return grant;
    },
    async renderError(ctx, out) {
      ctx.type = "html";
      const lines = Object.entries(out)
        .map(([key, value]) => `<dt>${escapeHtml(key)}</dt><dd>${escapeHtml(String(value))}</dd>`)
        .join("");
      ctx.body = page(
        { vi: "Không thể tiếp tục đăng nhập", en: "The sign-in cannot continue" },
        `<dl>${lines}</dl><p><a href="${escapeHtml(portal)}/login">Về trang đăng nhập của Cổng <span lang="en">/ Back to the portal's sign-in page</span></a></p>`,
      );
    },
    ttl: {
      AuthorizationCode: 60,
      IdToken: 3600,
      AccessToken: 600,
      Interaction: 600,
      Session: 8 * 3600,
      Grant: 8 * 3600,
    },
  };
}

let provider: Promise<Provider> | undefined;

/** The provider, made on first use (oidc-provider is imported only where the simulators run). */
export function vneidProvider(): Promise<Provider> {
  provider ??= (async () => {
    const { default: ProviderClass } = await import("oidc-provider");
    const config = env();
    const made = new ProviderClass(`${publicUrl(config)}${VNEID_SIM_PATH}`, configuration(new SimulatorStore(config.VNEID_SIM_DB)));
    // Koa would believe X-Forwarded-Host from anyone: the simulator's addresses come from the Host header only.
    made.proxy = false;
    return made;
  })();
  return provider;
}

/**
 * For server.js: the handler to mount at /vneid-sim, or null when the simulators are off. Requests
 * for the interaction pages go on to Remix (`next`).
 */
export async function vneidSimulator(): Promise<((req: IncomingMessage & { path?: string }, res: ServerResponse, next: () => void) => void) | null> {
  if (!simulatorsOn(env())) return null;
  const handler = (await vneidProvider()).callback();
  return (req, res, next) => {
    if (req.path?.startsWith("/interaction/")) return next();
    void handler(req, res);
  };
}
