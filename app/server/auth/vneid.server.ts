import { createCookie } from "@remix-run/node";
import * as client from "openid-client";
import * as z from "zod";
import { env, publicUrl, vneidIssuer } from "../platform/env.server";

/**
 * The portal as a relying party of VNeID (issue 17, docs/decisions/034-vneid-sign-in.md), with
 * openid-client: authorization code with PKCE (S256), state and nonce; the ID token's signature
 * (the provider's published keys), issuer, audience, expiry and nonce are checked by the library.
 * The state, nonce and PKCE verifier of a sign-in in progress live in a short-lived signed cookie
 * for /auth/vneid only — nothing is written before the provider has answered.
 */

export const VNEID_SCOPE = "openid profile email phone address";
/** VNeID's identity levels as the ID token's `acr`. */
export const LEVEL_BY_ACR: Readonly<Record<string, 1 | 2>> = { "urn:vneid:level:1": 1, "urn:vneid:level:2": 2 };

export const callbackUrl = () => `${publicUrl(env())}/auth/vneid/callback`;

const authCookie = createCookie("__vneid_auth", {
  httpOnly: true,
  // The provider sends the browser back with a top-level GET: Lax cookies go with it.
  sameSite: "lax",
  path: "/auth/vneid",
  secure: env().NODE_ENV === "production",
  secrets: [env().SESSION_SECRET],
  maxAge: 10 * 60,
});

const PendingSchema = z.object({
  state: z.string().min(20),
  nonce: z.string().min(20),
  verifier: z.string().min(43),
  redirectTo: z.string(),
  /** The account signed in when the sign-in began: VNeID is linked to it (explicit linking). */
  linkTo: z.number().int().nullable(),
});
export type PendingSignIn = z.infer<typeof PendingSchema>;

/** For tests: the cookie's own serialiser, to forge a sign-in in progress with a wrong nonce. */
export const pendingCookie = {
  parse: async (header: string | null): Promise<PendingSignIn | null> => {
    const parsed = PendingSchema.safeParse(await authCookie.parse(header));
    return parsed.success ? parsed.data : null;
  },
  serialize: (pending: PendingSignIn) => authCookie.serialize(pending),
  clear: () => authCookie.serialize("", { maxAge: 0 }),
};

let configuration: { issuer: string; config: Promise<client.Configuration> } | undefined;

/** The provider's metadata and keys, discovered once per process (again after a failure). */
export function vneidConfiguration(): Promise<client.Configuration> | null {
  const config = env();
  const issuer = vneidIssuer(config);
  if (issuer === null) return null;
  if (configuration?.issuer !== issuer) {
    const insecure = issuer.startsWith("http://");
    const discovered = client
      .discovery(new URL(issuer), config.VNEID_CLIENT_ID, undefined, client.ClientSecretBasic(config.VNEID_CLIENT_SECRET), {
        // The ID token's signature is checked against the provider's published keys even though it
        // comes straight from the token endpoint (the library would otherwise trust the TLS
        // connection alone, and the simulator is plain HTTP). Plain HTTP only for the local
        // simulator; production requires https (env.server.ts).
        execute: [client.enableNonRepudiationChecks, ...(insecure ? [client.allowInsecureRequests] : [])],
        timeout: 10,
      })
      .catch((error: unknown) => {
        configuration = undefined;
        throw error;
      });
    // Callers that await it see the failure; one that never asks for it leaves no unhandled rejection.
    discovered.catch(() => undefined);
    configuration = { issuer, config: discovered };
  }
  return configuration.config;
}

/** Where to send the browser to sign in, and the cookie that remembers this attempt. */
export async function beginSignIn(input: { redirectTo: string; linkTo: number | null }): Promise<{ url: string; setCookie: string } | null> {
  const configured = vneidConfiguration();
  if (!configured) return null;
  const config = await configured;
  const pending: PendingSignIn = {
    state: client.randomState(),
    nonce: client.randomNonce(),
    verifier: client.randomPKCECodeVerifier(),
    redirectTo: input.redirectTo,
    linkTo: input.linkTo,
  };
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: callbackUrl(),
    scope: VNEID_SCOPE,
    state: pending.state,
    nonce: pending.nonce,
    code_challenge: await client.calculatePKCECodeChallenge(pending.verifier),
    code_challenge_method: "S256",
    // Either level is accepted; the ID token's acr says which one the person has.
    acr_values: Object.keys(LEVEL_BY_ACR).join(" "),
    // The person chooses who signs in every time (a shared computer keeps no VNeID session for the next one).
    prompt: "login",
  });
  return { url: url.href, setCookie: await pendingCookie.serialize(pending) };
}

