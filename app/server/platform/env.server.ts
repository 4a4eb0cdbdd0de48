import { isIP } from "node:net";
import { availableParallelism } from "node:os";
import * as z from "zod";
import { DEFAULT_LEVEL4_TARGET_PERCENT } from "../../core/statistics/query";

const DEV_SESSION_SECRET = "dev-only-session-secret-change-me-0123456789";
const DEV_PAYMENT_TMN_CODE = "DVCDEMO1";
const DEV_PAYMENT_HASH_SECRET = "DEVONLYHASHSECRETCHANGEME0123456789ABCD";
const DEV_RESULT_SIGNING_SECRET = "dev-only-result-signing-secret-change-me-0123";
const DEV_VNEID_CLIENT_SECRET = "dev-only-vneid-client-secret-change-me-0123456";
const DEV_TWO_FACTOR_KEY = "dev-only-two-factor-key-change-me-0123456789";

/** SQLite `synchronous` levels the portal accepts in WAL mode (docs/decisions/002-sqlite-settings.md). */
export const SQLITE_SYNCHRONOUS_MODES = ["NORMAL", "FULL"] as const;
export type SqliteSynchronous = (typeof SQLITE_SYNCHRONOUS_MODES)[number];

/** One entry of TRUST_PROXY as Express understands it: a named range, an address, or a network in CIDR form. */
function isProxyAddress(part: string): boolean {
  if (["loopback", "linklocal", "uniquelocal"].includes(part)) return true;
  const [address = "", prefix, ...rest] = part.split("/");
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  const bits = Number(prefix);
  return /^\d{1,3}$/.test(prefix) && bits <= (family === 4 ? 32 : 128);
}

/** Where uploaded files are kept (app/server/platform/storage.server.ts, docs/decisions/028-file-storage.md). */
export const STORAGE_BACKENDS = ["files", "database"] as const;
export type StorageBackend = (typeof STORAGE_BACKENDS)[number];

/** Ways notifications can leave the portal; each name has a sender in app/server/notifications/notifications.server.ts. */
export const NOTIFY_ADAPTERS = ["sink", "file"] as const;

/**
 * The portal's configuration, validated once at start-up. Development defaults
 * let `npm start` work on a fresh clone; in production a default secret is
 * refused so a forgotten variable cannot ship.
 */
