// Every seeded text a citizen reads has a real English translation (issue 12): English pages showed
// procedure 1.010738 "Đăng ký môi trường" in Vietnamese and the API passed the Vietnamese off as
// `name.en`. A text that cannot be translated yet must be listed here, on purpose; the page then says
// the English text is not available and marks the Vietnamese it shows with lang="vi".
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import * as z from "zod";
import { slugify } from "../../app/core/text/fold";
import agenciesJson from "../../db/seed-data/agencies.json";
import changesJson from "../../db/seed-data/agency-changes-2025.json";
import agencyNamesJson from "../../db/seed-data/agency-names-en.json";
import fieldsJson from "../../db/seed-data/fields.json";
import proceduresJson from "../../db/seed-data/procedures.json";

/**
 * Texts of procedures.json with no English yet, by path ("1.010738.summary"). Empty: every seeded
 * text is translated. Adding a path here is the explicit mark that its English is missing.
 */
const UNTRANSLATED: ReadonlySet<string> = new Set<string>([]);

/** A class or category code (driving licence classes A1, B, BE…) is written the same in every language. */
const CODE = /^[A-Z]{1,2}\d?$/;

type Pair = { path: string; vi: string; en: unknown };

/** Every {vi, en} text in a JSON value, with where it is. */
function localTexts(value: unknown, path: string): Pair[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => localTexts(v, `${path}[${i}]`));
  if (!value || typeof value !== "object") return [];
  const entries = Object.entries(value);
  const own: Pair[] = "vi" in value && typeof value.vi === "string" ? [{ path, vi: value.vi, en: "en" in value ? value.en : undefined }] : [];
  return [...own, ...entries.flatMap(([k, v]) => localTexts(v, path ? `${path}.${k}` : k))];
}

/** Why a pair fails: missing, or the Vietnamese given as English. Null when it is a real translation. */
function problem({ vi, en }: Pair): string | null {
  if (typeof en !== "string" || en.trim() === "") return "no English";
  if (en.trim() === vi.trim() && !CODE.test(vi)) return "English equals the Vietnamese";
  return null;
}

const procedures = z.array(z.object({ code: z.string() }).passthrough()).parse(proceduresJson);
const procedureTexts = procedures.flatMap((p) => localTexts(p, p.code));

describe("seeded procedures have their English texts", () => {
  it("finds the texts it checks: names, summaries, documents, form labels", () => {
    expect(procedureTexts.length).toBeGreaterThan(1000);
    expect(procedureTexts.find((t) => t.path === "1.010738.name")).toEqual({
      path: "1.010738.name",
      vi: "Đăng ký môi trường",
      en: "Environmental registration",
    });
    // What the check catches, on purpose-made texts.
    expect(problem({ path: "x", vi: "Đăng ký môi trường", en: undefined })).toBe("no English");
    expect(problem({ path: "x", vi: "Đăng ký môi trường", en: "Đăng ký môi trường" })).toBe("English equals the Vietnamese");
    expect(problem({ path: "x", vi: "A1", en: "A1" })).toBeNull();
  });

  it("every name, summary and other vi/en text has an English text that is not the Vietnamese, unless marked untranslated", () => {
    const failing = procedureTexts
      .filter((t) => !UNTRANSLATED.has(t.path))
      .flatMap((t) => (problem(t) ? [`${t.path}: ${problem(t)} (${t.vi.slice(0, 60)})`] : []));
    expect(failing).toEqual([]);
  });

  it("each text marked untranslated really lacks its English (the list does not go stale)", () => {
    const byPath = new Map(procedureTexts.map((t) => [t.path, t]));
    const stale = [...UNTRANSLATED].filter((path) => {
      const text = byPath.get(path);
      return !text || problem(text) === null;
    });
    expect(stale).toEqual([]);
  });
});

const AgencyNamesSchema = z.object({ names: z.record(z.string(), z.string().min(1)), sameInEnglish: z.array(z.string()) });
const agencyNames = AgencyNamesSchema.parse(agencyNamesJson);

function csvAgencies() {
  const text = readFileSync(fileURLToPath(new URL("../../db/seed-data/level4-share-2019.csv", import.meta.url)), "utf8");
  // The agency is the only quoted cell of each row: kind,no,"name",…
  return text
    .split(/\r?\n/)
    .slice(1)
    .flatMap((line) => {
      const name = /^[a-z]+,\d+,"([^"]+)"/.exec(line)?.[1];
      return name ? [{ code: slugify(name), vi: name }] : [];
    });
}

describe("seeded agencies have their English names", () => {
  const top = csvAgencies();

  it("every ministry and province of the 2019 appendix has an English name in agency-names-en.json that is not its Vietnamese, unless it is written the same", () => {
    expect(top).toHaveLength(83);
    const failing = top.flatMap(({ code, vi }) => {
      const en = agencyNames.names[code];
      if (!en) return [`${code}: no English name`];
      if (en === vi && !agencyNames.sameInEnglish.includes(code)) return [`${code}: English equals the Vietnamese`];
      return [];
    });
    expect(failing).toEqual([]);
  });

  it("lists as written the same only names that are, and have no Vietnamese letters to drop", () => {
    const byCode = new Map(top.map((a) => [a.code, a.vi]));
    for (const code of agencyNames.sameInEnglish) {
      expect(agencyNames.names[code], code).toBe(byCode.get(code));
      expect(byCode.get(code), code).toMatch(/^[A-Za-z ]+$/);
    }
  });

  it("every sub-agency, renamed unit and field has an English name that is not its Vietnamese", () => {
    const { renamed } = z.object({ renamed: z.array(z.object({ code: z.string(), nameVi: z.string(), nameEn: z.string() })) }).parse(changesJson);
    const texts = [
      ...localTexts(agenciesJson, "agencies").filter((t) => t.path.endsWith(".name")),
      ...renamed.map((r) => ({ path: `renamed.${r.code}`, vi: r.nameVi, en: r.nameEn })),
      ...localTexts(fieldsJson, "fields"),
    ];
    expect(texts.length).toBeGreaterThan(40);
    expect(texts.flatMap((t) => (problem(t) ? [`${t.path}: ${problem(t)}`] : []))).toEqual([]);
  });
});
