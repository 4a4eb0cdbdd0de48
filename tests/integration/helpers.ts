// Requests as a browser makes them, and what a loader or action answered. The accounts and dossiers
// tests start from are in tests/fixtures/.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
const BASE = "http://localhost";

export function get(path: string, cookie?: string): Request {
  return new Request(`${BASE}${path}`, { headers: cookie ? { Cookie: cookie } : {} });
}

export function post(path: string, body: FormData | URLSearchParams, cookie?: string): Request {
  return new Request(`${BASE}${path}`, { method: "POST", body, headers: cookie ? { Cookie: cookie } : {} });
}

export function formOf(values: Record<string, string | string[] | File>): FormData {
  const form = new FormData();
  for (const [k, v] of Object.entries(values)) {
    if (Array.isArray(v)) for (const item of v) form.append(k, item);
    else form.append(k, v);
  }
  return form;
}

/**
 * What a loader or action answered, whether it returned or threw: a Response
 * (redirect, 404…) or single-fetch `data()` with its status.
 */
export type Outcome = { status: number; location: string | null; data: unknown };

function isDataWithInit(v: unknown): v is { type: "DataWithResponseInit"; data: unknown; init: ResponseInit | null } {
  return typeof v === "object" && v !== null && "type" in v && v.type === "DataWithResponseInit";
}

export async function run(
  fn: (args: LoaderFunctionArgs & ActionFunctionArgs) => unknown,
  request: Request,
  params: Record<string, string> = {},
): Promise<Outcome> {
  let value: unknown;
  try {
    value = await fn({ request, params, context: {} });
  } catch (thrown) {
    value = thrown;
  }
  if (value instanceof Response) {
    const type = value.headers.get("Content-Type") ?? "";
    const body = type.includes("json") ? await value.json() : type.startsWith("text/") ? await value.text() : null;
    return { status: value.status, location: value.headers.get("Location"), data: body };
  }
  if (isDataWithInit(value)) return { status: value.init?.status ?? 200, location: null, data: value.data };
  if (value instanceof Error) throw value;
  return { status: 200, location: null, data: value };
}

/** The links of the administration area's navigation (the layout and overview loaders' `sections`). */
export function sectionLinks(data: unknown): string[] {
  if (typeof data !== "object" || data === null || !("sections" in data) || !Array.isArray(data.sections)) return [];
  return data.sections.flatMap((s: unknown) => (typeof s === "object" && s !== null && "to" in s && typeof s.to === "string" ? [s.to] : []));
}

/**
 * The messages of what a statement was refused with, the error's and its causes' (a PostgreSQL
 * error comes wrapped by drizzle, its own message in the cause); "" when it was not refused.
 */
export async function refusal(statement: PromiseLike<unknown>): Promise<string> {
  try {
    await statement;
    return "";
  } catch (error) {
    const messages: string[] = [];
    for (let e: unknown = error; e instanceof Error; e = e.cause) messages.push(e.message);
    return messages.join("\n");
  }
}
