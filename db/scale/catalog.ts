/**
 * The national-size catalog of the scale database: the 2019 appendix's 125,336 procedures over
 * its 83 ministries and provinces, each with exactly its reported number of level-4 procedures.
 * The seeded real procedures are part of the count (their agency's subtree gets that many fewer
 * synthetic ones), so the catalog figures of the dashboard reproduce the appendix.
 */
import * as z from "zod";
import { ProcedureDetailsSchema } from "../../app/core/catalog/procedure";
import { FormDefinitionSchema } from "../../app/core/forms/definition";
import type { Db } from "../../app/server/platform/db.server";
import { procedureFacets, procedureSearchRow } from "../../app/server/catalog/search-index.server";
import { Random, WeightedIndex, zipfWeights } from "./random";

/** Synthetic procedure codes: "S.000001"… — never a national code (those are digit.digits). */
export const SYNTHETIC_CODE_PREFIX = "S.";
export const syntheticCode = (n: number) => `${SYNTHETIC_CODE_PREFIX}${String(n).padStart(6, "0")}`;

export type LevelCounts = [level1: number, level2: number, level3: number, level4: number];

/**
 * Hamilton's largest-remainder apportionment: `total` seats over the weights, each share the floor
 * of its quota plus one for the largest remainders (ties to the earlier entry). Sums to `total`.
 */
export function apportion(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((s, w) => s + w, 0);
  if (sum <= 0) throw new RangeError("apportion over zero weight");
  const quotas = weights.map((w) => (total * w) / sum);
  const seats = quotas.map(Math.floor);
  const left = total - seats.reduce((s, n) => s + n, 0);
  const order = quotas.map((q, i) => ({ i, rest: q - Math.floor(q) })).sort((x, y) => y.rest - x.rest || x.i - y.i);
  for (let k = 0; k < left; k += 1) {
    const entry = order[k];
    if (entry) seats[entry.i] = (seats[entry.i] ?? 0) + 1;
  }
  return seats;
}

export type ReportedAgency = { code: string; totalProcedures: number; level4Services: number };

export type AgencyPlan = {
  code: string;
  /** What the agency's subtree holds once generated (seeded + synthetic). */
  total: number;
  level4: number;
  /** The synthetic procedures to add, per level. */
  synthetic: LevelCounts;
  /** True when a scaled-down target was below what the seed already holds (the seed is kept). */
  clamped: boolean;
};

/**
 * How many procedures each agency gets. `totalProcedures` defaults to the appendix's sum, in which
 * case every agency gets exactly its reported total and level-4 count. Scaled down (for tests), an
 * agency gets its share of the total (largest remainder) and round(share × level-4 ÷ total) at
 * level 4; the rest is split over levels 1–3 with a per-agency mix drawn from `random`
 * (level 3 15–35 %, level 1 15–30 %, level 2 the remainder, so always the largest, of what is not level 4).
 */
export function planCatalog(input: {
  reported: readonly ReportedAgency[];
  totalProcedures?: number;
  seeded: ReadonlyMap<string, LevelCounts>;
  random: Random;
}): AgencyPlan[] {
  const reportedTotal = input.reported.reduce((s, r) => s + r.totalProcedures, 0);
  const total = input.totalProcedures ?? reportedTotal;
  const exact = total === reportedTotal;
  const shares = exact
    ? input.reported.map((r) => r.totalProcedures)
    : apportion(
        total,
        input.reported.map((r) => r.totalProcedures),
      );
  return input.reported.map((r, i) => {
    const share = shares[i] ?? 0;
    const level4Target = r.totalProcedures === 0 ? 0 : Math.round((share * r.level4Services) / r.totalProcedures);
    const seeded = input.seeded.get(r.code) ?? [0, 0, 0, 0];
    const seededOther = seeded[0] + seeded[1] + seeded[2];
    const level4 = Math.max(level4Target, seeded[3]);
    const other = Math.max(share - level4Target, seededOther);
    const clamped = level4 !== level4Target || other !== share - level4Target;
    if (clamped && exact) throw new Error(`the seed holds more procedures for ${r.code} than the appendix reports`);
    // Draw the mix even when unused so one agency's numbers do not shift the next agency's.
    const share3 = input.random.between(0.15, 0.35);
    const share1 = input.random.between(0.15, 0.3);
    const target3 = Math.round(other * share3);
    const target1 = Math.round(other * share1);
    const target2 = other - target3 - target1;
    const synthetic: LevelCounts = [Math.max(0, target1 - seeded[0]), Math.max(0, target2 - seeded[1]), Math.max(0, target3 - seeded[2]), level4 - seeded[3]];
    // A level the seed over-fills is absorbed by the other levels, largest first, so the total holds.
    let excess = synthetic[0] + synthetic[1] + synthetic[2] - (other - seededOther);
    while (excess > 0) {
      const largest = synthetic[1] >= synthetic[0] && synthetic[1] >= synthetic[2] ? 1 : synthetic[0] >= synthetic[2] ? 0 : 2;
      synthetic[largest] -= 1;
      excess -= 1;
    }
    return { code: r.code, total: level4 + other, level4, synthetic, clamped };
  });
}

