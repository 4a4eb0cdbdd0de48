import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { deriveLevel } from "../../app/core/catalog/derived-level";
import { settingsIssues } from "../../app/core/catalog/procedure-settings";
import * as z from "zod";
import { AgencySeedSchema, FieldSeedSchema, ProcedureSeedSchema, seedLevelFacts, seedPaymentOnline } from "../../app/core/catalog/procedure";
import { allFields } from "../../app/core/forms/definition";
import { checkDefinition } from "../../app/core/forms/definition-check";
import { dossierFee } from "../../app/core/payments/fees";
import { slugify } from "../../app/core/text/fold";
import agenciesJson from "../../db/seed-data/agencies.json";
import changesJson from "../../db/seed-data/agency-changes-2025.json";
import fieldsJson from "../../db/seed-data/fields.json";
import proceduresJson from "../../db/seed-data/procedures.json";

const ChangesSchema = z.object({
  effective: z.array(z.object({ code: z.string(), successor: z.string(), dissolvedOn: z.iso.date() })),
  renamed: z.array(z.object({ code: z.string(), nameVi: z.string().min(1), nameEn: z.string().min(1) })),
});

/** Splits one CSV line, keeping commas inside double-quoted cells ("Bộ Văn hóa, Thể thao và Du lịch"). */
function splitCsvLine(line: string): string[] {
  const cells: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (ch === '"') {
      if (quoted && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else quoted = !quoted;
    } else if (ch === "," && !quoted) {
      cells.push(cell);
      cell = "";
    } else cell += ch;
  }
  cells.push(cell);
  return cells.map((c) => c.trim());
}

function readCsvAgencies() {
  const text = readFileSync(fileURLToPath(new URL("../../db/seed-data/level4-share-2019.csv", import.meta.url)), "utf8");
  const [header, ...rows] = text.split(/\r?\n/).filter((l) => l.trim() !== "");
  const cols = splitCsvLine(header ?? "");
  const kindAt = cols.indexOf("kind");
  const agencyAt = cols.indexOf("agency");
  return rows.map((line) => {
    const cells = splitCsvLine(line);
    return { kind: cells[kindAt] ?? "", name: cells[agencyAt] ?? "", code: slugify(cells[agencyAt] ?? "") };
  });
}

const procedures = z.array(ProcedureSeedSchema).parse(proceduresJson);
const agencies = z.array(AgencySeedSchema).parse(agenciesJson);
const fields = z.array(FieldSeedSchema).parse(fieldsJson);
const changes = ChangesSchema.parse(changesJson);
const csv = readCsvAgencies();
const csvCodes = new Set(csv.map((r) => r.code));
const dissolved = new Set(changes.effective.map((c) => c.code));
const liveTopLevel = new Set(csv.filter((r) => !dissolved.has(r.code)).map((r) => r.code));
const agencyCodes = new Set(agencies.map((a) => a.code));

/** Every string in a JSON value, for encoding checks. */
function strings(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === "object") return Object.values(value).flatMap(strings);
  return [];
}

describe("seed data: files parse", () => {
  it("reads the 2019 appendix: 20 ministries and 63 provinces with distinct codes", () => {
    expect(csv.filter((r) => r.kind === "ministry")).toHaveLength(20);
    expect(csv.filter((r) => r.kind === "province")).toHaveLength(63);
    expect(csvCodes.size).toBe(83);
    expect(csvCodes).toContain("bo-van-hoa-the-thao-va-du-lich");
    expect(csvCodes).toContain("thanh-pho-ho-chi-minh");
    expect(csvCodes).toContain("thua-thien-hue");
  });

  it("parses every seed file with its schema", () => {
    expect(fields.length).toBeGreaterThanOrEqual(15);
    expect(agencies.length).toBeGreaterThan(0);
    expect(procedures.length).toBeGreaterThanOrEqual(40);
  });

  it("keeps all text in NFC with no stray whitespace", () => {
    for (const s of strings([proceduresJson, agenciesJson, fieldsJson, changesJson])) {
      expect(s, s).toBe(s.normalize("NFC"));
      expect(s, JSON.stringify(s)).toBe(s.trim());
    }
  });
});

