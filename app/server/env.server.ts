import * as z from "zod";

const DEV_SESSION_SECRET = "dev-only-session-secret-change-me-0123456789";

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
    STORAGE_DIR: z.string().min(1).default("data/storage"),
    SESSION_SECRET: z.string().min(32, "SESSION_SECRET must be at least 32 characters").default(DEV_SESSION_SECRET),
    /** Seed demo accounts and the catalog on first start (on unless "false"). */
    SEED_ON_START: z.enum(["true", "false"]).default("true"),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === "production" && env.SESSION_SECRET === DEV_SESSION_SECRET) {
      ctx.addIssue({ code: "custom", path: ["SESSION_SECRET"], message: "the development default is refused in production" });
    }
  });
export type Env = z.infer<typeof EnvSchema>;

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
