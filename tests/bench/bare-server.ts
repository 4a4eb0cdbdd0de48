// The bare baseline of the load benchmarks: the "physical ceiling" of this machine for the portal's
// core work. A minimal node:http server, no framework (no Express, no Remix, no React rendering,
// no compression), that answers the benchmarked URLs by calling the portal's own schemas and data
// functions, so each request runs the same zod validation and the same SQL transactions on the same
// kind of SQLite file with the same settings (db.server.ts: WAL, synchronous, busy_timeout,
// immediate write transactions). Started by tests/bench/load/run.ts with the portal's environment
// (DATABASE_PATH, PORT, secrets); prints "Bare server listening" when ready.
//
//   GET  /procedures?q=…                 CatalogQuerySchema + listProcedures + filter options → JSON
//   GET  /procedures/:code               getProcedure + isbot + recordProcedureView (a write) → JSON
//   POST /procedures/:code/apply         requireCitizen + postApplication (draft saved, whole form validated) → 302
//   POST /procedures/:code/apply/check   requireCitizen + submitChecked (SubmitSchema, validateDraft, submitDraft) → 302
//   GET  /api/v1/payments/ipn?…          handleIpn → JSON
// What is left out on purpose is what a framework adds: routing, request/response adaptation, the
// security-header and CSP middleware, i18n lookup (the language is "vi"), rendering and gzip.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { isbot } from "isbot";
import { isCrossSiteRequest } from "../../app/core/security/same-origin";
import { postApplication, submitChecked } from "../../app/server/dossiers/application.server";
import { CatalogQuerySchema, catalogFilterOptions, getProcedure, listProcedures } from "../../app/server/catalog/catalog.server";
import { bootstrap } from "../../app/server/platform/bootstrap.server";
import { recordProcedureView } from "../../app/server/dossiers/dossiers.server";
import { env } from "../../app/server/platform/env.server";
import { requireCitizen } from "../../app/server/auth/guards.server";
import { readForm } from "../../app/server/platform/upload.server";
import { handleIpn } from "../../app/server/payments/payments.server";

const LANGUAGE = "vi";

type Answer = { status: number; json?: unknown; location?: string };

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

/** A web Request carrying the cookie and body, because the portal's guard and form reader take one. */
async function webRequest(req: IncomingMessage, url: URL): Promise<Request> {
  const headers = new Headers();
  for (const name of ["cookie", "content-type"]) {
    const v = req.headers[name];
    if (typeof v === "string") headers.set(name, v);
  }
  const body = req.method === "POST" ? new Uint8Array(await readBody(req)) : undefined;
  return new Request(url, { method: req.method, headers, body });
}

async function search(url: URL): Promise<Answer> {
  const query = CatalogQuerySchema.parse(Object.fromEntries(url.searchParams));
  return { status: 200, json: { query, result: await listProcedures(query), ...(await catalogFilterOptions("vi")) } };
}

async function procedurePage(code: string, userAgent: string): Promise<Answer> {
  const found = await getProcedure(code);
  if (!found) return { status: 404, json: { error: "not_found" } };
  if (!isbot(userAgent)) await recordProcedureView({ procedureId: found.procedure.id, agencyId: found.procedure.agencyId, language: LANGUAGE });
  const { procedure: p, agency, field, details } = found;
  return {
    status: 200,
    json: {
      procedure: {
        code: p.code,
        nameVi: p.nameVi,
        nameEn: p.nameEn,
        level: p.level,
        feeVnd: p.feeVnd,
        processingDays: p.processingDays,
        deliveryModes: p.deliveryModes,
      },
      agency,
      field,
      details,
    },
  };
}

/** The apply action's work (procedures.$code_.apply.tsx) for intent "continue". */
async function apply(request: Request, code: string): Promise<Answer> {
  const user = await requireCitizen(request);
  const parsed = await readForm(request);
  if ("error" in parsed) return { status: 400, json: { error: parsed.error } };
  const outcome = await postApplication({ user, code, language: LANGUAGE, form: parsed.form, oversized: parsed.oversized });
  if (outcome.kind === "invalid") return { status: 400, json: { errors: outcome.errors } };
  return { status: 302, location: outcome.kind === "valid" ? `/procedures/${code}/apply/check` : `/procedures/${code}/apply` };
}

/** The check-answers action's work (procedures.$code_.apply_.check.tsx). */
async function submit(request: Request, code: string): Promise<Answer> {
  const user = await requireCitizen(request);
  const outcome = await submitChecked({ user, code, form: Object.fromEntries(await request.formData()), language: LANGUAGE });
  if (outcome.kind === "not_found") return { status: 404, json: { error: "not_found" } };
  if (outcome.kind === "invalid") return { status: 400, json: { error: outcome.error } };
  if (outcome.kind === "capped") return { status: 429, json: { error: "accounts.errors.daily_cap" } };
  if (outcome.kind === "back_to_form") return { status: 302, location: `/procedures/${code}/apply` };
  return { status: 302, location: `/applications/${outcome.receiptCode}${outcome.alreadySubmitted ? "" : "?submitted=1"}` };
}

async function route(req: IncomingMessage, url: URL): Promise<Answer> {
  const path = url.pathname;
  const facts = {
    method: req.method ?? "GET",
    path,
    host: req.headers.host,
    origin: req.headers.origin,
    secFetchSite: typeof req.headers["sec-fetch-site"] === "string" ? req.headers["sec-fetch-site"] : undefined,
  };
  if (isCrossSiteRequest(facts)) return { status: 403 };
  if (req.method === "GET" && path === "/procedures") return await search(url);
  if (req.method === "GET" && path === "/api/v1/payments/ipn") return { status: 200, json: await handleIpn(url.searchParams) };
  const match = /^\/procedures\/([^/]+)(\/apply(\/check)?)?$/.exec(path);
  const code = match?.[1] ? decodeURIComponent(match[1]) : null;
  if (code && req.method === "GET" && !match?.[2]) return await procedurePage(code, req.headers["user-agent"] ?? "");
  if (code && req.method === "POST" && match?.[2] && !match[3]) return apply(await webRequest(req, url), code);
  if (code && req.method === "POST" && match?.[3]) return submit(await webRequest(req, url), code);
  return { status: 404 };
}

function send(res: ServerResponse, answer: Answer) {
  const body = answer.json === undefined ? "" : JSON.stringify(answer.json);
  const headers: Record<string, string | number> = { "Content-Length": Buffer.byteLength(body) };
  if (answer.json !== undefined) headers["Content-Type"] = "application/json; charset=utf-8";
  if (answer.location) headers.Location = answer.location;
  res.writeHead(answer.status, headers);
  res.end(body);
}

const server = createServer((req, res) => {
  const url = new URL(req.url ?? "/", `http://${req.headers.host ?? "localhost"}`);
  route(req, url).then(
    (answer) => send(res, answer),
    (thrown: unknown) => {
      // The portal's guards throw Responses (302 to sign-in, 403, 404); anything else is a 500.
      if (thrown instanceof Response) send(res, { status: thrown.status, location: thrown.headers.get("Location") ?? undefined });
      else {
        console.error(thrown);
        send(res, { status: 500 });
      }
    },
  );
});

await bootstrap(); // before listening, as server.js does
server.listen(env().PORT, "127.0.0.1", () => console.log(`Bare server listening on http://127.0.0.1:${env().PORT}`));
for (const signal of ["SIGTERM", "SIGINT"] as const) process.on(signal, () => server.close(() => process.exit(0)));
