/**
 * The public description of the JSON API (OpenAPI 3.1, JSON Schema 2020-12), served at
 * /api/v1/openapi.json. Written by hand, so every parameter has words a reader can use; a test
 * checks it documents every parameter StatisticsQuerySchema accepts and that a real answer of
 * /api/v1/statistics matches the response schema.
 */
import { COUNT_KEYS, FUNNEL_STEPS, METRICS } from "../../core/statistics/metrics";
import { DEFAULT_LEVEL4_TARGET_PERCENT, DEFAULT_PERIOD_DAYS, GROUP_BYS, INTERVALS, MAX_SPAN_YEARS } from "../../core/statistics/query";
import { CHANNELS } from "../../core/dossiers/queue";

type Schema = Record<string, unknown>;
const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
const nullable = (schema: Schema): Schema => ({ anyOf: [schema, { type: "null" }] });
const int = { type: "integer", minimum: 0 } as const;
const date = { type: "string", format: "date" } as const;
const object = (properties: Record<string, Schema>, description?: string): Schema => ({
  type: "object",
  ...(description ? { description } : {}),
  properties,
  required: Object.keys(properties),
});

const statisticsParameters = [
  {
    name: "from",
    in: "query",
    required: false,
    schema: date,
    description: `First day of the period (Vietnam date, included). Default: ${DEFAULT_PERIOD_DAYS - 1} days before \`to\`.`,
  },
  {
    name: "to",
    in: "query",
    required: false,
    schema: date,
    description: `Last day of the period (Vietnam date, included). Default: today, or ${DEFAULT_PERIOD_DAYS - 1} days after \`from\`. At most ${MAX_SPAN_YEARS} years after \`from\`.`,
  },
  {
    name: "groupBy",
    in: "query",
    required: false,
    schema: { type: "string", enum: [...GROUP_BYS], default: "agency" },
    description:
      "The breakdown of `grouped`: the direct sub-agencies (each with its subtree), field, procedure (the 50 most submitted), level, channel, or none.",
  },
  {
    name: "agency",
    in: "query",
    required: false,
    schema: { type: "string", pattern: "^[a-z0-9-]{1,100}$" },
    description:
      "An agency code within the caller's scope: the figures cover its whole subtree. Default: the caller's scope. A code outside the scope is answered like an unknown one (400).",
  },
  {
    name: "interval",
    in: "query",
    required: false,
    schema: { type: "string", enum: [...INTERVALS], default: "day" },
    description: "The buckets of `timeSeries`: day, ISO week (named by its Monday) or calendar month, clipped to the period.",
  },
  {
    name: "target",
    in: "query",
    required: false,
    schema: { type: "number", minimum: 0, maximum: 100, default: DEFAULT_LEVEL4_TARGET_PERCENT },
    description: "Level-4 share target in percent (at most two decimals), judged on the exact fraction. Default: the configured LEVEL4_TARGET_PERCENT.",
  },
];

const procedureParameters = [
  {
    name: "q",
    in: "query",
    required: false,
    schema: { type: "string", maxLength: 200 },
    description: "Words of the procedure's name (accents optional), each matched as a prefix.",
  },
  { name: "level", in: "query", required: false, schema: { type: "integer", minimum: 1, maximum: 4 }, description: "Online service level." },
  { name: "agency", in: "query", required: false, schema: { type: "string" }, description: "An agency code: its procedures and its sub-agencies'." },
  { name: "field", in: "query", required: false, schema: { type: "string" }, description: "A field code." },
  { name: "page", in: "query", required: false, schema: { type: "integer", minimum: 1, default: 1 }, description: "Page of 20 results." },
];

