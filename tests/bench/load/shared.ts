import * as z from "zod";

/** Đăng ký kết hôn: level 3, 15 fields, its one file optional, delivered at the counter. */
export const SUBMIT_CODE = "1.000894";
export const SUBMIT_DELIVERY = "counter";
/** Cấp Phiếu lý lịch tư pháp: level 4 with a 200.000 đ fee, so it has online payments. */
export const IPN_CODE = "3.000333";

/** Secrets of the benchmark servers only (production refuses the development defaults). */
export const BENCH_SECRETS = {
  SESSION_SECRET: "bench-only-session-secret-0123456789abcdefghij",
  PAYMENT_TMN_CODE: "BENCHTMN",
  PAYMENT_HASH_SECRET: "bench-only-payment-hash-secret-0123456789abcdef",
  RESULT_SIGNING_SECRET: "bench-only-result-signing-secret-0123456789abc",
  TWO_FACTOR_KEY: "bench-only-two-factor-key-0123456789abcdefghijk",
} as const;

/** The environment of the portal, the bare server and the preparing process: production, no request log. */
export function benchEnv(extra: {
  DATABASE_PATH: string;
  DATABASE_URL?: string;
  STORAGE_DIR: string;
  PORT?: string;
  SEED_ON_START?: "true" | "false";
}): NodeJS.ProcessEnv {
  // Each bench account submits far more than a citizen's daily cap (SUBMISSIONS_PER_DAY, default 20).
  return { ...process.env, NODE_ENV: "production", LOG_REQUESTS: "false", SEED_ON_START: "false", SUBMISSIONS_PER_DAY: "1000000", ...BENCH_SECRETS, ...extra };
}

/** What tests/bench/load/prepare.ts made, for the load generator (which never opens the database). */
export const ManifestSchema = z.object({
  /** How many procedures the catalog holds (the search target is for the national-size one). */
  catalogSize: z.number().int(),
  procedureCodes: z.array(z.string()).min(1),
  submit: z.object({
    code: z.string(),
    deliveryMode: z.string(),
    /** The apply form as a browser posts it (multipart, the empty optional file input included). */
    applyBody: z.string(),
    applyContentType: z.string(),
    /** One signed-in citizen per operation, each with the open draft the apply page's loader would have started. */
    citizens: z.array(z.object({ cookie: z.string(), dossierId: z.number().int() })),
  }),
  /** GET paths of gateway-signed IPNs, one per pending payment. */
  ipnPaths: z.array(z.string()),
});
export type Manifest = z.infer<typeof ManifestSchema>;