describe("seed data: agencies and the 2025 reorganisation", () => {
  it("names only known agencies in the changes, with known successors that survive", () => {
    for (const c of changes.effective) {
      expect(csvCodes, c.code).toContain(c.code);
      expect(csvCodes, c.successor).toContain(c.successor);
      expect(dissolved, `${c.successor} is itself dissolved`).not.toContain(c.successor);
    }
    for (const r of changes.renamed) expect(csvCodes, r.code).toContain(r.code);
  });

  it("leaves 34 provincial units after 2025-07-01 and 63 − 29 absorbed", () => {
    const provinces = csv.filter((r) => r.kind === "province");
    const absorbed = provinces.filter((r) => dissolved.has(r.code));
    expect(absorbed).toHaveLength(29);
    expect(provinces.length - absorbed.length).toBe(34);
    expect(changes.effective.filter((c) => c.dissolvedOn === "2025-07-01")).toHaveLength(29);
  });

  it("merges five ministries on 2025-03-01", () => {
    const merged = changes.effective.filter((c) => c.dissolvedOn === "2025-03-01");
    expect(merged.map((c) => c.code).sort()).toEqual(
      [
        "bo-giao-thong-van-tai",
        "bo-ke-hoach-va-dau-tu",
        "bo-lao-dong-thuong-binh-va-xa-hoi",
        "bo-tai-nguyen-va-moi-truong",
        "bo-thong-tin-va-truyen-thong",
      ].sort(),
    );
  });

  it("gives sub-agencies unique codes, prefixed by a parent that exists and is not dissolved", () => {
    expect(agencyCodes.size).toBe(agencies.length);
    const seen = new Set<string>();
    for (const a of agencies) {
      expect(csvCodes, `${a.code} clashes with a top-level code`).not.toContain(a.code);
      expect(a.parent, a.code).not.toBeNull();
      const parent = a.parent ?? "";
      expect(liveTopLevel.has(parent) || seen.has(parent), `${a.code}: parent ${parent} must be listed earlier or be a live CSV agency`).toBe(true);
      expect(a.code.startsWith(`${parent}-`), a.code).toBe(true);
      expect(["department", "commune"]).toContain(a.kind);
      expect(a.name.en, a.code).toBeTruthy();
      seen.add(a.code);
    }
  });
});