const name = object({ vi: { type: "string" }, en: { type: ["string", "null"] } }, "A name in Vietnamese and, when there is one, in English.");
/** Catalog names: `en` is never the Vietnamese text passed off as English. */
/** Derived from what a procedure really has, never declared (docs/decisions/031-derived-levels.md). */
const level = {
  type: "integer",
  minimum: 1,
  maximum: 4,
  description:
    "Online service level, derived: 2 = a template to download, 3 = also a published online form, 4 = also a fee payable online (or none) and the result delivered online or by post.",
} as const;
const onlineService = {
  ...nullable({ type: "string", enum: ["full", "partial"] }),
  description:
    "Online service class (Decree 42/2022/NĐ-CP): `full` when every step is online (level 4 and no in-person step), `partial` at level 3 or with an in-person step; null below level 3.",
};
const catalogName = object(
  {
    vi: { type: "string" },
    en: {
      type: ["string", "null"],
      description:
        "The English name, or null when there is none that differs from the Vietnamese (not translated yet, or a place name written the same in both languages such as An Giang). Never the Vietnamese text: show `vi` when it is null.",
    },
  },
  "The name in Vietnamese and, when there is one, in English.",
);
const agencyRef = nullable(object({ code: { type: "string" }, nameVi: { type: "string" }, nameEn: { type: ["string", "null"] } }));
const period = object({ from: date, to: date }, "The period, Vietnam calendar dates, both included.");
const ranked = (value: Schema) =>
  object({
    rank: { type: ["integer", "null"], description: "Competition ranking (1, 2, 2, 4); null for a unit without a value, listed last." },
    code: { type: "string" },
    name,
    value,
  });

