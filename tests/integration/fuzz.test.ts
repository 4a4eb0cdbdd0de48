// Bad input, everywhere: every form action under app/routes and every API loader gets a battery of
// malformed payloads (wrong types, missing and extra fields, 1 MB strings, invalid UTF-8, repeated
// keys, numeric overflow, impossible dates, path-traversal and fake files, files over the upload
// limit, truncated multipart bodies, wrong content types) and seeded random ones; every loader gets
// garbage query strings. Each request goes through the route function itself, as the other
// integration tests do, as nobody and as the user the route is for. For every answer:
//   - never a 5xx, never a thrown Error;
//   - a 4xx carries a message;
//   - a 4xx writes nothing: no table changes (row counts and update markers) and no file is left in
//     STORAGE_DIR (the one documented exception: the application form saves the draft on every post).
// Deterministic: a tiny seeded PRNG (FUZZ_SEED to explore other seeds); no dependency.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { and, eq, gt, max, sql, type SQL } from "drizzle-orm";
import * as z from "zod";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { schema } from "../../app/server/platform/schema.server";
import { checkAttachment } from "../../app/core/forms/attachments";
import { allFields, fileFields, type FormDefinition } from "../../app/core/forms/definition";
import { onlineProcedure } from "../../app/server/dossiers/application.server";
import { db, selectRaw } from "../../app/server/platform/db.server";
import { asNumber } from "../../app/server/platform/dialect.server";
import { env, publicUrl } from "../../app/server/platform/env.server";
import { createParcel } from "../../app/simulators/post.server";
import { setIpnSender } from "../../app/simulators/vnpay-gateway.server";
import * as home from "../../app/routes/_index";
import * as accountPage from "../../app/routes/account._index";
import * as accountConfirm from "../../app/routes/account.confirm";
import * as accountDocuments from "../../app/routes/account.documents";
import * as accountBusinesses from "../../app/routes/account.businesses";
import * as applyFor from "../../app/routes/procedures.$code_.apply_.for";
import { AUTHORISATION_UPLOAD } from "../../app/core/dossiers/representation";
import * as adminIndex from "../../app/routes/admin._index";
import * as adminAudit from "../../app/routes/admin.audit";
import * as adminOutbox from "../../app/routes/admin.outbox";
import * as adminProcedure from "../../app/routes/admin.procedures.$code";
import * as adminProcedures from "../../app/routes/admin.procedures._index";
import * as adminForms from "../../app/routes/admin.forms._index";
import * as adminFormBuilder from "../../app/routes/admin.forms.$code";
import * as adminFormPreview from "../../app/routes/admin.forms.$code_.preview";
import * as adminFormPreviewNoScript from "../../app/routes/admin.forms.$code_.preview_.no-script";
import * as adminReported from "../../app/routes/admin.statistics_.reported";
import * as adminReportedImport from "../../app/routes/admin.statistics_.reported_.$importId";
import * as adminReportedCsv from "../../app/routes/admin.statistics_.reported_.$importId_.comparison[.]csv";
import * as adminStatistics from "../../app/routes/admin.statistics";
import * as adminExport from "../../app/routes/admin.statistics_.export[.]csv";
import * as adminPayments from "../../app/routes/admin.payments";
import * as adminTokens from "../../app/routes/admin.tokens";
import * as apiOpenapi from "../../app/routes/api.v1.openapi[.]json";
import * as apiStatistics from "../../app/routes/api.v1.statistics";
import * as adminLayout from "../../app/routes/admin";
import * as adminNotFound from "../../app/routes/admin.$";
import * as adminUsers from "../../app/routes/admin.users";
import * as apiIpn from "../../app/routes/api.v1.payments.ipn";
import * as apiProcedures from "../../app/routes/api.v1.procedures";
import * as apiProcedure from "../../app/routes/api.v1.procedures_.$code";
import * as apiProcedureForm from "../../app/routes/api.v1.procedures_.$code.form";
import * as application from "../../app/routes/applications.$receiptCode";
import * as pay from "../../app/routes/applications.$receiptCode_.pay";
import * as paymentReceipt from "../../app/routes/applications.$receiptCode_.payments.$txnRef.receipt[.]pdf";
import * as rate from "../../app/routes/applications.$receiptCode_.rate";
import * as receiptPdf from "../../app/routes/applications.$receiptCode_.receipt[.]pdf";
import * as resultPdf from "../../app/routes/applications.$receiptCode_.result[.]pdf";
import * as supplement from "../../app/routes/applications.$receiptCode_.supplement";
import * as myApplications from "../../app/routes/applications._index";
import * as citizenAttachment from "../../app/routes/attachments.$id";
import * as gatewayPay from "../../app/routes/gateway.vnpay.pay";
import * as querydr from "../../app/routes/gateway.vnpay.querydr";
import * as healthz from "../../app/routes/healthz";
import * as language from "../../app/routes/language";
import * as login from "../../app/routes/login";
import * as twoFactor from "../../app/routes/login_.two-factor";
import * as logout from "../../app/routes/logout";
import * as officerArea from "../../app/routes/officer";
import * as officerNotFound from "../../app/routes/officer.$";
import * as officerQueue from "../../app/routes/officer._index";
import * as officerAttachment from "../../app/routes/officer.attachments.$id";
import * as officerDossier from "../../app/routes/officer.dossiers.$receiptCode";
import * as confirmMove from "../../app/routes/officer.dossiers.$receiptCode_.$move";
import { RESULT_FILE_FIELD, resultFieldsOf } from "../../app/core/results/result-fields";
import { validResultValues } from "../fixtures/results";
import * as intakeIndex from "../../app/routes/officer.intake._index";
import * as intakeForm from "../../app/routes/officer.intake.form";
import * as paymentsReturn from "../../app/routes/payments.return";
import * as postSim from "../../app/routes/post-sim.$trackingNumber";
import * as procedurePage from "../../app/routes/procedures.$code";
import * as apply from "../../app/routes/procedures.$code_.apply";
import * as check from "../../app/routes/procedures.$code_.apply_.check";
import * as applyExit from "../../app/routes/procedures.$code_.apply_.exit.$exit";
import * as template from "../../app/routes/procedures.$code_.templates.$slug";
import * as catalog from "../../app/routes/procedures._index";
import * as register from "../../app/routes/register";
import * as track from "../../app/routes/track";
import * as stringsScript from "../../app/routes/strings.$asset";
import * as verify from "../../app/routes/verify";
import * as vneidStart from "../../app/routes/auth.vneid";
import * as vneidCallback from "../../app/routes/auth.vneid_.callback";
import * as vneidSimPage from "../../app/routes/vneid-sim.interaction.$uid";
import { PDF_BYTES, PNG_BYTES } from "../fixtures/files";
import { validAnswers } from "../fixtures/answers";
import { newCitizen, newStaff, type Citizen, type Staff } from "../fixtures/accounts";
import { submitDossier, dossierByCode } from "../fixtures/dossiers";
import { formOf, get, post, run, type Outcome } from "./helpers";
import { storedKeys } from "./stored-files";
import { STATUS } from "../../app/core/dossiers/status";
import { found } from "../../app/server/platform/http.server";