/** The person as VNeID vouched for them in a verified ID token. */
export type VneidPerson = {
  subject: string;
  level: 1 | 2;
  fullName: string;
  birthDate: string | null;
  email: string | null;
  emailVerified: boolean;
  phone: string | null;
};

const VneidClaimsSchema = z.object({
  sub: z.string().regex(/^\d{12}$/),
  acr: z.string().refine((acr) => Object.hasOwn(LEVEL_BY_ACR, acr)),
  name: z.string().min(1).max(200),
  birthdate: z.iso.date().optional(),
  email: z.email().max(254).optional(),
  email_verified: z.boolean().optional(),
  phone_number: z.string().max(20).optional(),
});

export type CallbackOutcome =
  { ok: true; person: VneidPerson; pending: PendingSignIn } | { ok: false; reason: "failed" | "cancelled"; detail: string; pending: PendingSignIn | null };

/**
 * The provider's answer at /auth/vneid/callback: the code exchanged (with the PKCE verifier) and the
 * ID token checked — state, signature, issuer, audience, expiry, nonce, then our own claims. Any
 * failure is an outcome, never a throw: the route answers 400 and signs nobody in.
 */
export async function finishSignIn(request: Request): Promise<CallbackOutcome> {
  const pending = await pendingCookie.parse(request.headers.get("Cookie"));
  if (!pending) return { ok: false, reason: "failed", detail: "no sign-in in progress", pending };
  const configured = vneidConfiguration();
  if (!configured) return { ok: false, reason: "failed", detail: "VNeID sign-in is not configured", pending };
  const params = new URL(request.url).searchParams;
  if (params.get("error") === "access_denied") return { ok: false, reason: "cancelled", detail: "access_denied", pending };
  // The registered redirect URI, whatever host name the browser used: it must match exactly at the token endpoint.
  const current = new URL(callbackUrl());
  current.search = params.toString();
  try {
    const config = await configured;
    const tokens = await client.authorizationCodeGrant(config, current, {
      pkceCodeVerifier: pending.verifier,
      expectedState: pending.state,
      expectedNonce: pending.nonce,
      idTokenExpected: true,
    });
    const claims = VneidClaimsSchema.safeParse(tokens.claims());
    if (!claims.success)
      return { ok: false, reason: "failed", detail: `unexpected claims (${claims.error.issues.map((i) => i.path.join(".")).join(", ")})`, pending };
    const c = claims.data;
    return {
      ok: true,
      pending,
      person: {
        subject: c.sub,
        level: LEVEL_BY_ACR[c.acr] ?? 1,
        fullName: c.name,
        birthDate: c.birthdate ?? null,
        email: c.email?.toLowerCase() ?? null,
        emailVerified: c.email_verified === true,
        phone: c.phone_number ?? null,
      },
    };
  } catch (error) {
    // The library's words and the provider's error code: which check refused, for the log (no token, no claims).
    const cause = error instanceof Error && error.cause !== undefined ? (error.cause instanceof Error ? error.cause.message : JSON.stringify(error.cause)) : "";
    const detail = error instanceof Error ? `${error.name}: ${error.message} ${cause}`.slice(0, 300) : "unknown";
    return { ok: false, reason: "failed", detail, pending };
  }
}

/** Where the browser goes after the portal's sign-out to end the VNeID session too (RP-initiated logout). */
export async function endSessionUrl(): Promise<string | null> {
  const configured = vneidConfiguration();
  if (!configured) return null;
  try {
    const config = await configured;
    if (!config.serverMetadata().end_session_endpoint) return null;
    return client.buildEndSessionUrl(config, { post_logout_redirect_uri: `${publicUrl(env())}/` }).href;
  } catch {
    return null;
  }
}