const schemas: Record<string, Schema> = {
  Ratio: {
    ...object({
      numerator: int,
      denominator: int,
      value: { type: ["number", "null"], description: "numerator / denominator; null when the denominator is 0 (shown as “—”)." },
    }),
    description: "An exact fraction of two summed counts. Never clamped: over short periods it can exceed 1.",
  },
  Counts: {
    ...object(Object.fromEntries(COUNT_KEYS.map((k) => [k, int]))),
    description: "The summed counts every metric is computed from (docs/metrics.md, “Metric → counts”).",
  },
  Metrics: object(Object.fromEntries(METRICS.map((m) => [m.id, m.kind === "ratio" ? ref("Ratio") : int]))),
  AgencyRef: agencyRef,
  Period: period,
  Summary: object({
    period: ref("Period"),
    asOf: { ...date, description: "The day the catalog and late-backlog snapshots were taken." },
    agency: ref("AgencyRef"),
    counts: ref("Counts"),
    metrics: ref("Metrics"),
    level4Target: object({
      percent: { type: "number" },
      met: { type: ["boolean", "null"], description: "Judged on the exact fraction; null when there are no procedures." },
    }),
  }),
  GroupRow: object({
    key: { type: "string", description: "Agency, field or procedure code, level 1–4, channel, “none” (not attributed) or “all”." },
    name: nullable(name),
    labelKey: { type: ["string", "null"], description: "Translation key naming a row without an entity name." },
    self: { type: "boolean", description: "By agency: what is attached to the selected agency itself, not to a sub-agency." },
    dissolvedOn: nullable(date),
    counts: ref("Counts"),
    metrics: ref("Metrics"),
  }),
  Grouped: object({
    period: ref("Period"),
    asOf: date,
    agency: ref("AgencyRef"),
    groupBy: { type: "string", enum: [...GROUP_BYS] },
    notApplicable: {
      type: "array",
      items: { type: "string", enum: METRICS.map((m) => m.id) },
      description: "Metrics meaningless for this grouping (the catalog by channel).",
    },
    truncated: { type: "boolean" },
    totalGroups: int,
    rows: { type: "array", items: ref("GroupRow") },
  }),
  Rankings: object({
    period: ref("Period"),
    asOf: date,
    agency: ref("AgencyRef"),
    onlineServices: { type: "array", items: ranked(object({ level3: int, level4: int, total: int, level4Share: ref("Ratio") })) },
    onlineDossiers: { type: "array", items: ranked(object({ online: int, submitted: int })) },
    onlineShare: { type: "array", items: ranked(ref("Ratio")) },
  }),
  TimeSeries: object({
    period: ref("Period"),
    agency: ref("AgencyRef"),
    interval: { type: "string", enum: [...INTERVALS] },
    points: {
      type: "array",
      items: object({
        bucket: date,
        from: date,
        to: date,
        viewed: int,
        submitted: int,
        submitted_online: int,
        submitted_assisted: int,
        submitted_counter: int,
        result_ready: int,
      }),
    },
  }),
  Funnel: object({
    period: ref("Period"),
    agency: ref("AgencyRef"),
    steps: {
      type: "array",
      items: object({ step: { type: "string", enum: [...FUNNEL_STEPS] }, count: int, fromPrevious: nullable(ref("Ratio")), fromFirst: ref("Ratio") }),
    },
  }),
  Statistics: object({
    query: object(
      {
        from: date,
        to: date,
        groupBy: { type: "string", enum: [...GROUP_BYS] },
        agency: { type: ["string", "null"] },
        interval: { type: "string", enum: [...INTERVALS] },
        target: { type: "number" },
      },
      "The parameters as understood, defaults filled in.",
    ),
    scope: object(
      { role: { type: "string", enum: ["agency_admin", "system_admin"] }, agency: ref("AgencyRef") },
      "Whose figures the caller may see (agency null: every agency).",
    ),
    summary: ref("Summary"),
    grouped: ref("Grouped"),
    rankings: ref("Rankings"),
    timeSeries: ref("TimeSeries"),
    funnel: ref("Funnel"),
    definitions: object({
      document: { type: "string", description: "The definitions of every metric (numerator, denominator, period, roll-up, rounding), in the portal's source." },
      openapi: { type: "string" },
      metrics: {
        type: "array",
        items: object({
          id: { type: "string" },
          kind: { type: "string", enum: ["count", "ratio"] },
          source: { type: "string", enum: ["events", "catalog", "snapshot"] },
          needs: { type: "array", items: { type: "string", enum: [...COUNT_KEYS] } },
          hasTarget: { type: "boolean" },
          label: name,
          description: name,
        }),
      },
    }),
  }),
  ValidationErrors: object({
    errors: {
      type: "array",
      items: object({
        path: { type: "string", description: "The parameter at fault." },
        message: { type: "string", description: "In the language chosen on the portal (Vietnamese by default)." },
        code: { type: "string", description: "A stable message key." },
      }),
    },
  }),
  Error: object({ error: { type: "string", enum: ["unauthorized", "forbidden", "method_not_allowed"] } }),
  Procedures: object({
    page: int,
    pageCount: int,
    total: int,
    correction: {
      ...nullable({ type: "string" }),
      description:
        "Set when the query as given matched nothing and this corrected query did (a misspelt word): the items are the corrected query's. Null otherwise.",
    },
    items: {
      type: "array",
      items: object({
        code: { type: "string" },
        name: catalogName,
        level,
        onlineService,
        agency: object({ code: { type: "string" }, name: catalogName }),
        field: object({ code: { type: "string" }, name: catalogName }),
        feeVnd: int,
        processingDays: int,
        url: { type: "string" },
      }),
    },
  }),
  Procedure: object({
    code: { type: "string" },
    name: catalogName,
    level,
    onlineService,
    inPersonStep: {
      ...nullable({ type: "string" }),
      description: "Why a citizen must still come in person (in Vietnamese, as the agency wrote it); null when no step requires it.",
    },
    agency: object({ code: { type: "string" }, name: catalogName }),
    field: object({ code: { type: "string" }, name: catalogName }),
    feeVnd: int,
    paymentOnline: { type: "boolean", description: "Whether the fee can be paid online (a fact the level is derived from)." },
    processingDays: int,
    deliveryModes: { type: "array", items: { type: "string", enum: ["counter", "online", "post"] } },
    formVersion: { ...nullable(int), description: "The published form's version (GET …/form); null when none is offered." },
    url: { type: "string" },
  }),
  Form: object({
    code: { type: "string" },
    version: { ...int, description: "The published version; a dossier keeps the version it was made on." },
    definition: {
      type: "object",
      description:
        "The form definition (app/core/forms/definition.ts): `sections` of `fields` (text, textarea, date, number, select, radio, checkbox, cccd, phone, email, address, file) with vi/en labels; `visibleIf`/`requiredIf` on fields and sections and `fee` on the form are JsonLogic rules over earlier answers (docs/decisions/030).",
    },
  }),
};

