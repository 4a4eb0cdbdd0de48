// The production server (`node server.js` on the build) as a child process, for tests that need the
// real thing: real HTTP, a real process that can be killed. Not a test file itself.
import Database from "better-sqlite3";
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, statSync } from "node:fs";
import { request as httpRequest, type IncomingHttpHeaders } from "node:http";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

const BUILD = path.resolve("build/index.js");
/** What the server build is compiled from (migrations are read at run time, so they do not count). */
const BUILD_SOURCES = ["app", "locales", "db/schema.ts", "db/seed.ts", "db/seed-data"];

function newestMtime(target: string): number {
  if (!existsSync(target)) return 0;
  const stat = statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(target).reduce((newest, name) => Math.max(newest, newestMtime(path.join(target, name))), 0);
}

/** Why a test of the running server cannot run here (no build, or one older than its sources); null when it can. */
export function buildProblem(): string | null {
  if (!existsSync(BUILD)) return "no build/: run `npm run build` first";
  const built = statSync(BUILD).mtimeMs;
  const stale = BUILD_SOURCES.find((source) => newestMtime(path.resolve(source)) > built);
  return stale ? `build/ is older than ${stale}/: run \`npm run build\` first` : null;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/** Production settings with test-only secrets; the caller adds PORT, DATABASE_PATH, STORAGE_DIR. */
export function productionEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NODE_ENV: "production",
    SESSION_SECRET: "process-test-only-session-secret-0123456789abcdef",
    PAYMENT_TMN_CODE: "PROCTEST",
    PAYMENT_HASH_SECRET: "process-test-only-payment-hash-secret-0123456789",
    RESULT_SIGNING_SECRET: "process-test-only-result-signing-secret-0123456789",
    TWO_FACTOR_KEY: "process-test-only-two-factor-key-0123456789abcdef",
    LOG_REQUESTS: "false",
    ...extra,
  };
}

/**
 * One `node server.js` at a time on a fixed port and database: start it, kill it (any signal),
 * start it again. `whenUp()` lets clients wait out a restart instead of hammering a closed port.
 */
export class PortalProcess {
  private child: ChildProcess | undefined;
  private upWaiters: (() => void)[] = [];
  /** The last `outputLimit` characters the server wrote to stdout and stderr, across restarts. */
  output = "";
  up = false;

  constructor(
    private readonly env: NodeJS.ProcessEnv,
    private readonly startTimeoutMs = 60_000,
    private readonly outputLimit = 20_000,
    /** Node's own flags before server.js (e.g. --cpu-prof, which NODE_OPTIONS refuses). */
    private readonly nodeArgs: readonly string[] = [],
  ) {}

  async start(): Promise<void> {
    if (this.child) throw new Error("the server is already running");
    const child = spawn(process.execPath, [...this.nodeArgs, "server.js"], { cwd: path.resolve("."), env: this.env, stdio: ["ignore", "pipe", "pipe"] });
    this.child = child;
    let seen = "";
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`server did not start within ${this.startTimeoutMs} ms:\n${seen}`)), this.startTimeoutMs);
      const onData = (chunk: Buffer) => {
        seen += chunk.toString();
        this.output = (this.output + chunk.toString()).slice(-this.outputLimit);
        if (seen.includes("Portal listening")) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout?.on("data", onData);
      child.stderr?.on("data", onData);
      child.once("exit", (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`server exited (${code ?? signal}) before listening:\n${seen}`));
      });
    });
    this.up = true;
    for (const wake of this.upWaiters.splice(0)) wake();
  }

  /** Sends the signal and resolves once the process is gone. */
  async stop(signal: NodeJS.Signals): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.up = false;
    const exited = new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) resolve();
      else child.once("exit", () => resolve());
    });
    child.kill(signal);
    await exited;
    this.child = undefined;
  }

  /** The server's process id while it runs (for reading its memory from /proc). */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  whenUp(): Promise<void> {
    return this.up ? Promise.resolve() : new Promise((resolve) => this.upWaiters.push(resolve));
  }
}

/**
 * A production server for one test file: a free port, a fresh database and storage folder under the
 * system's temporary directory (created, migrated and seeded by the server itself), started and
 * listening. `extraEnv` overrides productionEnv's settings (e.g. LOG_REQUESTS).
 */
export async function startPortal(name: string, extraEnv: Record<string, string> = {}, options: { outputLimit?: number } = {}) {
  const port = await freePort();
  const dir = mkdtempSync(path.join(tmpdir(), `portal-${name}-`));
  const portal = new PortalProcess(
    productionEnv({ PORT: String(port), DATABASE_PATH: path.join(dir, "portal.db"), STORAGE_DIR: path.join(dir, "storage"), ...extraEnv }),
    60_000,
    options.outputLimit,
  );
  await portal.start();
  return { portal, port, base: `http://127.0.0.1:${port}`, dir };
}

export type HttpAnswer = {
  status: number;
  location: string | null;
  setCookie: string[];
  body: string;
  /** The body as received, for downloads. */
  bytes: Uint8Array;
  headers: IncomingHttpHeaders;
};

/**
 * One HTTP request on its own connection (no keep-alive pool: a pooled socket to a killed server
 * would fail the next request after the restart and blur what failed during the kill).
 * Rejects with the socket error (ECONNRESET, ECONNREFUSED, "socket hang up") when the connection fails.
 */
export function send(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: Uint8Array; timeoutMs?: number } = {},
): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: init.method ?? "GET", headers: init.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("error", reject);
      res.on("end", () => {
        const location = res.headers.location;
        const bytes = Buffer.concat(chunks);
        resolve({
          status: res.statusCode ?? 0,
          location: typeof location === "string" ? location : null,
          setCookie: res.headers["set-cookie"] ?? [],
          body: bytes.toString("utf8"),
          bytes,
          headers: res.headers,
        });
      });
    });
    req.setTimeout(init.timeoutMs ?? 60_000, () => req.destroy(new Error(`timed out after ${init.timeoutMs ?? 60_000} ms`)));
    req.on("error", reject);
    req.end(init.body);
  });
}

/** The bytes and Content-Type a browser would send for this form (multipart/form-data). */
export async function multipart(form: FormData): Promise<{ body: Uint8Array; contentType: string }> {
  const encoded = new Request("http://localhost/", { method: "POST", body: form });
  return { body: new Uint8Array(await encoded.arrayBuffer()), contentType: encoded.headers.get("Content-Type") ?? "" };
}

/** A socket-level failure (the server died or was not there), as opposed to an HTTP answer or a timeout. */
export function connectionErrorCode(error: unknown): string | null {
  if (!(error instanceof Error)) return null;
  const code = "code" in error && typeof error.code === "string" ? error.code : null;
  if (code && ["ECONNRESET", "ECONNREFUSED", "EPIPE", "ECONNABORTED"].includes(code)) return code;
  if (error.message === "socket hang up") return "socket hang up";
  return null;
}

/** The token of the newest registration link e-mailed to `email`, read from the outbox of the server's database file. */
export function confirmationToken(dbFile: string, email: string): string {
  const file = new Database(dbFile, { readonly: true, fileMustExist: true });
  try {
    const row: unknown = file
      .prepare("select body from notifications where recipient = ? and template = 'account_confirm' order by id desc limit 1")
      .get(email);
    const body = row && typeof row === "object" && "body" in row && typeof row.body === "string" ? row.body : "";
    const token = body.match(/\/account\/confirm\?token=([A-Za-z0-9_-]+)/)?.[1];
    if (!token) throw new Error(`no confirmation link for ${email}`);
    return token;
  } finally {
    file.close();
  }
}