// ---------------------------------------------------------------------------------------------
// The seeded PRNG (mulberry32): the same seed gives the same payloads on every machine.
const SEED = Number(process.env.FUZZ_SEED ?? 0x5eed2026);
function mulberry32(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = mulberry32(SEED);
const pick = <T>(items: readonly T[]): T => {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new Error("pick from an empty list");
  return item;
};
const chance = (p: number) => random() < p;

// ---------------------------------------------------------------------------------------------
// Bodies, built byte by byte so they can carry what a browser never sends.
const enc = new TextEncoder();
const bytes = (...chunks: (string | Uint8Array)[]) => Buffer.concat(chunks.map((c) => (typeof c === "string" ? enc.encode(c) : c)));
const MB = 1024 * 1024;
/** The upload limit in app/server/platform/upload.server.ts is 10 MiB; one byte more. */
const OVER_LIMIT = 10 * MB + 1;
const HUGE_TEXT = "Đ".repeat(MB / 2); // 1 MB of UTF-8
const BAD_UTF8 = Uint8Array.from([0xff, 0xfe, 0xc3, 0x28, 0xe2, 0x82, 0xed, 0xa0, 0x80, 0xf8, 0x88, 0x80, 0x80, 0x80]);

type Value = string | string[];
type Part = { name: string | Uint8Array; value: string | Uint8Array; filename?: string | Uint8Array; type?: string };
type Payload = {
  category: string;
  label: string;
  contentType: string | null;
  body: Uint8Array;
  /** Carries a file the route may legitimately keep (right magic bytes for the field). */
  acceptableFile: boolean;
};

const BOUNDARY = "----fuzzBoundary7MA4YWxkTrZu0gW";

function multipartBody(parts: readonly Part[], boundary = BOUNDARY): Uint8Array {
  const chunks: (string | Uint8Array)[] = [];
  for (const p of parts) {
    chunks.push(`--${boundary}\r\nContent-Disposition: form-data; name="`, p.name, '"');
    if (p.filename !== undefined) chunks.push('; filename="', p.filename, '"');
    chunks.push("\r\n");
    if (p.type) chunks.push(`Content-Type: ${p.type}\r\n`);
    chunks.push("\r\n", p.value, "\r\n");
  }
  chunks.push(`--${boundary}--\r\n`);
  return bytes(...chunks);
}

const entriesOf = (values: Record<string, Value>): [string, string][] =>
  Object.entries(values).flatMap(([k, v]) => (Array.isArray(v) ? v.map((x): [string, string] => [k, x]) : [[k, v]]));
const partsOf = (values: Record<string, Value>): Part[] => entriesOf(values).map(([name, value]) => ({ name, value }));

function urlencoded(category: string, label: string, values: Record<string, Value>): Payload {
  return {
    category,
    label,
    contentType: "application/x-www-form-urlencoded",
    body: enc.encode(new URLSearchParams(entriesOf(values)).toString()),
    acceptableFile: false,
  };
}
function rawUrlencoded(category: string, label: string, body: string | Uint8Array): Payload {
  return { category, label, contentType: "application/x-www-form-urlencoded", body: bytes(body), acceptableFile: false };
}

// ---------------------------------------------------------------------------------------------
// What a route is, who may call it, and the shape of a plausible post to it.
type RouteFn = Parameters<typeof run>[0];
type Who = "anonymous" | "citizen" | "officer" | "admin";
type FileSlot = { name: string; accept: (body: Uint8Array) => boolean };

type ActionTarget = {
  file: string;
  action: RouteFn;
  path: string;
  params: Record<string, string>;
  as: Who[];
  /** A plausible post, which the payloads break. */
  base: Record<string, Value>;
  files: FileSlot[];
  /** The application form saves the citizen's draft on every post, refused or not (nothing typed is lost). */
  savesDraft?: boolean;
  /** Extra values of the route's own parameters to try (a receipt code, an id…). */
  badParams?: string;
  /** Every accepted post costs a password hash (~0.2 s): send a deterministic sample of each category. */
  costly?: boolean;
};
type LoaderTarget = { file: string; loader: RouteFn; path: string; params: Record<string, string>; as: Who[] };

const NUMBERS = ["1e309", "-1e309", "-0", "NaN", "Infinity", "99999999999999999999", "-1", "0", "0x10", "1.5", "9007199254740993", "1_000"];
const DATES = ["2026-02-30", "2026-13-01", "0000-00-00", "2026-02-29", "99999-01-01", "2026-1-1", "2026-02-28T25:61:00Z", "-001-01-01"];
const ODD_STRINGS = [
  "",
  " ",
  "\u0000",
  "' OR 1=1 --",
  '"*NEAR(a b) OR ^',
  "<script>alert(1)</script>",
  "{{constructor.constructor('x')()}}",
  "\u202e\u0645\u0631\u062d\u0628\u0627",
  "🧪".repeat(300),
  "a\r\nSet-Cookie: x=y",
  "%00%2e%2e%2f",
  "[object Object]",
  "true",
  "null",
  "undefined",
  "__proto__",
  "x".repeat(70 * 1024),
  "Nguyễn Văn A",
  "0912345678",
  "001099012345",
];
const REDIRECTS = ["https://evil.example", "//evil.example", "/\\evil.example", "/\t/evil.example", "/\n/evil.example", "javascript:alert(1)"];
const TRAVERSAL_NAMES: (string | Uint8Array)[] = [
  "../../etc/passwd",
  "..\\..\\boot.ini",
  bytes("evil", Uint8Array.from([0]), ".pdf"),
  "..%2f..%2fetc%2fpasswd.pdf",
  "/etc/passwd",
  "C:\\Windows\\win.ini",
  ".htaccess",
  "CON.pdf",
  "a".repeat(5000) + ".pdf",
  bytes(BAD_UTF8, ".pdf"),
];
const EXTRA_KEYS = [
  "__proto__",
  "constructor",
  "prototype",
  "toString",
  "hasOwnProperty",
  "intent[]",
  "a[b][c]",
  "_data",
  "redirectTo",
  "role",
  "applicantId",
  "status",
  "agencyId",
];

function fakeFiles(): { label: string; name: string; body: Uint8Array; type: string }[] {
  return [
    { label: "PNG bytes named .pdf", name: "giay-to.pdf", body: PNG_BYTES, type: "application/pdf" },
    {
      label: "EXE (MZ) named .pdf",
      name: "giay-to.pdf",
      body: bytes("MZ\x90\x00\x03\x00\x00\x00This program cannot be run in DOS mode"),
      type: "application/pdf",
    },
    { label: "HTML named .pdf", name: "giay-to.pdf", body: bytes("<!doctype html><script>alert(document.cookie)</script>"), type: "application/pdf" },
    { label: "SVG with script named .png", name: "anh.png", body: bytes('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'), type: "image/png" },
    { label: "empty .pdf", name: "rong.pdf", body: new Uint8Array(0), type: "application/pdf" },
    { label: "PDF magic then HTML", name: "polyglot.pdf", body: bytes("%PDF-1.4\n<html><script>alert(1)</script></html>"), type: "text/html" },
  ];
}

/** The battery for one action target, in a fixed order, then seeded random ones. */
function payloadsFor(t: ActionTarget): Payload[] {
  const names = Object.keys(t.base);
  const fileNames = t.files.length > 0 ? t.files.map((f) => f.name) : ["file", "document"];
  const acceptable = (field: string, body: Uint8Array) => t.files.some((f) => f.name === field && f.accept(body));
  const multi = (category: string, label: string, parts: Part[], boundary?: string): Payload => ({
    category,
    label,
    contentType: `multipart/form-data; boundary=${boundary ?? BOUNDARY}`,
    body: multipartBody(parts, boundary),
    acceptableFile: parts.some((p) => p.filename !== undefined && typeof p.name === "string" && typeof p.value !== "string" && acceptable(p.name, p.value)),
  });
  const every = (value: string) => Object.fromEntries(names.map((n) => [n, value]));
  const out: Payload[] = [];

  // Empty and missing.
  out.push(urlencoded("missing", "empty urlencoded body", {}));
  out.push(multi("missing", "empty multipart body", []));
  for (let i = 0; i < Math.min(3, names.length); i++) {
    const drop = pick(names);
    out.push(urlencoded("missing", `without ${drop}`, Object.fromEntries(Object.entries(t.base).filter(([k]) => k !== drop))));
  }
  if (names.length > 0) {
    const only = pick(names);
    out.push(multi("missing", `only ${only}`, partsOf({ [only]: t.base[only] ?? "" })));
  }

  // Extra fields the form never has (first of the valid-looking posts: a privilege smuggled in must not stick).
  out.push(
    urlencoded("extra", "base + prototype keys and privileges", {
      ...t.base,
      ...Object.fromEntries(EXTRA_KEYS.map((k) => [k, k === "role" ? "system_admin" : "1"])),
    }),
  );
  out.push(
    multi("extra", "base + 200 unknown fields", [...partsOf(t.base), ...Array.from({ length: 200 }, (_, i) => ({ name: `extra_${i}`, value: `v${i}` }))]),
  );

  // Wrong types: text where a file goes, files where text goes, arrays, JSON-looking values.
  out.push(
    multi(
      "wrong-type",
      "every field as a file",
      names.map((n) => ({ name: n, value: bytes("not text"), filename: "x.txt", type: "text/plain" })),
    ),
  );
  out.push(multi("wrong-type", "file fields as text", [...partsOf(t.base), ...fileNames.map((n) => ({ name: n, value: "C:\\fakepath\\giay-to.pdf" }))]));
  out.push(urlencoded("wrong-type", "every field twice, different values", Object.fromEntries(names.map((n) => [n, ["1", "hai"]]))));
  for (const v of ['{"$gt":""}', "[]", "true", "null"]) out.push(urlencoded("wrong-type", `every field = ${v}`, every(v)));
  // Addresses to be sent to (redirectTo and the like): another site, and what a browser would read as one.
  const redirectFields = names.filter((n) => /redirect/i.test(n));
  const aimed = (v: string) => (redirectFields.length > 0 ? Object.fromEntries(redirectFields.map((n) => [n, v])) : every(v));
  for (const v of REDIRECTS)
    out.push(urlencoded("redirect", `${redirectFields.join(", ") || "every field"} = ${JSON.stringify(v)}`, { ...t.base, ...aimed(v) }));

  // Huge strings: 1 MB in each field (urlencoded has no per-part limit; multipart has 64 KiB).
  out.push(urlencoded("huge", "every field 1 MB (urlencoded)", { ...t.base, ...Object.fromEntries(names.slice(0, 6).map((n) => [n, HUGE_TEXT])) }));
  out.push(multi("huge", "every field 1 MB (multipart)", partsOf({ ...t.base, ...Object.fromEntries(names.slice(0, 6).map((n) => [n, HUGE_TEXT])) })));
  out.push(urlencoded("huge", "a 1 MB field name", { ...t.base, [HUGE_TEXT]: "x" }));

  // Invalid UTF-8, in values, names and file names.
  out.push(
    rawUrlencoded(
      "utf8",
      "percent-encoded invalid UTF-8 in every value",
      names.map((n) => `${encodeURIComponent(n)}=%FF%FE%C3%28%ED%A0%80`).join("&") || "a=%FF",
    ),
  );
  out.push(rawUrlencoded("utf8", "raw invalid bytes in the body", bytes(names[0] ?? "a", "=", BAD_UTF8, "&", BAD_UTF8, "=1")));
  out.push(rawUrlencoded("utf8", "broken percent escapes", names.map((n) => `${encodeURIComponent(n)}=%E0%A4%A&%ZZ=%`).join("&") || "%=%"));
  out.push(
    multi(
      "utf8",
      "invalid UTF-8 in multipart values",
      names.map((n) => ({ name: n, value: BAD_UTF8 })),
    ),
  );
  out.push(
    multi("utf8", "invalid UTF-8 in part names and file names", [
      ...partsOf(t.base),
      { name: BAD_UTF8, value: "x" },
      { name: fileNames[0] ?? "file", value: PDF_BYTES.slice(0, 5), filename: BAD_UTF8, type: "application/pdf" },
    ]),
  );

  // Repeated keys.
  out.push(urlencoded("repeat", "every key 1,000 times", Object.fromEntries(names.map((n) => [n, Array.from({ length: 1000 }, (_, i) => String(i))]))));
  out.push(rawUrlencoded("repeat", "one key 50,000 times", Array.from({ length: 50_000 }, () => `${encodeURIComponent(names[0] ?? "a")}=1`).join("&")));

  // Numbers and dates that overflow or do not exist, in every field.
  for (const v of NUMBERS) out.push(urlencoded("number", `every field = ${v}`, { ...t.base, ...every(v) }));
  for (const v of DATES) out.push(urlencoded("date", `every field = ${v}`, { ...t.base, ...every(v) }));

  // File names that climb folders, with bytes the field would refuse (a valid PDF under a hostile name is below).
  for (const name of TRAVERSAL_NAMES) {
    const label = typeof name === "string" ? name.slice(0, 40) : "invalid UTF-8 + NUL";
    out.push(
      multi("traversal", `file named ${label}`, [
        ...partsOf(t.base),
        ...fileNames.map((n) => ({ name: n, value: bytes("MZ payload"), filename: name, type: "application/pdf" })),
      ]),
    );
  }
  for (const name of TRAVERSAL_NAMES.slice(0, 3)) {
    const label = typeof name === "string" ? name.slice(0, 40) : "NUL";
    out.push(
      multi("traversal", `real PDF named ${label}`, [
        ...partsOf(t.base),
        ...fileNames.map((n) => ({ name: n, value: PDF_BYTES, filename: name, type: "application/pdf" })),
      ]),
    );
  }

  // Fake and oversized files.
  for (const fake of fakeFiles())
    out.push(
      multi("fake-file", fake.label, [...partsOf(t.base), ...fileNames.map((n) => ({ name: n, value: fake.body, filename: fake.name, type: fake.type }))]),
    );
  out.push(
    multi("oversized", "a PDF of 10 MiB + 1 byte in every file field", [
      ...partsOf(t.base),
      ...fileNames.map((n) => ({ name: n, value: oversizedPdf(), filename: "lon.pdf", type: "application/pdf" })),
    ]),
  );

  // Truncated and forged multipart bodies.
  const whole = multipartBody([...partsOf(t.base), { name: fileNames[0] ?? "file", value: PDF_BYTES, filename: "a.pdf", type: "application/pdf" }]);
  for (const cut of [0.5, 0.9])
    out.push({
      category: "truncated",
      label: `multipart cut at ${cut * 100}%`,
      contentType: `multipart/form-data; boundary=${BOUNDARY}`,
      body: whole.slice(0, Math.floor(whole.length * cut)),
      acceptableFile: false,
    });
  out.push({
    category: "truncated",
    label: "multipart without its closing boundary",
    contentType: `multipart/form-data; boundary=${BOUNDARY}`,
    body: whole.slice(0, whole.length - BOUNDARY.length - 6),
    acceptableFile: false,
  });
  out.push({
    category: "truncated",
    label: "multipart headers only",
    contentType: `multipart/form-data; boundary=${BOUNDARY}`,
    body: bytes(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="`),
    acceptableFile: false,
  });
  out.push({
    category: "truncated",
    label: "boundary in the header differs from the body",
    contentType: "multipart/form-data; boundary=other",
    body: whole,
    acceptableFile: false,
  });
  out.push({ category: "truncated", label: "multipart with no boundary parameter", contentType: "multipart/form-data", body: whole, acceptableFile: false });
  out.push({
    category: "truncated",
    label: "a 200-character boundary",
    contentType: `multipart/form-data; boundary=${"b".repeat(200)}`,
    body: multipartBody(partsOf(t.base), "b".repeat(200)),
    acceptableFile: false,
  });

  // Wrong content types.
  const asText = enc.encode(new URLSearchParams(entriesOf(t.base)).toString());
  out.push({ category: "content-type", label: "text/plain", contentType: "text/plain", body: asText, acceptableFile: false });
  out.push({
    category: "content-type",
    label: "application/json",
    contentType: "application/json",
    body: enc.encode(JSON.stringify(t.base)),
    acceptableFile: false,
  });
  out.push({
    category: "content-type",
    label: "application/xml",
    contentType: "application/xml",
    body: enc.encode("<?xml version='1.0'?><!DOCTYPE x [<!ENTITY e SYSTEM 'file:///etc/passwd'>]><x>&e;</x>"),
    acceptableFile: false,
  });
  out.push({ category: "content-type", label: "no Content-Type at all", contentType: null, body: asText, acceptableFile: false });
  out.push({
    category: "content-type",
    label: "urlencoded header on a multipart body",
    contentType: "application/x-www-form-urlencoded",
    body: whole,
    acceptableFile: false,
  });
  out.push({ category: "content-type", label: "multipart/mixed", contentType: `multipart/mixed; boundary=${BOUNDARY}`, body: whole, acceptableFile: false });
  out.push({
    category: "content-type",
    label: "urlencoded, charset=utf-16",
    contentType: "application/x-www-form-urlencoded; charset=utf-16",
    body: Buffer.from(new URLSearchParams(entriesOf(t.base)).toString(), "utf16le"),
    acceptableFile: false,
  });

  // Seeded random mixtures of all of the above.
  const pool = [...ODD_STRINGS, ...NUMBERS, ...DATES];
  for (let i = 0; i < 16; i++) {
    const values: Record<string, Value> = {};
    for (const n of names) if (chance(0.7)) values[n] = chance(0.5) ? (t.base[n] ?? "") : pick(pool);
    if (chance(0.3)) values[pick(EXTRA_KEYS)] = pick(pool);
    if (chance(0.5)) out.push(urlencoded("random", `random #${i} (urlencoded)`, values));
    else {
      const parts = partsOf(values);
      if (chance(0.6))
        parts.push({
          name: pick(fileNames),
          value: pick([PDF_BYTES.slice(0, 4), bytes("MZ"), BAD_UTF8, bytes("<html>")]),
          filename: pick(TRAVERSAL_NAMES),
          type: pick(["application/pdf", "image/png", "text/html", "application/x-msdownload"]),
        });
      out.push(multi("random", `random #${i} (multipart)`, parts));
    }
  }
  return out;
}

/** The first `n` payloads of each category (all of them for the categories about the body's framing). */
function sample(payloads: Payload[], n: number): Payload[] {
  const seen = new Map<string, number>();
  return payloads.filter((p) => {
    const k = (seen.get(p.category) ?? 0) + 1;
    seen.set(p.category, k);
    return k <= n || p.category === "truncated" || p.category === "content-type" || p.category === "extra";
  });
}

let oversized: Uint8Array | undefined;
/** One 10 MiB + 1 byte buffer, made once and shared. */
function oversizedPdf(): Uint8Array {
  oversized ??= bytes("%PDF-1.4\n", new Uint8Array(OVER_LIMIT - 9).fill(0x20));
  return oversized;
}

const GARBAGE_QUERIES = [
  "?page=1e309&level=NaN",
  "?page=-0&level=-1",
  "?page=99999999999999999999",
  `?q=${"x".repeat(64 * 1024)}`,
  "?q=%FF%FE%C3%28",
  "?q=%",
  "?q=%22*NEAR(a%20b)%20OR%20%5E",
  "?q='%20OR%201=1%20--",
  "?q=%00",
  "?view=full&code=..%2F..%2Fetc%2Fpasswd",
  "?from=2026-02-30&to=2026-13-01&type=nope&actor=%FF&receipt=AAAA",
  "?status=__proto__&kind=constructor&code=1e309",
  "?redirectTo=%2F%2Fevil.example&notice=%3Cscript%3E",
  "?procedure=..%2F..&channel=%00",
  "?sort=__proto__&dir=sideways&due=1e309&channel=x",
  "?vnp_Amount=1e309&vnp_TxnRef=..%2F..&vnp_SecureHash=zz&vnp_TmnCode=%FF",
  `?${Array.from({ length: 1000 }, (_, i) => `page=${i}`).join("&")}`,
  "?__proto__[admin]=1&constructor[prototype][x]=1",
  "?agency=%2F*&field=..",
];
const QUERY_KEYS = [
  "q",
  "page",
  "level",
  "agency",
  "field",
  "view",
  "code",
  "from",
  "to",
  "type",
  "actor",
  "receipt",
  "status",
  "kind",
  "sort",
  "dir",
  "due",
  "channel",
  "procedure",
  "notice",
  "redirectTo",
  "vnp_TxnRef",
  "vnp_Amount",
  "payment",
  "rating",
  "supplement",
  "done",
];
function randomQuery(): string {
  const pool = [...ODD_STRINGS.filter((s) => s.length < 1000), ...NUMBERS, ...DATES];
  const params = new URLSearchParams();
  const n = 1 + Math.floor(random() * 4);
  for (let i = 0; i < n; i++) params.append(pick(QUERY_KEYS), pick(pool));
  return `?${params}`;
}

// ---------------------------------------------------------------------------------------------
// What "nothing was written" means: every table's row count, plus markers that an UPDATE moves.
const TABLES = [
  "users",
  "sessions",
  "dossiers",
  "attachments",
  "dossier_events",
  "daily_counts",
  "payments",
  "payment_callbacks",
  "payment_callback_refusals",
  "payment_anomalies",
  "results",
  "shipments",
  "ratings",
  "sim_gateway_transactions",
  "sim_post_parcels",
  "supplement_requests",
  "notifications",
  "api_tokens",
  "procedures",
  "form_drafts",
] as const;
const MARKERS: Record<string, SQL> = {
  "dossiers.versions": sql`select coalesce(sum(version), 0) from dossiers`,
  "daily_counts.total": sql`select coalesce(sum(count), 0) from daily_counts`,
  "users.disabled": sql`select count(*) from users where disabled_at is not null`,
  "supplement_requests.answered": sql`select count(*) from supplement_requests where answered_at is not null`,
  "payments.settled": sql`select count(*) from payments where status <> 'pending'`,
};
type Snapshot = Record<string, number>;
/** Each count and sum is a scalar subquery of one statement; PostgreSQL's bigint and numeric come back as text. */
const COUNTS = sql`select ${sql.join(
  [...TABLES.map((t) => [t, sql`select count(*) from ${sql.identifier(t)}`] as const), ...Object.entries(MARKERS)].map(
    ([name, query]) => sql`(${query}) as ${sql.identifier(name)}`,
  ),
  sql`, `,
)}`;
const CountsSchema = z.record(z.string(), z.coerce.number());

async function snapshot(): Promise<Snapshot> {
  const [counts] = await selectRaw(db(), COUNTS);
  // The two markers whose columns the dialects store differently, read through the schema: an instant, a JSON list.
  const [updated] = await db()
    .select({ at: max(schema.procedures.updatedAt) })
    .from(schema.procedures);
  const parcels = await db().select({ history: schema.simPostParcels.history }).from(schema.simPostParcels);
  const [drafted] = await db()
    .select({ at: max(schema.formDrafts.updatedAt) })
    .from(schema.formDrafts);
  return {
    ...CountsSchema.parse(counts),
    "procedures.updated": updated?.at?.getTime() ?? 0,
    "form_drafts.updated": drafted?.at?.getTime() ?? 0,
    "sim_post_parcels.history": parcels.reduce((n, p) => n + JSON.stringify(p.history).length, 0),
    "storage.files": (await storedFiles()).length,
  };
}
/** The keys in file storage, whichever backend STORAGE_BACKEND names. */
const storedFiles = storedKeys;
/**
 * The payment callback log keeps each verified callback (bounded vnp_* values) and what was
 * answered; refused ones are only counted per day, kind and reason (payment_callback_refusals).
 * Counting what was refused is the purpose of that table, so it may change on a 4xx.
 */
const LOGS = new Set(["payment_callbacks", "payment_callback_refusals"]);
const changed = (a: Snapshot, b: Snapshot) => Object.keys(b).filter((k) => a[k] !== b[k] && !LOGS.has(k));
async function maxEventId(): Promise<number> {
  const [row] = await db()
    .select({ id: asNumber(sql`coalesce(max(${schema.dossierEvents.id}), 0)`) })
    .from(schema.dossierEvents);
  return row?.id ?? 0;
}

/** A Location that a browser resolves to this site (the test requests' origin is http://localhost). */
function staysOnSite(location: string | null): boolean {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is looked for
  if (location === null || /[\u0000-\u001f\u007f\\]/.test(location) || location.startsWith("//")) return false;
  return URL.canParse(location, "http://localhost") && new URL(location, "http://localhost").origin === "http://localhost";
}

/** A 4xx must say why: a text body, or an error/errors/refusal/csv/verdict entry that is not empty (at any depth). */
const MESSAGE_KEYS = new Set(["error", "errors", "issues", "refusal", "csv", "verdict"]);
function hasMessage(data: unknown, depth = 0): boolean {
  if (typeof data === "string") return depth === 0 && data.trim().length > 0;
  if (typeof data !== "object" || data === null || depth > 3) return false;
  for (const [key, value] of Object.entries(data)) {
    if (
      MESSAGE_KEYS.has(key) &&
      ((typeof value === "string" && value.length > 0) || (typeof value === "object" && value !== null && Object.keys(value).length > 0))
    )
      return true;
    if (typeof value === "object" && hasMessage(value, depth + 1)) return true;
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// The world the routes act on: real accounts, dossiers in the states the routes need.
const APPLY_CODE = "2.000720"; // level 3, Hoàn Kiếm ward: the application form and check page
const BIRTH_CODE = "1.001193"; // level 4, free, Hoàn Kiếm ward: officer actions and the supplement
const FEE_CODE = "3.000333"; // level 4, 200.000 đ, Hà Nội police: pay, rate and the gateway
const FORM_CODE = "1.001612"; // Kinh Bắc ward: its form's draft is edited and previewed in the form builder, used nowhere else here
const ADMIN_CODE = "1.001022"; // Kinh Bắc ward: the administrator edits this one, used nowhere else here

type World = {
  cookies: Record<Who, string | undefined>;
  citizen: Citizen;
  officer: Staff;
  admin: Staff;
  officerDossier: string;
  supplementDossier: string;
  feeDossier: string;
  draftId: number;
  attachmentId: number;
  gatewayPath: string;
  parcel: string;
  templateSlug: string;
  adminVersion: string;
  /** The form builder's draft of FORM_CODE: the version its posts carry. */
  formDraftVersion: string;
};
let w: World;

async function officerActs(officer: Staff, receiptCode: string, values: Record<string, Value>) {
  const version = String((await dossierByCode(receiptCode)).version);
  const form = new FormData();
  for (const [k, v] of entriesOf({ intent: "transition", version, ...values })) form.append(k, v);
  const res = await run(officerDossier.action, post(`/officer/dossiers/${receiptCode}`, form, officer.cookie), { receiptCode });
  if (res.status !== 302) throw new Error(`officer could not ${JSON.stringify(values)}: ${JSON.stringify(res)}`);
}

beforeAll(async () => {
  // The gateway simulator's IPN reaches the portal's IPN route in-process, as in payments.test.ts.
  setIpnSender(async (url) => (await run(apiIpn.loader, new Request(url))).data);
  const citizen = await newCitizen("Phạm Thị Thử");
  const officer = await newStaff("officer", "ha-noi-phuong-hoan-kiem");
  const admin = await newStaff("system_admin", null);
  const forOfficer = await submitDossier(citizen, BIRTH_CODE, "counter");
  const forSupplement = await submitDossier(citizen, BIRTH_CODE, "counter");
  await officerActs(officer, forSupplement.receiptCode, { action: "receive" });
  // A document and a value are asked for: a garbage post can never satisfy a request for a new file.
  await officerActs(officer, forSupplement.receiptCode, {
    action: "requestSupplement",
    reason: "Giấy chứng sinh bị mờ.",
    items: ["applicant_phone", "giay_chung_sinh"],
  });
  const forFee = await submitDossier(citizen, FEE_CODE, "online");
  const paid = await run(pay.action, post(`/applications/${forFee.receiptCode}/pay`, new FormData(), citizen.cookie), { receiptCode: forFee.receiptCode });
  if (!paid.location?.startsWith("/gateway/vnpay/pay?")) throw new Error(`no gateway redirect: ${JSON.stringify(paid)}`);
  // The simulator registers an order when its page is first opened; open it now, as the browser would.
  expect((await run(gatewayPay.loader, get(paid.location), {})).status).toBe(200);
  // The application form's draft exists before the fuzzing starts (a first post would start it).
  expect((await run(apply.loader, get(`/procedures/${APPLY_CODE}/apply`, citizen.cookie), { code: APPLY_CODE })).status).toBe(200);
  const [draft] = await db()
    .select()
    .from(schema.dossiers)
    .where(and(eq(schema.dossiers.applicantId, citizen.id), eq(schema.dossiers.status, STATUS.draft)))
    .limit(1);
  const [attachment] = await db().select().from(schema.attachments).where(eq(schema.attachments.dossierId, forOfficer.dossierId)).limit(1);
  const adminProc = await run(adminProcedure.loader, get(`/admin/procedures/${ADMIN_CODE}`, admin.cookie), { code: ADMIN_CODE });
  const adminVersion =
    typeof adminProc.data === "object" &&
    adminProc.data !== null &&
    "procedure" in adminProc.data &&
    typeof adminProc.data.procedure === "object" &&
    adminProc.data.procedure !== null &&
    "updatedAt" in adminProc.data.procedure
      ? String(adminProc.data.procedure.updatedAt)
      : "";
  // The form builder's draft, started as an administrator would.
  expect((await run(adminFormBuilder.action, post(`/admin/forms/${FORM_CODE}`, formOf({ intent: "start" }), admin.cookie), { code: FORM_CODE })).status).toBe(
    302,
  );
  const builderPage = await run(adminFormBuilder.loader, get(`/admin/forms/${FORM_CODE}`, admin.cookie), { code: FORM_CODE });
  const formDraftVersion = String(z.object({ draft: z.object({ updatedAt: z.number() }) }).parse(builderPage.data).draft.updatedAt);
  if (!draft || !attachment || !adminVersion) throw new Error("world not set up");
  w = {
    cookies: { anonymous: undefined, citizen: citizen.cookie, officer: officer.cookie, admin: admin.cookie },
    citizen,
    officer,
    admin,
    officerDossier: forOfficer.receiptCode,
    supplementDossier: forSupplement.receiptCode,
    feeDossier: forFee.receiptCode,
    draftId: draft.id,
    attachmentId: attachment.id,
    gatewayPath: paid.location,
    parcel: (await createParcel({ address: "Số 1 Tràng Tiền, Hoàn Kiếm, Hà Nội" })).trackingNumber,
    templateSlug: "to-khai-dang-ky-khai-sinh",
    adminVersion,
    formDraftVersion,
  };
}, 60_000);
afterAll(() => setIpnSender(null));

/** The file fields of a seeded form, each with its own magic-byte check. */
function slotsOf(def: FormDefinition): FileSlot[] {
  return fileFields(def).flatMap((f) => (f.type === "file" ? [{ name: f.name, accept: (body: Uint8Array) => checkAttachment(f, body).ok }] : []));
}
/** The issue page's result fields of a seeded procedure, filled, as its inputs are named. */
async function resultValuesOf(code: string): Promise<Record<string, string>> {
  const [row] = await db().select({ f: schema.procedures.resultFields }).from(schema.procedures).where(eq(schema.procedures.code, code));
  return Object.fromEntries(Object.entries(validResultValues(resultFieldsOf(row?.f))).map(([k, v]) => [`values.${k}`, v]));
}
const textOf = (def: FormDefinition) =>
  Object.fromEntries(Object.entries(validAnswers(def)).filter(([k]) => allFields(def).some((f) => f.name === k && f.type !== "file")));

async function actionTargets(): Promise<ActionTarget[]> {
  const applyForm = found(await onlineProcedure(APPLY_CODE)).form.definition;
  const birthForm = found(await onlineProcedure(BIRTH_CODE)).form.definition;
  const previewForm = (await onlineProcedure(FORM_CODE))?.form.definition;
  const targets: ActionTarget[] = [
    {
      file: "login.tsx",
      action: login.action,
      path: "/login",
      params: {},
      as: ["anonymous"],
      base: { email: w.citizen.email, password: "mat-khau-sai-456", redirectTo: "/applications" },
      files: [],
      costly: true,
    },
    // Without a half-signed session (decision 033) it sends the browser to sign in; with a full one, on. The
    // codes it takes with a half session are parsed and refused in second-factor.test.ts (each wrong one is logged).
    {
      file: "login_.two-factor.tsx",
      action: twoFactor.action,
      path: "/login/two-factor",
      params: {},
      as: ["anonymous", "officer"],
      base: { intent: "verify", code: "123456", recoveryCode: "abcde-fghjk", redirectTo: "/officer" },
      files: [],
    },
    {
      file: "register.tsx",
      action: register.action,
      path: "/register",
      params: {},
      as: ["anonymous"],
      base: {
        fullName: "Lê Thị Mới",
        email: "moi@example.vn",
        phone: "0912345678",
        password: "mat-khau-rat-dai-456",
        confirm: "mat-khau-rat-dai-456",
        redirectTo: "/",
      },
      files: [],
      costly: true,
    },
    {
      file: "account._index.tsx",
      action: accountPage.action,
      path: "/account",
      params: {},
      as: ["anonymous", "citizen"],
      base: { intent: "send-code", phone: "0912345678", code: "123456" },
      files: [],
    },
    {
      file: "account.confirm.tsx",
      action: accountConfirm.action,
      path: "/account/confirm",
      params: {},
      as: ["anonymous"],
      base: { token: "x".repeat(43) },
      files: [],
    },
    { file: "logout.ts", action: logout.action, path: "/logout", params: {}, as: ["anonymous"], base: {}, files: [] },
    {
      file: "language.ts",
      action: language.action,
      path: "/language",
      params: {},
      as: ["anonymous", "citizen"],
      base: { language: "en", redirectTo: "/procedures" },
      files: [],
    },
    {
      file: "track.tsx",
      action: track.action,
      path: "/track",
      params: {},
      as: ["anonymous"],
      base: { code: w.officerDossier, factor: "0912345678" },
      files: [],
    },
    {
      file: "verify.tsx",
      action: verify.action,
      path: "/verify",
      params: {},
      as: ["anonymous"],
      base: { code: "ABCD-EFGH-JKLM" },
      files: [{ name: "document", accept: () => false }],
    },
    {
      // The VNeID simulator's sign-in page, for an interaction it does not know (a real one is tested in vneid.test.ts).
      file: "vneid-sim.interaction.$uid.tsx",
      action: vneidSimPage.action,
      path: "/vneid-sim/interaction/nosuchinteraction0001",
      params: { uid: "nosuchinteraction0001" },
      as: ["anonymous"],
      base: { cccd: "001085000123", level: "2", intent: "sign_in" },
      files: [],
      badParams: "uid",
    },
    {
      file: "post-sim.$trackingNumber.tsx",
      action: postSim.action,
      path: `/post-sim/${w.parcel}`,
      params: { trackingNumber: w.parcel },
      as: ["anonymous"],
      base: { failed: "no" },
      files: [],
      badParams: "trackingNumber",
    },
    {
      file: "gateway.vnpay.pay.tsx",
      action: gatewayPay.action,
      path: w.gatewayPath,
      params: {},
      as: ["anonymous"],
      base: { bankCode: "NCB", outcome: "00", ipnMode: "deliver", intent: "pay" },
      files: [],
    },
    {
      file: "gateway.vnpay.querydr.ts",
      action: querydr.action,
      path: "/gateway/vnpay/querydr",
      params: {},
      as: ["anonymous"],
      base: { vnp_Command: "querydr", vnp_TxnRef: "X", vnp_TmnCode: env().PAYMENT_TMN_CODE },
      files: [],
    },
    {
      file: "procedures.$code_.apply.tsx",
      action: apply.action,
      path: `/procedures/${APPLY_CODE}/apply`,
      params: { code: APPLY_CODE },
      as: ["anonymous", "citizen"],
      base: { ...textOf(applyForm), intent: "continue" },
      files: slotsOf(applyForm),
      savesDraft: true,
      badParams: "code",
    },
    {
      file: "procedures.$code_.apply_.for.tsx",
      action: applyFor.action,
      path: `/procedures/${APPLY_CODE}/apply/for`,
      params: { code: APPLY_CODE },
      as: ["anonymous", "citizen"],
      base: { onBehalf: "authorised", adultName: "Trần Văn Ủy", adultCccd: "001090000001", childCccd: "", taxCode: "" },
      files: [{ name: AUTHORISATION_UPLOAD.name, accept: (body: Uint8Array) => checkAttachment(AUTHORISATION_UPLOAD, body).ok }],
      // Choosing for whom opens the draft the choice is kept on.
      savesDraft: true,
      badParams: "code",
    },
    {
      file: "account.businesses.tsx",
      action: accountBusinesses.action,
      path: "/account/businesses",
      params: {},
      as: ["anonymous", "citizen"],
      base: { intent: "add", taxCode: "0100000001", email: "ai.do@example.vn", userId: "1" },
      files: [],
    },
    {
      file: "procedures.$code_.apply_.check.tsx",
      action: check.action,
      path: `/procedures/${APPLY_CODE}/apply/check`,
      params: { code: APPLY_CODE },
      as: ["anonymous", "citizen"],
      base: { dossierId: String(w.draftId), deliveryMode: "counter" },
      files: [],
      badParams: "code",
    },
    {
      file: "applications.$receiptCode_.pay.ts",
      action: pay.action,
      path: `/applications/${w.feeDossier}/pay`,
      params: { receiptCode: w.feeDossier },
      as: ["anonymous", "citizen"],
      base: {},
      files: [],
      badParams: "receiptCode",
    },
    {
      file: "applications.$receiptCode_.rate.ts",
      action: rate.action,
      path: `/applications/${w.feeDossier}/rate`,
      params: { receiptCode: w.feeDossier },
      as: ["anonymous", "citizen"],
      base: { rating: "satisfied", comment: "Tốt" },
      files: [],
      badParams: "receiptCode",
    },
    {
      file: "applications.$receiptCode_.supplement.tsx",
      action: supplement.action,
      path: `/applications/${w.supplementDossier}/supplement`,
      params: { receiptCode: w.supplementDossier },
      as: ["anonymous", "citizen"],
      base: { applicant_phone: "0987654321" },
      files: slotsOf(birthForm).filter((s) => s.name === "giay_chung_sinh"),
      badParams: "receiptCode",
    },
    {
      file: "officer.dossiers.$receiptCode.tsx",
      action: officerDossier.action,
      path: `/officer/dossiers/${w.officerDossier}`,
      params: { receiptCode: w.officerDossier },
      as: ["anonymous", "officer"],
      base: {
        intent: "transition",
        action: "receive",
        version: String((await dossierByCode(w.officerDossier)).version),
        reason: "Lý do",
        items: ["applicant_phone"],
        newDate: "2026-12-31",
        message: "Xin lỗi",
      },
      files: [],
      badParams: "receiptCode",
    },
    {
      file: "officer.dossiers.$receiptCode_.$move.tsx",
      action: confirmMove.action,
      path: `/officer/dossiers/${w.officerDossier}/issue-result`,
      params: { receiptCode: w.officerDossier, move: "issue-result" },
      as: ["anonymous", "officer"],
      base: {
        source: "fields",
        confirmed: "yes",
        version: String((await dossierByCode(w.officerDossier)).version),
        ...(await resultValuesOf(BIRTH_CODE)),
        reason: "Lý do",
      },
      files: [{ name: RESULT_FILE_FIELD.name, accept: (body) => checkAttachment(RESULT_FILE_FIELD, body).ok }],
      badParams: "receiptCode",
    },
    {
      file: "officer.intake.form.tsx",
      action: intakeForm.action,
      path: `/officer/intake/form?procedure=${APPLY_CODE}&channel=counter`,
      params: {},
      as: ["anonymous", "officer"],
      base: { ...textOf(applyForm), channel: "counter", deliveryMode: "counter", language: "vi", accountEmail: "", paperChecked: "on" },
      files: slotsOf(applyForm),
    },
    {
      file: "admin.users.tsx",
      action: adminUsers.action,
      path: "/admin/users",
      params: {},
      as: ["anonymous", "admin"],
      base: {
        intent: "create",
        fullName: "Cán Bộ Mới",
        email: "can.bo.moi@example.vn",
        agency: "ha-noi-phuong-hoan-kiem",
        role: "officer",
        password: "mat-khau-can-bo-moi-2026",
        userId: "1",
      },
      files: [],
      costly: true,
    },
    {
      file: "admin.procedures.$code.tsx",
      action: adminProcedure.action,
      path: `/admin/procedures/${ADMIN_CODE}`,
      params: { code: ADMIN_CODE },
      as: ["anonymous", "admin"],
      base: { level: "3", processingDays: "5", feeVnd: "15000", deliveryModes: ["counter"], updatedAt: w.adminVersion },
      files: [],
      badParams: "code",
    },
    {
      file: "admin.forms.$code.tsx",
      action: adminFormBuilder.action,
      path: `/admin/forms/${FORM_CODE}`,
      params: { code: FORM_CODE },
      as: ["anonymous", "admin"],
      base: { intent: "section-save:0", title_vi: "Thông tin người khai", title_en: "", visible_mode: "none", updatedAt: w.formDraftVersion },
      files: [],
      badParams: "code",
    },
    ...[
      { file: "admin.forms.$code_.preview.tsx", action: adminFormPreview.action, path: `/admin/forms/${FORM_CODE}/preview` },
      { file: "admin.forms.$code_.preview_.no-script.tsx", action: adminFormPreviewNoScript.action, path: `/admin/forms/${FORM_CODE}/preview/no-script` },
    ].map((t) => ({
      ...t,
      params: { code: FORM_CODE },
      as: ["anonymous", "admin"] satisfies Who[],
      base: { intent: "continue", ...textOf(found(previewForm)) },
      files: slotsOf(found(previewForm)),
      badParams: "code",
    })),
    {
      file: "admin.statistics_.reported.tsx",
      action: adminReported.action,
      path: "/admin/statistics/reported",
      params: {},
      as: ["anonymous", "admin"],
      base: { intent: "upload", target: "30" },
      files: [{ name: "file", accept: () => false }],
    },
    {
      file: "admin.payments.tsx",
      action: adminPayments.action,
      path: "/admin/payments",
      params: {},
      as: ["anonymous", "admin"],
      base: { intent: "resolve", anomalyId: "1", note: "Đã hoàn tiền qua cổng" },
      files: [],
    },
    {
      file: "api.v1.payments.ipn.ts",
      action: apiIpn.action,
      path: "/api/v1/payments/ipn",
      params: {},
      as: ["anonymous"],
      base: { vnp_TxnRef: "X" },
      files: [],
    },
    {
      file: "admin.tokens.tsx",
      action: adminTokens.action,
      path: "/admin/tokens",
      params: {},
      as: ["anonymous", "admin"],
      base: { intent: "create", name: "Khóa thử nghiệm" },
      files: [],
    },
    { file: "api.v1.statistics.ts", action: apiStatistics.action, path: "/api/v1/statistics", params: {}, as: ["anonymous", "admin"], base: {}, files: [] },
  ];
  return targets;
}

function loaderTargets(): LoaderTarget[] {
  const rc = w.officerDossier;
  const citizen: Who[] = ["anonymous", "citizen"];
  const officer: Who[] = ["anonymous", "officer"];
  const admin: Who[] = ["anonymous", "admin"];
  const pub: Who[] = ["anonymous"];
  return [
    { file: "_index.tsx", loader: home.loader, path: "/", params: {}, as: pub },
    { file: "admin._index.tsx", loader: adminIndex.loader, path: "/admin", params: {}, as: admin },
    { file: "admin.audit.tsx", loader: adminAudit.loader, path: "/admin/audit", params: {}, as: admin },
    { file: "admin.outbox.tsx", loader: adminOutbox.loader, path: "/admin/outbox", params: {}, as: admin },
    { file: "admin.$.tsx", loader: adminNotFound.loader, path: "/admin/khong-co", params: { "*": "khong-co" }, as: admin },
    { file: "admin.payments.tsx", loader: adminPayments.loader, path: "/admin/payments", params: {}, as: admin },
    { file: "admin.procedures.$code.tsx", loader: adminProcedure.loader, path: `/admin/procedures/${ADMIN_CODE}`, params: { code: ADMIN_CODE }, as: admin },
    { file: "admin.procedures._index.tsx", loader: adminProcedures.loader, path: "/admin/procedures", params: {}, as: admin },
    { file: "admin.forms._index.tsx", loader: adminForms.loader, path: "/admin/forms", params: {}, as: admin },
    { file: "admin.forms.$code.tsx", loader: adminFormBuilder.loader, path: `/admin/forms/${FORM_CODE}`, params: { code: FORM_CODE }, as: admin },
    {
      file: "admin.forms.$code_.preview.tsx",
      loader: adminFormPreview.loader,
      path: `/admin/forms/${FORM_CODE}/preview`,
      params: { code: FORM_CODE },
      as: admin,
    },
    {
      file: "admin.forms.$code_.preview_.no-script.tsx",
      loader: adminFormPreviewNoScript.loader,
      path: `/admin/forms/${FORM_CODE}/preview/no-script`,
      params: { code: FORM_CODE },
      as: admin,
    },
    { file: "admin.statistics.tsx", loader: adminStatistics.loader, path: "/admin/statistics", params: {}, as: admin },
    { file: "admin.statistics_.export[.]csv.ts", loader: adminExport.loader, path: "/admin/statistics/export.csv", params: {}, as: admin },
    { file: "admin.statistics_.reported.tsx", loader: adminReported.loader, path: "/admin/statistics/reported", params: {}, as: admin },
    {
      file: "admin.statistics_.reported_.$importId.tsx",
      loader: adminReportedImport.loader,
      path: "/admin/statistics/reported/1",
      params: { importId: "1" },
      as: admin,
    },
    {
      file: "admin.statistics_.reported_.$importId_.comparison[.]csv.ts",
      loader: adminReportedCsv.loader,
      path: "/admin/statistics/reported/1/comparison.csv",
      params: { importId: "1" },
      as: admin,
    },
    { file: "admin.tokens.tsx", loader: adminTokens.loader, path: "/admin/tokens", params: {}, as: admin },
    { file: "admin.tsx", loader: adminLayout.loader, path: "/admin", params: {}, as: admin },
    { file: "admin.users.tsx", loader: adminUsers.loader, path: "/admin/users", params: {}, as: admin },
    { file: "api.v1.payments.ipn.ts", loader: apiIpn.loader, path: "/api/v1/payments/ipn", params: {}, as: pub },
    { file: "api.v1.openapi[.]json.ts", loader: apiOpenapi.loader, path: "/api/v1/openapi.json", params: {}, as: pub },
    { file: "api.v1.procedures.ts", loader: apiProcedures.loader, path: "/api/v1/procedures", params: {}, as: pub },
    {
      file: "api.v1.procedures_.$code.ts",
      loader: apiProcedure.loader,
      path: `/api/v1/procedures/${FEE_CODE}`,
      params: { code: FEE_CODE },
      as: pub,
    },
    {
      file: "api.v1.procedures_.$code.form.ts",
      loader: apiProcedureForm.loader,
      path: `/api/v1/procedures/${FEE_CODE}/form`,
      params: { code: FEE_CODE },
      as: pub,
    },
    { file: "api.v1.statistics.ts", loader: apiStatistics.loader, path: "/api/v1/statistics", params: {}, as: admin },
    { file: "applications.$receiptCode.tsx", loader: application.loader, path: `/applications/${rc}`, params: { receiptCode: rc }, as: citizen },
    { file: "applications.$receiptCode_.pay.ts", loader: pay.loader, path: `/applications/${rc}/pay`, params: { receiptCode: rc }, as: citizen },
    {
      file: "applications.$receiptCode_.payments.$txnRef.receipt[.]pdf.ts",
      loader: paymentReceipt.loader,
      path: `/applications/${rc}/payments/NOPE/receipt.pdf`,
      params: { receiptCode: rc, txnRef: "NOPE" },
      as: citizen,
    },
    { file: "applications.$receiptCode_.rate.ts", loader: rate.loader, path: `/applications/${rc}/rate`, params: { receiptCode: rc }, as: citizen },
    {
      file: "applications.$receiptCode_.receipt[.]pdf.ts",
      loader: receiptPdf.loader,
      path: `/applications/${rc}/receipt.pdf`,
      params: { receiptCode: rc },
      as: citizen,
    },
    {
      file: "applications.$receiptCode_.result[.]pdf.ts",
      loader: resultPdf.loader,
      path: `/applications/${rc}/result.pdf`,
      params: { receiptCode: rc },
      as: citizen,
    },
    {
      file: "applications.$receiptCode_.supplement.tsx",
      loader: supplement.loader,
      path: `/applications/${w.supplementDossier}/supplement`,
      params: { receiptCode: w.supplementDossier },
      as: citizen,
    },
    { file: "applications._index.tsx", loader: myApplications.loader, path: "/applications", params: {}, as: citizen },
    {
      file: "attachments.$id.ts",
      loader: citizenAttachment.loader,
      path: `/attachments/${w.attachmentId}`,
      params: { id: String(w.attachmentId) },
      as: citizen,
    },
    { file: "gateway.vnpay.pay.tsx", loader: gatewayPay.loader, path: "/gateway/vnpay/pay", params: {}, as: pub },
    { file: "gateway.vnpay.querydr.ts", loader: querydr.loader, path: "/gateway/vnpay/querydr", params: {}, as: pub },
    { file: "healthz.ts", loader: healthz.loader, path: "/healthz", params: {}, as: pub },
    { file: "auth.vneid.ts", loader: vneidStart.loader, path: "/auth/vneid", params: {}, as: pub },
    { file: "auth.vneid_.callback.tsx", loader: vneidCallback.loader, path: "/auth/vneid/callback", params: {}, as: pub },
    {
      file: "vneid-sim.interaction.$uid.tsx",
      loader: vneidSimPage.loader,
      path: "/vneid-sim/interaction/nosuchinteraction0001",
      params: { uid: "nosuchinteraction0001" },
      as: pub,
    },
    { file: "language.ts", loader: language.loader, path: "/language", params: {}, as: pub },
    { file: "login.tsx", loader: login.loader, path: "/login", params: {}, as: pub },
    { file: "login_.two-factor.tsx", loader: twoFactor.loader, path: "/login/two-factor", params: {}, as: officer },
    { file: "logout.ts", loader: logout.loader, path: "/logout", params: {}, as: pub },
    { file: "officer.$.tsx", loader: officerNotFound.loader, path: "/officer/khong-co", params: { "*": "khong-co" }, as: officer },
    { file: "officer.tsx", loader: officerArea.loader, path: "/officer", params: {}, as: officer },
    { file: "officer._index.tsx", loader: officerQueue.loader, path: "/officer", params: {}, as: officer },
    {
      file: "officer.attachments.$id.ts",
      loader: officerAttachment.loader,
      path: `/officer/attachments/${w.attachmentId}`,
      params: { id: String(w.attachmentId) },
      as: officer,
    },
    { file: "officer.dossiers.$receiptCode.tsx", loader: officerDossier.loader, path: `/officer/dossiers/${rc}`, params: { receiptCode: rc }, as: officer },
    {
      file: "officer.dossiers.$receiptCode_.$move.tsx",
      loader: confirmMove.loader,
      path: `/officer/dossiers/${rc}/issue-result`,
      params: { receiptCode: rc, move: "issue-result" },
      as: officer,
    },
    { file: "officer.intake._index.tsx", loader: intakeIndex.loader, path: "/officer/intake", params: {}, as: officer },
    { file: "officer.intake.form.tsx", loader: intakeForm.loader, path: "/officer/intake/form", params: {}, as: officer },
    { file: "payments.return.tsx", loader: paymentsReturn.loader, path: "/payments/return", params: {}, as: pub },
    { file: "post-sim.$trackingNumber.tsx", loader: postSim.loader, path: `/post-sim/${w.parcel}`, params: { trackingNumber: w.parcel }, as: pub },
    { file: "procedures.$code.tsx", loader: procedurePage.loader, path: `/procedures/${BIRTH_CODE}`, params: { code: BIRTH_CODE }, as: pub },
    { file: "procedures.$code_.apply.tsx", loader: apply.loader, path: `/procedures/${APPLY_CODE}/apply`, params: { code: APPLY_CODE }, as: citizen },
    {
      file: "procedures.$code_.apply_.check.tsx",
      loader: check.loader,
      path: `/procedures/${APPLY_CODE}/apply/check`,
      params: { code: APPLY_CODE },
      as: citizen,
    },
    {
      file: "procedures.$code_.apply_.exit.$exit.tsx",
      loader: applyExit.loader,
      path: `/procedures/1.004222/apply/exit/cho-o-khac`,
      params: { code: "1.004222", exit: "cho-o-khac" },
      as: citizen,
    },
    {
      file: "procedures.$code_.templates.$slug.ts",
      loader: template.loader,
      path: `/procedures/${BIRTH_CODE}/templates/${w.templateSlug}`,
      params: { code: BIRTH_CODE, slug: w.templateSlug },
      as: pub,
    },
    { file: "procedures._index.tsx", loader: catalog.loader, path: "/procedures", params: {}, as: pub },
    { file: "register.tsx", loader: register.loader, path: "/register", params: {}, as: pub },
    { file: "account._index.tsx", loader: accountPage.loader, path: "/account", params: {}, as: citizen },
    { file: "account.confirm.tsx", loader: accountConfirm.loader, path: "/account/confirm", params: {}, as: pub },
    { file: "account.documents.tsx", loader: accountDocuments.loader, path: "/account/documents", params: {}, as: citizen },
    { file: "account.businesses.tsx", loader: accountBusinesses.loader, path: "/account/businesses", params: {}, as: citizen },
    {
      file: "procedures.$code_.apply_.for.tsx",
      loader: applyFor.loader,
      path: `/procedures/${APPLY_CODE}/apply/for`,
      params: { code: APPLY_CODE },
      as: citizen,
    },
    {
      file: "strings.$asset.ts",
      loader: stringsScript.loader,
      path: "/strings/vi-citizen-000000000000.js",
      params: { asset: "vi-citizen-000000000000.js" },
      as: pub,
    },
    { file: "track.tsx", loader: track.loader, path: "/track", params: {}, as: pub },
    { file: "verify.tsx", loader: verify.loader, path: "/verify", params: {}, as: pub },
  ];
}

const BAD_PARAMS = ["../../etc/passwd", "..%2F..%2Fboot.ini", "\u0000", "A".repeat(5000), "1e309", "-1", "٠١٢٣", " ", "%FF%FE", "260101-AAAAAA-0"];

// ---------------------------------------------------------------------------------------------
// Sending, judging and counting.
type Violation = { route: string; who: Who; payload: string; problem: string };
const violations: Violation[] = [];
const tally = new Map<string, { requests: number; ms: number; byStatus: Map<number, number> }>();

function count(route: string, status: number, ms: number) {
  const row = tally.get(route) ?? { requests: 0, ms: 0, byStatus: new Map<number, number>() };
  row.requests += 1;
  row.ms += ms;
  row.byStatus.set(status, (row.byStatus.get(status) ?? 0) + 1);
  tally.set(route, row);
}

async function attempt(fn: RouteFn, request: Request, params: Record<string, string>): Promise<Outcome | { thrown: string }> {
  try {
    return await run(fn, request, params);
  } catch (error) {
    return { thrown: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
  }
}

/**
 * Sends one request and checks the answer. `draftOwner` is set for the application form: its
 * refused posts may save the draft (events form_started/draft_saved, and attachment_added for a
 * file the field accepts), never anything else.
 */
async function judge(input: {
  route: string;
  who: Who;
  label: string;
  fn: RouteFn;
  request: Request;
  params: Record<string, string>;
  savesDraft?: boolean;
  acceptableFile?: boolean;
}) {
  const before = await snapshot();
  const firstNewEvent = (await maxEventId()) + 1;
  const filesBefore = new Set(await storedFiles());
  const started = performance.now();
  const outcome = await attempt(input.fn, input.request, input.params);
  const ms = performance.now() - started;
  const where = { route: input.route, who: input.who, payload: input.label };
  if ("thrown" in outcome) {
    count(input.route, 500, ms);
    violations.push({ ...where, problem: `threw ${outcome.thrown}` });
    return;
  }
  count(input.route, outcome.status, ms);
  // A redirect never leaves the site (open redirect), however the request was forged. "Sign in with
  // VNeID" leaves by design, but only for the portal's own public address (its host, then the
  // provider's, which is the simulator on it here).
  const vneidHop = input.route === "auth.vneid.ts loader" && (outcome.location ?? "").startsWith(`${publicUrl(env())}/`);
  if (outcome.status >= 300 && outcome.status < 400 && !staysOnSite(outcome.location) && !vneidHop)
    violations.push({ ...where, problem: `redirects off the site: ${JSON.stringify(outcome.location)}` });
  if (outcome.status >= 500) violations.push({ ...where, problem: `answered ${outcome.status}: ${JSON.stringify(outcome.data).slice(0, 200)}` });
  if (outcome.status < 400) return;
  if (outcome.status < 500 && !hasMessage(outcome.data))
    violations.push({ ...where, problem: `${outcome.status} without a message: ${JSON.stringify(outcome.data).slice(0, 200)}` });
  const after = await snapshot();
  let diff = changed(before, after);
  if (input.savesDraft && diff.length > 0) {
    const events = await db()
      .select({ type: schema.dossierEvents.type, dossierId: schema.dossierEvents.dossierId })
      .from(schema.dossierEvents)
      .where(gt(schema.dossierEvents.id, firstNewEvent - 1));
    const allowed = new Set(["form_started", "draft_saved", ...(input.acceptableFile ? ["attachment_added"] : [])]);
    const drafts = new Set(
      (
        await db()
          .select({ id: schema.dossiers.id })
          .from(schema.dossiers)
          .where(and(eq(schema.dossiers.applicantId, w.citizen.id), eq(schema.dossiers.status, STATUS.draft)))
      ).map((d) => d.id),
    );
    const ownDraftSaves = events.every((e) => allowed.has(e.type) && e.dossierId !== null && drafts.has(e.dossierId));
    const attachmentsMatchFiles = (after.attachments ?? 0) - (before.attachments ?? 0) === (after["storage.files"] ?? 0) - (before["storage.files"] ?? 0);
    if (ownDraftSaves && attachmentsMatchFiles) {
      const draftKeys = new Set([
        "dossiers",
        "dossier_events",
        "daily_counts.total",
        "dossiers.versions",
        "daily_counts",
        ...(input.acceptableFile ? ["attachments", "storage.files"] : []),
      ]);
      diff = diff.filter((k) => !draftKeys.has(k));
    }
  }
  if (diff.length > 0) violations.push({ ...where, problem: `${outcome.status} but wrote: ${diff.map((k) => `${k} ${before[k]}→${after[k]}`).join(", ")}` });
  const leftover = (await storedFiles()).filter((f) => !filesBefore.has(f));
  if (leftover.length > 0 && !(input.savesDraft && input.acceptableFile))
    violations.push({ ...where, problem: `${outcome.status} but left ${leftover.length} file(s) in STORAGE_DIR` });
}

function actionRequest(t: ActionTarget, who: Who, p: Payload, pathname = t.path): Request {
  const headers: Record<string, string> = {};
  const cookie = w.cookies[who];
  if (cookie) headers.Cookie = cookie;
  if (p.contentType) headers["Content-Type"] = p.contentType;
  return new Request(`http://localhost${pathname}`, { method: "POST", headers, body: new Uint8Array(p.body) });
}

function loaderRequest(t: LoaderTarget, who: Who, query: string, pathname = t.path): Request {
  const url = `${pathname}${pathname.includes("?") ? query.replace(/^\?/, "&") : query}`;
  return get(url, w.cookies[who]);
}

// Routes are found on disk: a new form action or API that is not in the lists above fails here.
const ROUTES_DIR = path.resolve("app/routes");
const routeFiles = readdirSync(ROUTES_DIR).filter((f) => /\.(ts|tsx)$/.test(f) && !f.endsWith(".test.ts"));
const exportsOf = (file: string, name: string) =>
  new RegExp(`export (async )?function ${name}\\b|export const ${name}\\b`).test(readFileSync(path.join(ROUTES_DIR, file), "utf8"));

describe("bad input to every form action and API", () => {
  it("lists every route module that has an action or a loader", async () => {
    const actions = routeFiles.filter((f) => exportsOf(f, "action")).sort();
    const loaders = routeFiles.filter((f) => exportsOf(f, "loader")).sort();
    expect((await actionTargets()).map((t) => t.file).sort()).toEqual(actions);
    expect(
      loaderTargets()
        .map((t) => t.file)
        .sort(),
    ).toEqual(loaders);
    // Every API route (api.v1.*) is among the loaders fuzzed below.
    expect(routeFiles.filter((f) => f.startsWith("api.v1.")).every((f) => loaders.includes(f))).toBe(true);
  });

  const groups: { title: string; files: (f: string) => boolean }[] = [
    { title: "public forms (sign-in, register, track, verify, simulators)", files: (f) => !/^(officer|admin|applications|procedures)/.test(f) },
    { title: "citizen forms (apply, check, pay, rate, supplement)", files: (f) => /^(applications|procedures)/.test(f) },
    { title: "officer forms (dossier actions, counter intake)", files: (f) => f.startsWith("officer") },
    // Last: an administrator's garbage that happens to be valid (a new account, new settings) must not disturb the others.
    { title: "administration forms (users, procedures, reported figures)", files: (f) => f.startsWith("admin") },
  ];
  for (const group of groups) {
    it(`never answers 5xx, explains every 4xx and writes nothing on a 4xx: ${group.title}`, async () => {
      for (const t of (await actionTargets()).filter((x) => group.files(x.file))) {
        const payloads = t.costly ? sample(payloadsFor(t), 3) : payloadsFor(t);
        for (const who of t.as) {
          for (const p of payloads) {
            await judge({
              route: `${t.file} action`,
              who,
              label: `${p.category}: ${p.label}`,
              fn: t.action,
              request: actionRequest(t, who, p),
              params: t.params,
              savesDraft: t.savesDraft && who === "citizen",
              acceptableFile: p.acceptableFile,
            });
          }
          // The route's own parameter, broken, with a plausible body.
          if (t.badParams) {
            const key = t.badParams;
            for (const bad of BAD_PARAMS) {
              const p = urlencoded("param", `${key}=${bad.slice(0, 20)}`, t.base);
              await judge({
                route: `${t.file} action`,
                who,
                label: p.label,
                fn: t.action,
                request: actionRequest(t, who, p, t.path.replace(t.params[key] ?? "", encodeURIComponent(bad))),
                params: { ...t.params, [key]: bad },
              });
            }
          }
        }
      }
      expect(violations.filter((v) => v.route.endsWith(" action") && group.files(v.route))).toEqual([]);
    }, 120_000);
  }

  it("never answers 5xx to garbage query strings, on every loader (the API ones included)", async () => {
    for (const t of loaderTargets()) {
      // The whole battery where the query is read (every API, lists, filters); a sample elsewhere.
      const readsQuery = t.file.startsWith("api.") || readFileSync(path.join(ROUTES_DIR, t.file), "utf8").includes("searchParams");
      const queries = readsQuery
        ? [...GARBAGE_QUERIES, ...Array.from({ length: 6 }, randomQuery)]
        : [pick(GARBAGE_QUERIES), pick(GARBAGE_QUERIES), randomQuery()];
      for (const who of t.as) {
        for (const q of queries)
          await judge({ route: `${t.file} loader`, who, label: `query ${q.slice(0, 60)}`, fn: t.loader, request: loaderRequest(t, who, q), params: t.params });
      }
    }
    expect(violations.filter((v) => v.route.endsWith(" loader"))).toEqual([]);
  }, 120_000);

  // Found by this test: these actions read their body with request.formData(), whose TypeError on a
  // body that is not a form became a 500. They now answer 400 with a message (requireFormData).
  it("answers 400 with a message when a plain form action gets a body that is not a form (regression)", async () => {
    const fixed = [
      "admin.procedures.$code.tsx",
      "admin.users.tsx",
      "applications.$receiptCode_.rate.ts",
      "gateway.vnpay.pay.tsx",
      "language.ts",
      "login.tsx",
      "officer.dossiers.$receiptCode.tsx",
      "post-sim.$trackingNumber.tsx",
      "procedures.$code_.apply_.check.tsx",
      "register.tsx",
      "track.tsx",
    ];
    const bodies: Payload[] = [
      { category: "content-type", label: "JSON", contentType: "application/json", body: enc.encode('{"email":"a@b.vn"}'), acceptableFile: false },
      {
        category: "truncated",
        label: "truncated multipart",
        contentType: `multipart/form-data; boundary=${BOUNDARY}`,
        body: enc.encode(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="x"\r\n\r\nhalf`),
        acceptableFile: false,
      },
    ];
    const targets = (await actionTargets()).filter((t) => fixed.includes(t.file));
    expect(targets).toHaveLength(fixed.length);
    for (const t of targets) {
      const who = t.as.at(-1) ?? "anonymous";
      for (const body of bodies) {
        const before = await snapshot();
        const res = await run(t.action, actionRequest(t, who, body), t.params);
        expect({ route: t.file, body: body.label, status: res.status, data: res.data }).toEqual({
          route: t.file,
          body: body.label,
          status: 400,
          data: "Bad Request: the request body is not a form",
        });
        expect(changed(before, await snapshot())).toEqual([]);
      }
    }
  });

  it("stores no refused callback, however large: a stranger's query is only counted (issue 11)", async () => {
    const [last] = await db()
      .select({ id: asNumber(sql`coalesce(max(${schema.paymentCallbacks.id}), 0)`) })
      .from(schema.paymentCallbacks);
    const first = last?.id ?? 0;
    const counted = async () => {
      const [row] = await db()
        .select({ n: asNumber(sql`coalesce(sum(${schema.paymentCallbackRefusals.count}), 0)`) })
        .from(schema.paymentCallbackRefusals);
      return row?.n ?? 0;
    };
    const countedBefore = await counted();
    const junk = [`?vnp_TxnRef=${"x".repeat(64 * 1024)}&q=${"y".repeat(64 * 1024)}`, `?${Array.from({ length: 1000 }, (_, i) => `vnp_K${i}=${i}`).join("&")}`];
    for (const q of junk) {
      expect((await run(apiIpn.loader, get(`/api/v1/payments/ipn${q}`))).data).toMatchObject({ RspCode: "99" });
      expect((await run(paymentsReturn.loader, get(`/payments/return${q}`))).status).toBe(400);
    }
    const rows = await db().select({ params: schema.paymentCallbacks.params }).from(schema.paymentCallbacks).where(gt(schema.paymentCallbacks.id, first));
    expect(rows).toHaveLength(0);
    expect((await counted()) - countedBefore).toBe(4);
    const reasons = (await db().select({ reason: schema.paymentCallbackRefusals.reason }).from(schema.paymentCallbackRefusals)).map((r) => r.reason);
    expect(reasons.every((r) => typeof r === "string" && r.length <= 20)).toBe(true);
  });

  it("gives no privilege through extra fields: a registration with role=system_admin makes a citizen, and no administrator appears", async () => {
    // The register battery's "extra" payload is a valid registration plus role=system_admin, status, applicantId…
    const registered = await db().select({ role: schema.users.role }).from(schema.users).where(eq(schema.users.email, "moi@example.vn"));
    expect(registered).toEqual([{ role: "citizen" }]);
    const admins = (await db().select({ email: schema.users.email }).from(schema.users).where(eq(schema.users.role, "system_admin"))).map((u) => u.email);
    expect(admins.sort()).toEqual(["quan.tri@example.vn", w.admin.email].sort());
  });

  it("keeps every stored upload under a random key, with a display name that cannot climb folders", async () => {
    const rows = await db().select({ storageKey: schema.attachments.storageKey, fileName: schema.attachments.fileName }).from(schema.attachments);
    for (const row of rows) {
      expect(row.storageKey).toMatch(/^[A-Za-z0-9_-]{32}$/);
      // eslint-disable-next-line no-control-regex -- control characters are exactly what is looked for
      expect(row.fileName).not.toMatch(/[\\/\u0000-\u001f]|^\./);
    }
    // Every file in storage belongs to a row, and every row has its file: nothing orphaned by a refused post.
    expect(new Set(await storedFiles())).toEqual(new Set(rows.map((r) => r.storageKey)));
  });
});

afterAll(() => {
  // The summary: routes × payloads, and what they answered.
  const lines = [...tally.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(
      ([route, r]) =>
        `  ${route.padEnd(66)} ${String(r.requests).padStart(5)} ${String(Math.round(r.ms)).padStart(6)} ms  ${[...r.byStatus.entries()]
          .sort(([a], [b]) => a - b)
          .map(([s, n]) => `${s}×${n}`)
          .join(" ")}`,
    );
  const total = [...tally.values()].reduce((n, r) => n + r.requests, 0);
  // Violations grouped by route and kind of problem, with one example each.
  const kinds = new Map<string, { n: number; example: Violation }>();
  for (const v of violations) {
    const key = `${v.route}: ${v.problem.replace(/\d+/g, "#").slice(0, 90)}`;
    const k = kinds.get(key) ?? { n: 0, example: v };
    k.n += 1;
    kinds.set(key, k);
  }
  const grouped = [...kinds.entries()].map(
    ([key, k]) => `  ${k.n}× ${key}\n      e.g. [${k.example.who}] ${k.example.payload}: ${k.example.problem.slice(0, 200)}`,
  );
  console.log(
    `fuzz (seed ${SEED}): ${tally.size} route functions, ${total} requests\n${lines.join("\n")}\n${violations.length} violation(s)${grouped.length ? `:\n${grouped.join("\n")}` : ""}`,
  );
});