// ── What a synthetic procedure looks like ───────────────────────────────────────────────────────

const ACTIONS: readonly [string, string][] = [
  ["Cấp", "Issue"],
  ["Cấp lại", "Reissue"],
  ["Cấp đổi", "Replace"],
  ["Gia hạn", "Renew"],
  ["Điều chỉnh", "Amend"],
  ["Đăng ký", "Register"],
  ["Thẩm định", "Appraise"],
  ["Công nhận", "Recognise"],
  ["Xác nhận", "Certify"],
  ["Phê duyệt", "Approve"],
  ["Thông báo", "Notify"],
  ["Thu hồi", "Revoke"],
];
const OBJECTS: readonly [string, string][] = [
  ["giấy phép", "a licence"],
  ["chứng chỉ hành nghề", "a practising certificate"],
  ["giấy chứng nhận đủ điều kiện", "a certificate of eligibility"],
  ["văn bản chấp thuận", "a written approval"],
  ["đăng ký hoạt động", "an operating registration"],
  ["phương án", "a plan"],
  ["hồ sơ công nhận", "a recognition file"],
  ["thay đổi thông tin", "a change of details"],
];
const PROCESSING_DAYS = [0, 1, 2, 3, 5, 7, 10, 12, 15, 20, 30] as const;
const PROCESSING_WEIGHTS = [2, 6, 6, 10, 16, 14, 18, 6, 12, 6, 4];
const FEES = [10_000, 20_000, 30_000, 50_000, 100_000, 150_000, 200_000, 500_000, 1_000_000] as const;
const FEE_WEIGHTS = [8, 10, 6, 14, 16, 6, 10, 6, 3];

/** The same minimal details for every synthetic procedure, checked against the app's schema once. */
function syntheticDetails(withTemplate: boolean): string {
  const details = ProcedureDetailsSchema.parse({
    summary: {
      vi: "Thủ tục tổng hợp dùng để thử tải cổng dịch vụ công; không phải thủ tục thật.",
      en: "A synthetic procedure for load-testing the portal; not a real procedure.",
    },
    applicants: { vi: "Tổ chức, cá nhân (dữ liệu thử tải).", en: "Organisations and individuals (load-test data)." },
    result: { vi: "Văn bản giải quyết (dữ liệu thử tải).", en: "A decision (load-test data)." },
    documents: [{ name: { vi: "Đơn đề nghị theo mẫu", en: "Application form" }, copies: 1, original: true }],
    legalBasis: ["Dữ liệu thử tải — không có căn cứ pháp lý"],
    templates: withTemplate
      ? [
          {
            slug: "don-de-nghi-thu-tai",
            title: { vi: "Đơn đề nghị (mẫu thử tải)", en: "Application (load-test template)" },
            lines: ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "ĐƠN ĐỀ NGHỊ", "Họ và tên: …", "Nội dung đề nghị: …"],
          },
        ]
      : [],
  });
  return JSON.stringify(details);
}

