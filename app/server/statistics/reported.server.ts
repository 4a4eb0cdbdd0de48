import { desc, eq, inArray, sql } from "drizzle-orm";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { schema } from "../platform/schema.server";
import { vnDate } from "../../core/calendar/working-days";
import { toCsv } from "../../core/statistics/csv";
import {
  agencyNameKey,
  compareReported,
  differenceDecimal,
  importSummaryOf,
  parseReportedCsv,
  percentOf,
  recomputedDecimal,
  REPORTED_KINDS,
  toleranceDecimal,
  ReportedImportSummarySchema,
  type ReportedComparison,
  type ReportedCsvError,
  type ReportedImportSummary,
  type ReportedKind,
} from "../../core/statistics/reported";
import { slugify } from "../../core/text/fold";
import type { Language } from "../../i18n";
import { pickLang } from "../../utils/format";
import { db, inTransaction } from "../platform/db.server";
import { recordEvent } from "./events.server";
import { getTFor } from "../platform/i18n.server";
import type { SessionUser } from "../auth/session.server";
import { withinAgency } from "../staff/agency-scope.server";
import { countAll, countWhere } from "../platform/dialect.server";

/** The appendix of letter 929/BTTTT-THH (2019), bundled with the seed data. */
const APPENDIX_FILE = path.resolve("db/seed-data/level4-share-2019.csv");

export function readBundledAppendix(): Uint8Array {
  return new Uint8Array(readFileSync(APPENDIX_FILE));
}

/** What the portal's own catalog says about an agency in the file: its subtree's procedures today. */
export type PortalFigures = {
  code: string;
  nameVi: string;
  nameEn: string | null;
  /** How the row found it: by name (prefixes and tone marks aside) or, for a renamed agency, by its code. */
  matchedBy: "name" | "code";
  dissolvedOn: string | null;
  successor: { nameVi: string; nameEn: string | null } | null;
  procedures: number;
  level4: number;
  share: number | null;
};

type Candidate = {
  id: number;
  code: string;
  kind: ReportedKind;
  nameVi: string;
  nameEn: string | null;
  path: string;
  dissolvedOn: string | null;
  successorId: number | null;
};

/**
 * Finds each reported agency among the portal's ministries and provinces, dissolved ones included
 * (the 2025 reorganisation keeps them, with their successor), and counts the procedures of its
 * subtree. A name is matched by `agencyNameKey` ("TP Hồ Chí Minh" = "Thành phố Hồ Chí Minh"); an
 * agency renamed since (Thừa Thiên-Huế → Thành phố Huế) is still found by its code, which the seed
 * made from the name it had in the appendix. The catalog is public, so no scope applies.
 */
export async function portalFiguresFor(rows: readonly { kind: ReportedKind; agency: string }[]): Promise<(PortalFigures | null)[]> {
  const listed = await db()
    .select({
      id: schema.agencies.id,
      code: schema.agencies.code,
      kind: schema.agencies.kind,
      nameVi: schema.agencies.nameVi,
      nameEn: schema.agencies.nameEn,
      path: schema.agencies.path,
      dissolvedOn: schema.agencies.dissolvedOn,
      successorId: schema.agencies.successorId,
    })
    .from(schema.agencies)
    .where(inArray(schema.agencies.kind, [...REPORTED_KINDS]));
  const agencies: Candidate[] = listed.flatMap((a) => (a.kind === "ministry" || a.kind === "province" ? [{ ...a, kind: a.kind }] : []));
  const byId = new Map(agencies.map((a) => [a.id, a]));
  // A current agency before a dissolved one of the same name, then the oldest.
  const ordered = [...agencies].sort((a, b) => Number(a.dissolvedOn !== null) - Number(b.dissolvedOn !== null) || a.id - b.id);
  const byName = new Map<string, Candidate>();
  const byCode = new Map<string, Candidate>();
  for (const a of ordered) {
    const nameKey = `${a.kind}:${agencyNameKey(a.nameVi)}`;
    if (!byName.has(nameKey)) byName.set(nameKey, a);
    byCode.set(`${a.kind}:${a.code}`, a);
  }

  const counted = new Map<number, { procedures: number; level4: number }>();
  const countsOf = async (agency: Candidate) => {
    const known = counted.get(agency.id);
    if (known) return known;
    const [row] = await db()
      .select({ procedures: countAll(), level4: countWhere(sql`${schema.procedures.level} = 4`) })
      .from(schema.procedures)
      .innerJoin(schema.agencies, eq(schema.agencies.id, schema.procedures.agencyId))
      .where(withinAgency(agency.path));
    const counts = { procedures: row?.procedures ?? 0, level4: row?.level4 ?? 0 };
    counted.set(agency.id, counts);
    return counts;
  };

  // One row after the other: two rows naming the same agency count its subtree once.
  const figures: (PortalFigures | null)[] = [];
  for (const { kind, agency: name } of rows) {
    const byNameMatch = byName.get(`${kind}:${agencyNameKey(name)}`);
    const agency = byNameMatch ?? byCode.get(`${kind}:${slugify(name)}`);
    if (!agency) {
      figures.push(null);
      continue;
    }
    const successor = agency.successorId === null ? undefined : byId.get(agency.successorId);
    const { procedures, level4 } = await countsOf(agency);
    figures.push({
      code: agency.code,
      nameVi: agency.nameVi,
      nameEn: agency.nameEn,
      matchedBy: byNameMatch ? "name" : "code",
      dissolvedOn: agency.dissolvedOn,
      successor: successor ? { nameVi: successor.nameVi, nameEn: successor.nameEn } : null,
      procedures,
      level4,
      share: percentOf(level4, procedures),
    });
  }
  return figures;
}