export const EnvSchema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    PORT: z.coerce.number().int().min(1).max(65535).default(3000),
    DATABASE_PATH: z.string().min(1).default("data/portal.db"),
    /**
     * Set, the portal runs on this PostgreSQL database instead of the SQLite file (several processes,
     * several machines: docs/operations.md). Unset, the SQLite file at DATABASE_PATH.
     */
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\/\S+$/, "DATABASE_URL is a postgres:// address (or unset for the SQLite file)")
      .optional(),
    /** Connections each process keeps to PostgreSQL. */
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
    STORAGE_DIR: z.string().min(1).default("data/storage"),
    /**
     * "files": uploads under STORAGE_DIR/attachments (every process must mount the same folder);
     * "database": in table stored_files, reached by every process on the database and held by its backups.
     */
    STORAGE_BACKEND: z.enum(STORAGE_BACKENDS, { error: "STORAGE_BACKEND is files or database" }).default("files"),
    /** Where `npm run db:backup` writes its stamped copies when no path is given. */
    BACKUP_DIR: z.string().min(1).default("data/backups"),
    /** NORMAL survives a process crash; FULL also survives a power loss, at a cost per commit (docs/performance.md). */
    SQLITE_SYNCHRONOUS: z.enum(SQLITE_SYNCHRONOUS_MODES, { error: "SQLITE_SYNCHRONOUS is NORMAL or FULL" }).default("NORMAL"),
    SESSION_SECRET: z.string().min(32, "SESSION_SECRET must be at least 32 characters").default(DEV_SESSION_SECRET),
    /** Merchant code and HMAC-SHA512 secret agreed with the payment gateway (VNPay-style). */
    PAYMENT_TMN_CODE: z
      .string()
      .regex(/^[A-Z0-9]{8}$/, "PAYMENT_TMN_CODE is 8 upper-case letters or digits")
      .default(DEV_PAYMENT_TMN_CODE),
    PAYMENT_HASH_SECRET: z.string().min(32, "PAYMENT_HASH_SECRET must be at least 32 characters").default(DEV_PAYMENT_HASH_SECRET),
    /** Where the citizen's browser is sent to pay; by default the portal's own gateway simulator. */
    PAYMENT_GATEWAY_URL: z.string().default("/gateway/vnpay/pay"),
    /** The gateway's status-query (querydr) endpoint used by reconciliation; by default the simulator on this server. */
    PAYMENT_QUERYDR_URL: z.url().optional(),
    /** Signs electronic results so a verify page can tell an authentic one from an edited one. */
    RESULT_SIGNING_SECRET: z.string().min(32, "RESULT_SIGNING_SECRET must be at least 32 characters").default(DEV_RESULT_SIGNING_SECRET),
    /**
     * Encrypts staff members' TOTP secrets at rest (AES-256-GCM, docs/decisions/033): a copy of the
     * database alone gives no one their codes. Changing it makes every enrolled member enrol again.
     */
    TWO_FACTOR_KEY: z.string().min(32, "TWO_FACTOR_KEY must be at least 32 characters").default(DEV_TWO_FACTOR_KEY),
    /** Who sends e-mails and SMS: "sink" keeps them in the outbox only (shown at /admin/outbox); "file" also appends each to NOTIFY_FILE. */
    NOTIFY_ADAPTER: z.enum(NOTIFY_ADAPTERS).default("sink"),
    /** Where the "file" adapter appends each message sent, one JSON line each (development, tests, a relay that reads the file). */
    NOTIFY_FILE: z.string().min(1).default("data/notifications.jsonl"),
    /** The portal's address as citizens reach it, for links in e-mails and SMS; by default this server on localhost. */
    PUBLIC_URL: z.url().optional(),
    /**
     * Which reverse proxies' X-Forwarded-For/-Proto the portal believes (Express's "trust proxy"): by
     * default one on this machine. Behind a proxy on another machine, its addresses or networks
     * (comma-separated); otherwise every citizen has the proxy's address and the attempt limits per
     * address lock them out together (docs/operations.md).
     */
    TRUST_PROXY: z
      .string()
      .default("loopback")
      .transform((value) => value.split(",").map((part) => part.trim()))
      .refine(
        (parts) => parts.every(isProxyAddress),
        "TRUST_PROXY is a comma-separated list of loopback, linklocal, uniquelocal, IP addresses or networks (10.0.0.0/8)",
      ),
    /** The level-4 share of procedures the statistics judge against (percent, at most two decimals). */
    LEVEL4_TARGET_PERCENT: z.coerce
      .number()
      .min(0, "LEVEL4_TARGET_PERCENT is a percentage (0–100)")
      .max(100, "LEVEL4_TARGET_PERCENT is a percentage (0–100)")
      .refine((v) => Math.abs(v * 100 - Math.round(v * 100)) < 1e-6, "LEVEL4_TARGET_PERCENT has at most two decimals")
      .default(DEFAULT_LEVEL4_TARGET_PERCENT),
    /**
     * The payment gateway and post office simulators (/gateway/vnpay/*, /post-sim/*): "on" by default
     * outside production, "off" in production, where "on" is refused — they sign with the merchant's
     * secret and would settle a fee with no money moving (issue 11).
     */
    SIMULATORS: z.enum(["on", "off"], { error: "SIMULATORS is on or off" }).optional(),
    /** How many dossiers one account may submit online in 24 hours (a stolen or scripted account cannot flood the agencies or the outbox). */
    SUBMISSIONS_PER_DAY: z.coerce
      .number({ error: "SUBMISSIONS_PER_DAY is a whole number from 1 to 1000000" })
      .int("SUBMISSIONS_PER_DAY is a whole number from 1 to 1000000")
      .min(1, "SUBMISSIONS_PER_DAY is a whole number from 1 to 1000000")
      .max(1_000_000, "SUBMISSIONS_PER_DAY is a whole number from 1 to 1000000")
      .default(20),
    /**
     * Whether searches are counted and ranked by two worker threads, each on half the catalog
     * (decision 024): on by default where there are two cores or more, off on one.
     */
    SEARCH_WORKERS: z.enum(["on", "off"], { error: "SEARCH_WORKERS is on or off" }).default(availableParallelism() > 1 ? "on" : "off"),
    /**
     * VNeID sign-in (issue 17, docs/decisions/034): the identity provider's issuer. Unset: the built-in
     * simulator (PUBLIC_URL/vneid-sim) when the simulators are on, otherwise no VNeID sign-in at all.
     */
    VNEID_ISSUER: z.url({ error: "VNEID_ISSUER is the provider's issuer URL" }).optional(),
    /** The portal's client registration at the provider (the simulator registers exactly this one). */
    VNEID_CLIENT_ID: z
      .string()
      .regex(/^[A-Za-z0-9._-]{3,100}$/, "VNEID_CLIENT_ID is 3 to 100 letters, digits, dots, dashes or underscores")
      .default("dvc-portal-dev"),
    VNEID_CLIENT_SECRET: z.string().min(32, "VNEID_CLIENT_SECRET must be at least 32 characters").default(DEV_VNEID_CLIENT_SECRET),
    /** "off": citizens sign in with VNeID only (password sign-in and registration refused for them); staff keep their passwords. */
    CITIZEN_PASSWORD_SIGNIN: z.enum(["on", "off"], { error: "CITIZEN_PASSWORD_SIGNIN is on or off" }).default("on"),
    /** The VNeID simulator's own store (its sessions, codes and signing key): a SQLite file apart from the portal's database. */
    VNEID_SIM_DB: z.string().min(1).default("data/vneid-sim.db"),
    /** Seed demo accounts and the catalog on first start (on unless "false"). */
    SEED_ON_START: z.enum(["true", "false"]).default("true"),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV !== "production") return;
    if (env.SIMULATORS === "on") {
      ctx.addIssue({
        code: "custom",
        path: ["SIMULATORS"],
        message:
          "the payment and post simulators are refused in production (they would settle fees with no money moving); unset SIMULATORS or use NODE_ENV=test for a test server",
      });
    }
    const defaults: [keyof typeof env, string][] = [
      ["SESSION_SECRET", DEV_SESSION_SECRET],
      ["PAYMENT_TMN_CODE", DEV_PAYMENT_TMN_CODE],
      ["PAYMENT_HASH_SECRET", DEV_PAYMENT_HASH_SECRET],
      ["RESULT_SIGNING_SECRET", DEV_RESULT_SIGNING_SECRET],
      ["TWO_FACTOR_KEY", DEV_TWO_FACTOR_KEY],
    ];
    // Only a portal that signs in with VNeID needs its own client secret.
    if (env.VNEID_ISSUER !== undefined) defaults.push(["VNEID_CLIENT_SECRET", DEV_VNEID_CLIENT_SECRET]);
    for (const [key, value] of defaults) {
      if (env[key] === value) ctx.addIssue({ code: "custom", path: [key], message: "the development default is refused in production" });
    }
    // Tokens and the client secret cross this connection: only over TLS in production.
    if (env.VNEID_ISSUER !== undefined && !env.VNEID_ISSUER.startsWith("https://"))
      ctx.addIssue({ code: "custom", path: ["VNEID_ISSUER"], message: "VNEID_ISSUER must be an https:// address in production" });
  });
export type Env = z.infer<typeof EnvSchema>;

/** Whether the payment gateway and post office simulators are mounted (SIMULATORS, by default on outside production). */
export function simulatorsOn(config: Env): boolean {
  return (config.SIMULATORS ?? (config.NODE_ENV === "production" ? "off" : "on")) === "on";
}

/** The VNeID issuer the portal signs citizens in with, or null when VNeID sign-in is not offered. */
export function vneidIssuer(config: Env): string | null {
  return config.VNEID_ISSUER ?? (simulatorsOn(config) ? `${publicUrl(config)}/vneid-sim` : null);
}

/** Where reconciliation asks the gateway about a payment whose IPN never came. */
export function querydrUrl(config: Env): string {
  return config.PAYMENT_QUERYDR_URL ?? `http://127.0.0.1:${config.PORT}/gateway/vnpay/querydr`;
}

/** The origin links in notifications point to (no trailing slash). */
export function publicUrl(config: Env): string {
  return (config.PUBLIC_URL ?? `http://localhost:${config.PORT}`).replace(/\/+$/, "");
}

export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = EnvSchema.safeParse(source);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid environment:\n${lines.join("\n")}`);
  }
  return result.data;
}

let cached: Env | undefined;
export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}