/** The online form every synthetic level-3/4 procedure offers (version 1), so /apply works on it. */
export const SYNTHETIC_FORM = FormDefinitionSchema.parse({
  version: 1,
  sections: [
    {
      title: { vi: "Thông tin người nộp", en: "Applicant" },
      fields: [
        { name: "applicant_name", type: "text", label: { vi: "Họ, chữ đệm và tên", en: "Full name" }, minLength: 2, maxLength: 100 },
        { name: "applicant_cccd", type: "cccd", label: { vi: "Số định danh cá nhân", en: "Personal identification number" } },
        { name: "applicant_phone", type: "phone", label: { vi: "Số điện thoại", en: "Phone number" } },
        { name: "applicant_email", type: "email", label: { vi: "Thư điện tử", en: "Email" }, required: false },
        { name: "applicant_address", type: "address", label: { vi: "Nơi cư trú", en: "Place of residence" } },
      ],
    },
    {
      title: { vi: "Nội dung đề nghị", en: "Request" },
      fields: [
        { name: "request", type: "textarea", label: { vi: "Nội dung đề nghị", en: "What you request" }, maxLength: 1000 },
        {
          name: "cam_doan",
          type: "checkbox",
          label: { vi: "Tôi cam đoan nội dung khai trên đây là đúng sự thật.", en: "I declare that the information above is true." },
        },
      ],
    },
  ],
});

/** What the event model needs of each procedure in the scale catalog (seeded and synthetic alike). */
export type CatalogEntry = { id: number; agencyId: number; rootCode: string; level: number; processingDays: number; feeVnd: number; onlineDelivery: boolean };

const AgencyRowSchema = z.object({ id: z.number(), code: z.string(), path: z.string(), depth: z.number(), dissolved_on: z.string().nullable() });
const FieldRowSchema = z.object({ id: z.number(), name_vi: z.string(), name_en: z.string().nullable() });
const ProcedureRowSchema = z.object({
  id: z.number(),
  code: z.string(),
  agency_id: z.number(),
  level: z.number(),
  processing_days: z.number(),
  fee_vnd: z.number(),
  delivery_modes: z.string(),
});

/** The top-level agency (ministry or province) each agency belongs to, by id: the first id of its path. */
export function rootsByAgency(db: Db): { roots: Map<number, string>; subtrees: Map<string, { id: number; path: string; dissolved: boolean }[]> } {
  const rows = z.array(AgencyRowSchema).parse(db.$client.prepare("select id, code, path, depth, dissolved_on from agencies order by path").all());
  const codeById = new Map(rows.map((r) => [r.id, r.code]));
  const roots = new Map<number, string>();
  const subtrees = new Map<string, { id: number; path: string; dissolved: boolean }[]>();
  for (const r of rows) {
    const rootId = Number(r.path.split("/")[1]);
    const rootCode = codeById.get(rootId);
    if (!rootCode) throw new Error(`agency ${r.code} has a path (${r.path}) naming no agency`);
    roots.set(r.id, rootCode);
    const list = subtrees.get(rootCode) ?? [];
    list.push({ id: r.id, path: r.path, dissolved: r.dissolved_on !== null });
    subtrees.set(rootCode, list);
  }
  return { roots, subtrees };
}

/** Procedures already in the catalog (the seed), per top-level agency and level. */
export function seededLevels(db: Db): Map<string, LevelCounts> {
  const { roots } = rootsByAgency(db);
  const rows = z
    .array(z.object({ agency_id: z.number(), level: z.number(), n: z.number() }))
    .parse(db.$client.prepare("select agency_id, level, count(*) as n from procedures group by agency_id, level").all());
  const seeded = new Map<string, LevelCounts>();
  for (const r of rows) {
    const root = roots.get(r.agency_id);
    if (!root) continue;
    const counts: LevelCounts = seeded.get(root) ?? [0, 0, 0, 0];
    counts[r.level - 1] = (counts[r.level - 1] ?? 0) + r.n;
    seeded.set(root, counts);
  }
  return seeded;
}

/**
 * Adds the synthetic procedures the plan calls for: each to an agency of its ministry's or
 * province's subtree (a current one, or the top agency itself), a field from the seeded fields
 * (a few fields hold most procedures), a form for levels 3–4, and the search index entries, in one transaction.
 */