const json = (schema: Schema, description: string) => ({ description, content: { "application/json": { schema } } });

export function openApiDocument() {
  return {
    openapi: "3.1.0",
    info: {
      title: "Cổng dịch vụ công — API",
      version: "1.0.0",
      description: `Read-only JSON API of the public-service portal. Statistics definitions: docs/metrics.md. Channels: ${CHANNELS.join(", ")}.`,
    },
    servers: [{ url: "/" }],
    paths: {
      "/api/v1/statistics": {
        get: {
          operationId: "getStatistics",
          summary: "Usage statistics of the caller's scope",
          description:
            "The same figures as the statistics dashboard and its CSV export, from the same query layer: summary, grouped, rankings, time series and funnel for one period. Ratios are exact fractions {numerator, denominator, value}. An agency administrator sees their agency's subtree, a system administrator every agency.",
          security: [{ bearerAuth: [] }, { sessionCookie: [] }],
          parameters: statisticsParameters,
          responses: {
            "200": { ...json(ref("Statistics"), "The figures."), headers: { "Cache-Control": { schema: { type: "string", const: "no-store" } } } },
            "400": json(ref("ValidationErrors"), "A parameter is not valid."),
            "401": json(ref("Error"), "No valid token or session (revoked token, disabled account…)."),
            "403": json(ref("Error"), "Signed in, but not allowed to read statistics."),
            "405": json(ref("Error"), "Only GET is allowed."),
          },
        },
      },
      "/api/v1/procedures": {
        get: {
          operationId: "listProcedures",
          summary: "The procedure catalog",
          description:
            "The same query and results as the /procedures page. Public. Invalid parameters are ignored. Names come in Vietnamese (`vi`) and English (`en`); `en` is null when no English text exists, never a copy of the Vietnamese.",
          security: [],
          parameters: procedureParameters,
          responses: { "200": json(ref("Procedures"), "One page of procedures.") },
        },
      },
      "/api/v1/procedures/{code}": {
        get: {
          operationId: "getProcedure",
          summary: "One procedure",
          description: "What the catalog lists of a procedure, with the facts its level and online-service class are derived from. Public.",
          security: [],
          parameters: [{ name: "code", in: "path", required: true, schema: { type: "string" }, description: "The procedure's code, e.g. 3.000333." }],
          responses: { "200": json(ref("Procedure"), "The procedure."), "404": { description: "No such procedure." } },
        },
      },
      "/api/v1/procedures/{code}/form": {
        get: {
          operationId: "getProcedureForm",
          summary: "A procedure's published form",
          description:
            "The form citizens fill to apply online, with its rules, as the portal applies it. Public. 404 when the procedure has no online form (levels 1 and 2).",
          security: [],
          parameters: [{ name: "code", in: "path", required: true, schema: { type: "string" }, description: "The procedure's code, e.g. 3.000333." }],
          responses: { "200": json(ref("Form"), "The published form."), "404": { description: "No such procedure, or none offered online." } },
        },
      },
    },
    components: {
      securitySchemes: {
        bearerAuth: {
          type: "http",
          scheme: "bearer",
          description: "A personal token from /admin/tokens: `Authorization: Bearer dvc_…`. It acts as its owner, with the owner's current role and scope.",
        },
        sessionCookie: { type: "apiKey", in: "cookie", name: "__session", description: "A signed-in portal session (the dashboard's own)." },
      },
      schemas,
    },
  };
}