describe("seed data: procedures", () => {
  it("has unique national codes", () => {
    const codes = procedures.map((p) => p.code);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it("covers every level with the minimum counts, as derived from the facts", () => {
    const count = (level: number) => procedures.filter((p) => deriveLevel(seedLevelFacts(p)).level === level).length;
    expect(count(1)).toBeGreaterThanOrEqual(6);
    expect(count(2)).toBeGreaterThanOrEqual(6);
    expect(count(3)).toBeGreaterThanOrEqual(12);
    expect(count(4)).toBeGreaterThanOrEqual(14);
  });

  it("obeys the rules an administrator's edit must obey", () => {
    for (const p of procedures) {
      const issues = settingsIssues({
        processingDays: p.processingDays,
        feeVnd: p.feeVnd,
        paymentOnline: seedPaymentOnline(p),
        deliveryModes: p.deliveryModes,
        inPersonStep: p.inPersonStep ?? null,
      });
      expect(issues, p.code).toEqual([]);
    }
  });

  it("declares the level its facts give, except where listed (the derived one is the catalog's: decision 031)", () => {
    const differences = procedures.flatMap((p) => {
      const derived = deriveLevel(seedLevelFacts(p)).level;
      return derived === p.level ? [] : [`${p.code}: declared ${p.level}, derived ${derived}`];
    });
    // Free procedures whose form is online and whose result goes by post: nothing keeps them from level 4.
    expect(differences).toEqual(["1.002759: declared 3, derived 4", "1.005092: declared 3, derived 4"]);
  });

  it("says why a citizen must come in person only where the real procedure requires it", () => {
    expect(procedures.filter((p) => p.inPersonStep).map((p) => p.code)).toEqual(["1.000894", "2.001195"]);
    const marriage = procedures.find((p) => p.code === "1.000894");
    expect(marriage && deriveLevel(seedLevelFacts(marriage)).onlineService).toBe("partial");
  });

  it("assigns each procedure to an existing, live agency and a known field", () => {
    const fieldCodes = new Set(fields.map((f) => f.code));
    for (const p of procedures) {
      expect(agencyCodes.has(p.agency) || liveTopLevel.has(p.agency), `${p.code}: agency ${p.agency}`).toBe(true);
      expect(fieldCodes.has(p.field), `${p.code}: field ${p.field}`).toBe(true);
    }
  });

  it("has realistic content: documents, legal basis, templates and forms", () => {
    for (const p of procedures) {
      expect(p.documents.length, p.code).toBeGreaterThanOrEqual(1);
      expect(p.documents.length, p.code).toBeLessThanOrEqual(6);
      expect(p.legalBasis.length, p.code).toBeGreaterThanOrEqual(1);
      const slugs = p.templates.map((t) => t.slug);
      expect(new Set(slugs).size, p.code).toBe(slugs.length);
      for (const t of p.templates) {
        expect(t.lines.length, `${p.code}/${t.slug}`).toBeGreaterThanOrEqual(8);
        expect(t.lines.length, `${p.code}/${t.slug}`).toBeLessThanOrEqual(25);
      }
      if (p.form) {
        const all = allFields(p.form);
        expect(all.length, p.code).toBeGreaterThanOrEqual(8);
        // A form with rules holds its alternative branches (the proof for each case, the father's details…): a citizen sees fewer.
        expect(all.length, p.code).toBeLessThanOrEqual(24);
        const names = all.map((f) => f.name);
        for (const required of ["applicant_name", "applicant_dob", "applicant_cccd", "applicant_phone", "applicant_email", "applicant_address"]) {
          expect(names, `${p.code} lacks ${required}`).toContain(required);
        }
        const last = all[all.length - 1];
        expect(last?.type === "checkbox" && !("options" in last && last.options), `${p.code}: ends with a declaration box`).toBe(true);
      }
    }
  });

  // Issue 12: the three procedures once kept Vietnamese-only are translated (tests/unit/seed-translations.test.ts
  // checks every vi/en text); the English-missing page is tested on a procedure made without English.
  it("translates everything", () => {
    expect(procedures.filter((p) => !p.name.en).map((p) => p.code)).toEqual([]);
    for (const p of procedures) {
      expect(p.summary.en, p.code).toBeTruthy();
      expect(p.applicants.en, p.code).toBeTruthy();
      expect(p.result.en, p.code).toBeTruthy();
      for (const d of p.documents) expect(d.name.en, `${p.code}: ${d.name.vi}`).toBeTruthy();
    }
    for (const p of procedures) {
      for (const f of p.form ? allFields(p.form) : []) expect(f.label.en, `${p.code}/${f.name}`).toBeTruthy();
    }
  });

  it("has birth registration (1.001193) at a Hà Nội commune, free, with form version 2", () => {
    const birth = procedures.find((p) => p.code === "1.001193");
    expect(birth?.name.vi).toBe("Đăng ký khai sinh");
    expect(birth?.level).toBeGreaterThanOrEqual(3);
    expect(birth?.feeVnd).toBe(0);
    const agency = agencies.find((a) => a.code === birth?.agency);
    expect(agency?.kind).toBe("commune");
    expect(agency?.parent).toBe("ha-noi");
    expect(birth?.form?.version).toBe(2);
  });

  it("has the criminal record certificate at level 4 with form version 3, its fee following the number of copies", () => {
    const lltp = procedures.find((p) => p.name.vi.startsWith("Cấp Phiếu lý lịch tư pháp"));
    expect(lltp?.level).toBe(4);
    expect(lltp?.feeVnd).toBe(200000);
    expect(lltp?.processingDays).toBe(10);
    expect(lltp?.form?.version).toBe(3);
    // 200,000 ₫ a request, 5,000 ₫ more for each copy from the third (Thông tư 244/2016/TT-BTC).
    const fee = (copies: number) => dossierFee({ procedureFeeVnd: lltp?.feeVnd ?? 0, rule: lltp?.form?.fee, answers: { copies } });
    expect([1, 2, 3, 10].map(fee)).toEqual([200_000, 200_000, 205_000, 240_000].map((feeVnd) => ({ ok: true, feeVnd })));
  });

  it("has forms that pass the definition checker", () => {
    for (const p of procedures) if (p.form) expect(checkDefinition(p.form), p.code).toEqual([]);
  });
});

describe("seed data: result fields", () => {
  it("declares for every procedure what its officer fills to issue the result, labelled in Vietnamese and English", () => {
    for (const p of procedures) {
      expect(p.resultFields, p.code).toBeDefined();
      const fields = p.resultFields ?? [];
      expect(fields.length, p.code).toBeGreaterThanOrEqual(2);
      // The first field is the number the document is known by (certificate, decision, licence…), and is required.
      expect(fields[0]?.type, p.code).toBe("text");
      expect(fields[0]?.required, p.code).toBe(true);
      for (const f of fields) expect(f.label.en, `${p.code}/${f.name}`).toBeTruthy();
    }
    const birth = procedures.find((p) => p.code === "1.001193");
    expect(birth?.resultFields?.map((f) => f.name)).toEqual(["certificate_number", "register_book", "personal_id", "notes"]);
  });
});