export type ReportedOutcome =
  | { ok: true; comparison: ReportedComparison; portal: (PortalFigures | null)[]; matched: number }
  | { ok: false; errors: ReportedCsvError[]; errorCount: number };

/**
 * The whole check of one file: parse (all or nothing), compare with the recomputed ratios, and set
 * the portal's measured figures beside each row. Pure reading: importReportedFile keeps the file.
 */
export async function compareReportedFile(input: { bytes: Uint8Array; targetPercent: number }): Promise<ReportedOutcome> {
  const parsed = parseReportedCsv(input.bytes);
  if (!parsed.ok) return parsed;
  const comparison = compareReported(parsed.rows, { targetPercent: input.targetPercent });
  const portal = await portalFiguresFor(parsed.rows);
  return { ok: true, comparison, portal, matched: portal.filter((p) => p !== null).length };
}

// ── Imports: each checked file is kept, to be opened again and linked ─────────────────────────────

export const REPORTED_IMPORTS_PAGE_SIZE = 20;

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");
/** Targets have at most 2 decimals (ReportedFormSchema): kept exactly, in hundredths of a percent. */
const hundredthsOf = (percent: number) => Math.round(percent * 100);

export type ImportOutcome = { ok: true; id: number } | { ok: false; errors: ReportedCsvError[]; errorCount: number };

/**
 * Checks a file and, when it is valid, keeps it with who imported it, when, its SHA-256 and the
 * summary shown — in one transaction with its event. A file with errors is not kept: nothing was imported.
 */
export async function importReportedFile(input: {
  user: SessionUser;
  source: "file" | "appendix";
  fileName: string;
  bytes: Uint8Array;
  targetPercent: number;
}): Promise<ImportOutcome> {
  const outcome = await compareReportedFile({ bytes: input.bytes, targetPercent: input.targetPercent });
  if (!outcome.ok) return outcome;
  const summary = importSummaryOf(outcome.comparison, outcome.matched);
  const fileSha256 = sha256(input.bytes);
  return inTransaction(async (tx) => {
    const [row] = await tx
      .insert(schema.reportedImports)
      .values({
        userId: input.user.id,
        source: input.source,
        fileName: input.fileName,
        fileSha256,
        content: Buffer.from(input.bytes),
        targetHundredths: hundredthsOf(input.targetPercent),
        summary,
      })
      .returning({ id: schema.reportedImports.id });
    if (!row) throw new Error("the new import's row was not returned");
    await recordEvent(tx, {
      type: "reported_imported",
      actorId: input.user.id,
      actorRole: input.user.role,
      agencyId: input.user.agencyId,
      data: {
        importId: row.id,
        fileName: input.fileName,
        sha256: fileSha256,
        rows: summary.rows,
        verdictChanged: summary.verdictChanged.map((r) => r.agency).join("; "),
      },
    });
    return { ok: true as const, id: row.id };
  });
}

const importColumns = {
  id: schema.reportedImports.id,
  createdAt: schema.reportedImports.createdAt,
  source: schema.reportedImports.source,
  fileName: schema.reportedImports.fileName,
  fileSha256: schema.reportedImports.fileSha256,
  targetHundredths: schema.reportedImports.targetHundredths,
  summary: schema.reportedImports.summary,
  importedBy: schema.users.fullName,
};

type ImportHeader = {
  id: number;
  createdAt: Date;
  source: "file" | "appendix";
  fileName: string;
  fileSha256: string;
  targetPercent: number;
  summary: ReportedImportSummary;
  importedBy: string;
};