export function insertSyntheticCatalog(db: Db, plans: readonly AgencyPlan[], random: Random, log: (line: string) => void): void {
  const { subtrees } = rootsByAgency(db);
  const fields = z.array(FieldRowSchema).parse(db.$client.prepare("select id, name_vi, name_en from fields order by id").all());
  const fieldOrder = random.shuffle([...fields]);
  const fieldIndex = new WeightedIndex(zipfWeights(fieldOrder.length, 0.9));
  const processing = new WeightedIndex(PROCESSING_WEIGHTS);
  const fees = new WeightedIndex(FEE_WEIGHTS);
  const detailsPlain = syntheticDetails(false);
  const detailsTemplate = syntheticDetails(true);
  const form = JSON.stringify(SYNTHETIC_FORM);
  const insert = db.$client.prepare(
    "insert into procedures (code, name_vi, name_en, agency_id, field_id, level, processing_days, fee_vnd, details, delivery_modes, form_version, payment_online, online_service) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
  );
  const insertForm = db.$client.prepare("insert into procedure_forms (procedure_id, version, definition) values (?, 1, ?)");
  const start = db.$client.prepare("select coalesce(max(cast(substr(code, 3) as integer)), 0) from procedures where code glob 'S.[0-9]*'").pluck().get();
  let serial = typeof start === "number" ? start : 0;
  const insertSearch = db.$client.prepare("insert into procedures_fts (rowid, code, name, field, facets) values (?, ?, ?, ?, ?)");
  let inserted = 0;
  db.$client.transaction(() => {
    for (const plan of plans) {
      const subtree = subtrees.get(plan.code) ?? [];
      const current = subtree.filter((a) => !a.dissolved);
      const homes = current.length > 0 ? current : subtree.slice(0, 1);
      if (homes.length === 0) throw new Error(`no agency ${plan.code}`);
      plan.synthetic.forEach((count, i) => {
        const level = i + 1;
        for (let k = 0; k < count; k += 1) {
          serial += 1;
          const code = syntheticCode(serial);
          const home = random.pick(homes);
          const field = fieldOrder[fieldIndex.draw(random)];
          if (!field) throw new Error("no fields seeded");
          const [actionVi, actionEn] = random.pick(ACTIONS);
          const [objectVi, objectEn] = random.pick(OBJECTS);
          const fee = random.chance(0.45) ? 0 : (FEES[fees.draw(random)] ?? 0);
          const days = PROCESSING_DAYS[processing.draw(random)] ?? 5;
          // The facts give the planned level (decision 031): at level 4 the result goes online or by post and a fee
          // is paid online; below it, never online, and a free level-3 procedure's result is not posted either
          // (free, with a published form and delivery by post, it would be level 4).
          const drawn =
            level === 4
              ? random.pick([["online"], ["online", "counter"], ["online", "post", "counter"], ["post", "counter"]])
              : random.chance(0.7)
                ? ["counter"]
                : ["counter", "post"];
          const delivery = level === 3 && fee === 0 ? ["counter"] : drawn;
          const nameVi = `${actionVi} ${objectVi} (${field.name_vi}) — thủ tục thử tải ${code}`;
          const nameEn = `${actionEn} ${objectEn} (${field.name_en ?? field.name_vi}) — load-test procedure ${code}`;
          const result = insert.run(
            code,
            nameVi,
            nameEn,
            home.id,
            field.id,
            level,
            days,
            fee,
            level >= 2 ? detailsTemplate : detailsPlain,
            JSON.stringify(delivery),
            level >= 3 ? 1 : null,
            level === 4 && fee > 0 ? 1 : 0,
            level === 4 ? "full" : level === 3 ? "partial" : null,
          );
          const id = Number(result.lastInsertRowid);
          if (level >= 3) insertForm.run(id, form);
          // The app's own folding (search-index.server.ts), so the catalog search finds these as it finds the seeded ones.
          const search = procedureSearchRow({ code, nameVi, nameEn, fieldVi: field.name_vi, fieldEn: field.name_en });
          insertSearch.run(id, search.code, search.name, search.field, procedureFacets({ level, fieldId: field.id, agencyPath: home.path }));
          inserted += 1;
        }
      });
    }
  })();
  log(`  ${inserted} synthetic procedures inserted, with their forms and search entries`);
}

/** Every procedure of the catalog with what the event model needs, in id order. */
export function loadCatalog(db: Db): CatalogEntry[] {
  const { roots } = rootsByAgency(db);
  const rows = z
    .array(ProcedureRowSchema)
    .parse(db.$client.prepare("select id, code, agency_id, level, processing_days, fee_vnd, delivery_modes from procedures order by id").all());
  return rows.map((r) => {
    const rootCode = roots.get(r.agency_id);
    if (!rootCode) throw new Error(`procedure ${r.code} has an unknown agency`);
    const modes = z.array(z.string()).parse(JSON.parse(r.delivery_modes));
    return {
      id: r.id,
      agencyId: r.agency_id,
      rootCode,
      level: r.level,
      processingDays: r.processing_days,
      feeVnd: r.fee_vnd,
      onlineDelivery: modes.includes("online"),
    };
  });
}
