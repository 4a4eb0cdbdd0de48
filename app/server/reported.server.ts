import { eq, inArray, sql } from "drizzle-orm";
import { readFileSync } from "node:fs";
import path from "node:path";
import * as schema from "../../db/schema";
import { agencyNameKey, compareReported, parseReportedCsv, percentOf, REPORTED_KINDS, type ReportedComparison, type ReportedCsvError, type ReportedKind } from "../core/statistics/reported";
import { slugify } from "../core/text/fold";
import { db } from "./db.server";

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

type Candidate = { id: number; code: string; kind: ReportedKind; nameVi: string; nameEn: string | null; path: string; dissolvedOn: string | null; successorId: number | null };

/**
 * Finds each reported agency among the portal's ministries and provinces, dissolved ones included
 * (the 2025 reorganisation keeps them, with their successor), and counts the procedures of its
 * subtree. A name is matched by `agencyNameKey` ("TP Hồ Chí Minh" = "Thành phố Hồ Chí Minh"); an
 * agency renamed since (Thừa Thiên-Huế → Thành phố Huế) is still found by its code, which the seed
 * made from the name it had in the appendix. The catalog is public, so no scope applies.
 */
export function portalFiguresFor(rows: readonly { kind: ReportedKind; agency: string }[]): (PortalFigures | null)[] {
  const agencies: Candidate[] = db()
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
    .where(inArray(schema.agencies.kind, [...REPORTED_KINDS]))
    .all()
    .flatMap((a) => (a.kind === "ministry" || a.kind === "province" ? [{ ...a, kind: a.kind }] : []));
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
  const countsOf = (agency: Candidate) => {
    const known = counted.get(agency.id);
    if (known) return known;
    const row = db()
      .select({ procedures: sql<number>`count(*)`, level4: sql<number>`coalesce(sum(${schema.procedures.level} = 4), 0)` })
      .from(schema.procedures)
      .innerJoin(schema.agencies, eq(schema.agencies.id, schema.procedures.agencyId))
      .where(sql`${schema.agencies.path} glob ${`${agency.path}*`}`)
      .get();
    const counts = { procedures: row?.procedures ?? 0, level4: row?.level4 ?? 0 };
    counted.set(agency.id, counts);
    return counts;
  };

  return rows.map(({ kind, agency: name }) => {
    const byNameMatch = byName.get(`${kind}:${agencyNameKey(name)}`);
    const agency = byNameMatch ?? byCode.get(`${kind}:${slugify(name)}`);
    if (!agency) return null;
    const successor = agency.successorId === null ? undefined : byId.get(agency.successorId);
    const { procedures, level4 } = countsOf(agency);
    return {
      code: agency.code,
      nameVi: agency.nameVi,
      nameEn: agency.nameEn,
      matchedBy: byNameMatch ? "name" : "code",
      dissolvedOn: agency.dissolvedOn,
      successor: successor ? { nameVi: successor.nameVi, nameEn: successor.nameEn } : null,
      procedures,
      level4,
      share: percentOf(level4, procedures),
    };
  });
}

export type ReportedOutcome =
  | { ok: true; comparison: ReportedComparison; portal: (PortalFigures | null)[]; matched: number }
  | { ok: false; errors: ReportedCsvError[]; errorCount: number };

/**
 * The whole check of one file: parse (all or nothing), compare with the recomputed ratios, and set
 * the portal's measured figures beside each row. Nothing is stored: the result is shown once.
 */
export function compareReportedFile(input: { bytes: Uint8Array; targetPercent: number }): ReportedOutcome {
  const parsed = parseReportedCsv(input.bytes);
  if (!parsed.ok) return parsed;
  const comparison = compareReported(parsed.rows, { targetPercent: input.targetPercent });
  const portal = portalFiguresFor(parsed.rows);
  return { ok: true, comparison, portal, matched: portal.filter((p) => p !== null).length };
}