const headerOf = ({
  targetHundredths,
  summary,
  ...row
}: { targetHundredths: number; summary: unknown } & Omit<ImportHeader, "targetPercent" | "summary">): ImportHeader => ({
  ...row,
  targetPercent: targetHundredths / 100,
  summary: ReportedImportSummarySchema.parse(summary),
});

/**
 * Past imports, newest first. The figures are the ministries' and provinces' own reports against
 * the public catalog, national by nature: every statistics reader sees every import, so a link to one
 * can be shared (docs/decisions/015-reported-imports.md).
 */
export async function listReportedImports(input: { page: number }) {
  const [counted] = await db().select({ n: countAll() }).from(schema.reportedImports);
  const total = counted?.n ?? 0;
  const pageCount = Math.ceil(total / REPORTED_IMPORTS_PAGE_SIZE);
  const page = Math.min(Math.max(input.page, 1), Math.max(pageCount, 1));
  const items = (
    await db()
      .select(importColumns)
      .from(schema.reportedImports)
      .innerJoin(schema.users, eq(schema.users.id, schema.reportedImports.userId))
      .orderBy(desc(schema.reportedImports.id))
      .limit(REPORTED_IMPORTS_PAGE_SIZE)
      .offset((page - 1) * REPORTED_IMPORTS_PAGE_SIZE)
  ).map(headerOf);
  return { items, total, page, pageCount };
}

export type ReportedImport = ImportHeader & ({ ok: true; comparison: ReportedComparison; portal: (PortalFigures | null)[]; matched: number } | { ok: false });

/**
 * One import as it can be opened again: its record and the comparison recomputed from the kept file
 * at the kept target (the portal's figures are today's catalog). Undefined when there is no such import.
 * `ok: false` only if the kept file no longer passes a check made stricter since: the summary kept then stays shown.
 */
export async function getReportedImport(id: number): Promise<ReportedImport | undefined> {
  const [row] = await db()
    .select({ ...importColumns, content: schema.reportedImports.content })
    .from(schema.reportedImports)
    .innerJoin(schema.users, eq(schema.users.id, schema.reportedImports.userId))
    .where(eq(schema.reportedImports.id, id))
    .limit(1);
  if (!row) return undefined;
  const { content, ...rest } = row;
  const header = headerOf(rest);
  const outcome = await compareReportedFile({ bytes: new Uint8Array(content), targetPercent: header.targetPercent });
  if (!outcome.ok) return { ...header, ok: false };
  return { ...header, ok: true, comparison: outcome.comparison, portal: outcome.portal, matched: outcome.matched };
}

/**
 * The comparison of one import as CSV (UTF-8 with BOM, CRLF, formula-safe cells: core/statistics/csv):
 * one line per agency, machine numbers (a dot for decimals), exact to 4 decimals, headers in the
 * reader's language. Undefined when there is no such import (or its file no longer reads).
 */
export async function exportReportedImportCsv(input: { id: number; lang: Language }): Promise<{ filename: string; csv: string } | undefined> {
  const found = await getReportedImport(input.id);
  if (!found?.ok) return undefined;
  const t = await getTFor(input.lang);
  const yesNo = (value: boolean) => t(value ? "reported.export.yes" : "reported.export.no");
  const header = [
    "line",
    "kind",
    "no",
    "agency",
    "total_procedures",
    "level4_services",
    "level4_share_reported",
    "recomputed_percent",
    "difference_pp",
    "rounding_tolerance_pp",
    "beyond_rounding",
    "meets_target_reported",
    "meets_target_recomputed",
    "verdict_changed",
    "portal_agency_code",
    "portal_agency_name",
    "portal_procedures",
    "portal_level4",
    "portal_level4_percent",
  ].map((column) => t(`reported.export.columns.${column}`));
  const rows = found.comparison.rows.map((r, i) => {
    const p = found.portal[i] ?? null;
    return [
      String(r.row),
      t(`reported.group_${r.kind}`),
      r.no === null ? "" : String(r.no),
      r.agency,
      String(r.total),
      String(r.level4),
      r.reported.text,
      recomputedDecimal(r),
      differenceDecimal(r),
      toleranceDecimal(r.reported.decimals),
      yesNo(r.flagged),
      yesNo(r.meetsTarget.reported),
      yesNo(r.meetsTarget.recomputed),
      yesNo(r.verdictChanged),
      p?.code ?? "",
      p ? pickLang(p.nameVi, p.nameEn, input.lang) : "",
      p ? String(p.procedures) : "",
      p ? String(p.level4) : "",
      p && p.procedures > 0 ? recomputedDecimal({ level4: p.level4, total: p.procedures }) : "",
    ];
  });
  const day = vnDate(found.createdAt);
  return { filename: `doi-chieu-so-lieu-bao-cao-${found.id}-${day}.csv`, csv: toCsv([header, ...rows]) };
}
