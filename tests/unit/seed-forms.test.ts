// Issue 16: the seeded forms that follow the real procedure (conditional fields and sections, exits to the
// counter, fees from the answers), read as the server reads them (answersState: each answer typed as its
// field reads it). seed-data.test.ts checks every form's shape and the definition checker; this file checks
// what the reworked forms do.
import { describe, expect, it } from "vitest";
import * as z from "zod";
import { ProcedureSeedSchema, type ProcedureSeed } from "../../app/core/catalog/procedure";
import { answersState } from "../../app/core/forms/answers-schema";
import { allFields, fileFields, groupFields, type FormDefinition } from "../../app/core/forms/definition";
import { formExit, formState } from "../../app/core/forms/visibility";
import { dossierFee } from "../../app/core/payments/fees";
import proceduresJson from "../../db/seed-data/procedures.json";
import { validAnswers } from "../fixtures/answers";

const procedures = z.array(ProcedureSeedSchema).parse(proceduresJson);
const TODAY = "2026-12-07";

function seeded(code: string): { procedure: ProcedureSeed; def: FormDefinition } {
  const procedure = procedures.find((p) => p.code === code);
  if (!procedure?.form) throw new Error(`no seeded form for ${code}`);
  return { procedure, def: procedure.form };
}

/** The form as the server sees it for the default answers (tests' validAnswers) changed by `changes`. */
function answered(def: FormDefinition, changes: Record<string, string> = {}) {
  const state = answersState(def, { ...validAnswers(def), ...changes }, TODAY);
  const shown = new Set(state.shown.map((s) => s.field.name));
  const required = new Set(state.shown.filter((s) => s.required).map((s) => s.field.name));
  return { state, shown, required, exit: formExit(def, state)?.id ?? null };
}

function feeOf(code: string, changes: Record<string, string> = {}) {
  const { procedure, def } = seeded(code);
  const { state } = answered(def, changes);
  return dossierFee({ procedureFeeVnd: procedure.feeVnd, rule: def.fee, answers: state.answers });
}

describe("every seeded form, filled with the answers tests give by default", () => {
  // Tests (tests/fixtures/answers.ts, the Playwright fillForm) pick each choice's first option: that path must be one a
  // citizen can submit online, and — for a page without JavaScript, which shows what a blank form shows until the
  // answers are saved — every field it shows must already be on the blank form.
  for (const p of procedures) {
    if (!p.form) continue;
    const def = p.form;
    it(`${p.code}: reaches no exit, and shows nothing a blank form hides`, () => {
      const { shown, exit } = answered(def);
      expect(exit).toBeNull();
      const blank = formState(def, {});
      const hiddenOnBlank = [...shown].filter((name) => blank.hidden.has(name));
      expect(hiddenOnBlank).toEqual([]);
    });
  }
});

describe("birth registration (1.001193, version 2)", () => {
  const { def } = seeded("1.001193");

  it("is version 2: dossiers made on version 1 keep theirs", () => {
    expect(def.version).toBe(2);
  });

  it("asks for the father's details only when the father is established", () => {
    const married = answered(def, { father_status: "ket_hon" });
    expect(married.required.has("father_name")).toBe(true);
    expect(married.shown.has("giay_chung_nhan_ket_hon")).toBe(true);
    const unknown = answered(def, { father_status: "chua_xac_dinh" });
    expect(unknown.shown.has("father_name")).toBe(false);
    expect(unknown.shown.has("father_cccd")).toBe(false);
    expect(unknown.shown.has("giay_chung_nhan_ket_hon")).toBe(false);
    // What the hidden section held is not kept.
    expect(unknown.state.answers).not.toHaveProperty("father_name");
  });

  it("asks for the medical birth notice, or without one for a witness's or sworn statement (Luật Hộ tịch, art. 16)", () => {
    const hospital = answered(def, { birth_place_type: "co_so_y_te" });
    expect(hospital.required.has("giay_chung_sinh")).toBe(true);
    expect(hospital.shown.has("giay_to_thay_giay_chung_sinh")).toBe(false);
    const home = answered(def, { birth_place_type: "ngoai_co_so_y_te" });
    expect(home.shown.has("giay_chung_sinh")).toBe(false);
    expect(home.required.has("giay_to_thay_giay_chung_sinh")).toBe(true);
  });

  it("sends a birth with a foreign element, and a father acknowledging a child of unmarried parents, to the counter", () => {
    expect(answered(def).exit).toBeNull();
    expect(answered(def, { birth_place_type: "nuoc_ngoai" }).exit).toBe("yeu-to-nuoc-ngoai");
    expect(answered(def, { parents_nationality: "nuoc_ngoai" }).exit).toBe("yeu-to-nuoc-ngoai");
    expect(answered(def, { father_status: "nhan_con" }).exit).toBe("nhan-cha-con");
  });
});

describe("marriage registration (1.000894, version 2)", () => {
  const { def } = seeded("1.000894");

  it("sends a marriage with a foreign party to the counter", () => {
    expect(answered(def, { partner_status: "viet_nam" }).exit).toBeNull();
    expect(answered(def, { partner_status: "nuoc_ngoai" }).exit).toBe("yeu-to-nuoc-ngoai");
  });

  it("asks for the marital-status certificate only when one partner lives elsewhere, and the divorce record only after a divorce abroad", () => {
    expect(answered(def, { residence_case: "cung_noi" }).shown.has("xac_nhan_tinh_trang_hon_nhan")).toBe(false);
    expect(answered(def, { residence_case: "khac_noi" }).required.has("xac_nhan_tinh_trang_hon_nhan")).toBe(true);
    expect(answered(def, { divorced_abroad: "khong" }).shown.has("trich_luc_ghi_chu_ly_hon")).toBe(false);
    expect(answered(def, { divorced_abroad: "co" }).required.has("trich_luc_ghi_chu_ly_hon")).toBe(true);
  });
});

describe("death registration (1.000656, version 2)", () => {
  const { def } = seeded("1.000656");
  const proofs = ["giay_bao_tu", "xac_nhan_cong_an", "ban_an_toa_an", "xac_nhan_ubnd_xa"];

  it("asks for the one document that stands for the death notice in each case (Nghị định 123/2015, art. 4)", () => {
    const cases = { co_so_y_te: "giay_bao_tu", tai_nan_nghi_van: "xac_nhan_cong_an", toa_an_tuyen_bo: "ban_an_toa_an", khac: "xac_nhan_ubnd_xa" };
    for (const [circumstance, proof] of Object.entries(cases)) {
      const { shown, required } = answered(def, { death_circumstance: circumstance });
      expect(
        proofs.filter((name) => shown.has(name)),
        circumstance,
      ).toEqual([proof]);
      expect(required.has(proof), circumstance).toBe(true);
    }
  });

  it("sends the death of a foreign national to the counter", () => {
    expect(answered(def, { deceased_nationality: "nuoc_ngoai" }).exit).toBe("yeu-to-nuoc-ngoai");
  });
});

describe("marital-status certificate (1.004873, version 2)", () => {
  const { def } = seeded("1.004873");
  const spouse = ["intended_spouse", "intended_spouse_dob", "intended_spouse_nationality", "intended_marriage_place"];

  it("names the intended spouse only when the certificate is for marrying", () => {
    const marrying = answered(def, { purpose: "ket_hon" });
    for (const name of spouse) expect(marrying.required.has(name), name).toBe(true);
    const other = answered(def, { purpose: "khac" });
    for (const name of spouse) expect(other.shown.has(name), name).toBe(false);
    expect(other.required.has("purpose_detail")).toBe(true);
  });

  it("asks for the proof that ends a previous marriage, and the certificate issued before", () => {
    expect(answered(def, { marital_status: "da_ly_hon" }).required.has("giay_to_ly_hon")).toBe(true);
    expect(answered(def, { marital_status: "vo_chong_da_chet" }).required.has("trich_luc_khai_tu_vo_chong")).toBe(true);
    const single = answered(def, { marital_status: "chua_ket_hon" });
    expect(single.shown.has("giay_to_ly_hon") || single.shown.has("trich_luc_khai_tu_vo_chong")).toBe(false);
    expect(answered(def, { previous_certificate: "da_cap" }).required.has("giay_xac_nhan_da_cap")).toBe(true);
    expect(answered(def, { marital_status: "dang_co_vo_chong" }).required.has("current_spouse_name")).toBe(true);
    expect(single.shown.has("current_spouse_name")).toBe(false);
  });
});

describe("fees from the answers", () => {
  it("charges the copies of a civil-status extract one by one (2.000635: 8,000 ₫ a copy)", () => {
    expect([1, 3, 10].map((copies) => feeOf("2.000635", { copies: String(copies) }))).toEqual([8_000, 24_000, 80_000].map((feeVnd) => ({ ok: true, feeVnd })));
  });

  it("charges consular certification per document (1.000460: 30,000 ₫ a document)", () => {
    expect([1, 4].map((copies) => feeOf("1.000460", { copies: String(copies) }))).toEqual([30_000, 120_000].map((feeVnd) => ({ ok: true, feeVnd })));
  });

  it("charges 400,000 ₫ for replacing a lost or damaged passport, the procedure's fee otherwise (1.001471)", () => {
    expect(feeOf("1.001471", { request_type: "lan_dau" })).toEqual({ ok: true, feeVnd: 200_000 });
    expect(feeOf("1.001471", { request_type: "het_han" })).toEqual({ ok: true, feeVnd: 200_000 });
    expect(feeOf("1.001471", { request_type: "mat_hong" })).toEqual({ ok: true, feeVnd: 400_000 });
  });

  it("charges nothing for a temporary-residence registration exempt from the fee, with its proof required (1.004194)", () => {
    expect(feeOf("1.004194", { fee_exempt: "khong" })).toEqual({ ok: true, feeVnd: 15_000 });
    expect(feeOf("1.004194", { fee_exempt: "co" })).toEqual({ ok: true, feeVnd: 0 });
    expect(answered(seeded("1.004194").def, { fee_exempt: "co" }).required.has("giay_to_mien_le_phi")).toBe(true);
  });
});

describe("the other reworked forms", () => {
  it("temporary residence (1.004194): the owner's consent unless the home is one's own, a parent's consent for a minor", () => {
    const { def } = seeded("1.004194");
    const own = answered(def, { housing_type: "so_huu" });
    expect(own.shown.has("y_kien_chu_ho")).toBe(false);
    expect(own.shown.has("landlord_name")).toBe(false);
    expect(own.required.has("hop_dong_thue_nha")).toBe(true);
    const relative = answered(def, { housing_type: "nha_nguoi_than" });
    expect(relative.required.has("y_kien_chu_ho")).toBe(true);
    expect(relative.required.has("hop_dong_thue_nha")).toBe(false);
    expect(answered(def, { is_minor: "khong" }).shown.has("y_kien_nguoi_giam_ho")).toBe(false);
    expect(answered(def, { is_minor: "co" }).required.has("y_kien_nguoi_giam_ho")).toBe(true);
  });

  it("passport (1.001471): a child under 14 is applied for by a parent or guardian, with the child's details and birth certificate", () => {
    const { def } = seeded("1.001471");
    const self = answered(def, { passport_for: "ban_than" });
    expect(self.shown.has("child_name")).toBe(false);
    const child = answered(def, { passport_for: "duoi_14" });
    for (const name of ["child_name", "child_dob", "child_personal_id", "giay_khai_sinh"]) expect(child.required.has(name), name).toBe(true);
    expect(answered(def, { result_delivery: "buu_chinh" }).required.has("receive_address")).toBe(true);
    expect(answered(def, { result_delivery: "truc_tiep" }).shown.has("receive_address")).toBe(false);
  });

  it("driving licence exchange (1.002809): a health certificate except for A1, A and B1; a foreign or lost licence goes to the counter", () => {
    const { def } = seeded("1.002809");
    expect(answered(def, { licence_class: "a1" }).shown.has("giay_kham_suc_khoe")).toBe(false);
    expect(answered(def, { licence_class: "b" }).required.has("giay_kham_suc_khoe")).toBe(true);
    expect(answered(def, { licence_origin: "nuoc_ngoai" }).exit).toBe("gplx-nuoc-ngoai");
    expect(answered(def, { reason: "bi_mat" }).exit).toBe("gplx-bi-mat");
  });

  it("consular certification (1.000460): a document issued abroad needs legalisation instead", () => {
    expect(answered(seeded("1.000460").def, { document_origin: "nuoc_ngoai" }).exit).toBe("giay-to-nuoc-ngoai");
  });

  it("health insurance for a child under 6 (1.011837): an unregistered birth, or a card to replace, goes elsewhere", () => {
    const { def } = seeded("1.011837");
    expect(answered(def, { child_registered: "chua" }).exit).toBe("chua-khai-sinh");
    expect(answered(def, { card_status: "da_co" }).exit).toBe("cap-lai-the");
  });

  it("household business (1.001612): the founding household members as rows, with their meeting's minutes, only for a household", () => {
    const { def } = seeded("1.001612");
    const alone = answered(def, { owner_type: "ca_nhan" });
    expect(alone.shown.has("founders")).toBe(false);
    expect(alone.shown.has("bien_ban_hop_gia_dinh")).toBe(false);
    const household = answered(def, { owner_type: "ho_gia_dinh" });
    expect(household.required.has("founders")).toBe(true);
    expect(household.required.has("bien_ban_hop_gia_dinh")).toBe(true);
    const founders = groupFields(def).find((g) => g.name === "founders");
    expect(founders?.fields.map((f) => f.name)).toEqual(["founder_name", "founder_dob", "founder_cccd", "founder_address"]);
    expect(founders?.minRows).toBe(1);
  });

  it("building permit (1.013225): the other owners as rows when there are any, the drawings as several files in one field", () => {
    const { def } = seeded("1.013225");
    expect(answered(def, { co_owners: "khong" }).shown.has("owners")).toBe(false);
    expect(answered(def, { co_owners: "co" }).required.has("owners")).toBe(true);
    const drawings = fileFields(def).find((f) => f.name === "ban_ve_thiet_ke");
    expect(drawings?.maxFiles).toBe(10);
    expect(answered(def, { adjacent_works: "khong" }).shown.has("cam_ket_an_toan_lien_ke")).toBe(false);
    expect(answered(def, { adjacent_works: "co" }).required.has("cam_ket_an_toan_lien_ke")).toBe(true);
  });

  it("labels every field of the reworked forms in both languages, with unique snake_case names", () => {
    const reworked = [
      "1.001193",
      "1.000894",
      "1.000656",
      "1.004873",
      "2.000635",
      "1.004194",
      "1.001471",
      "1.002809",
      "1.000460",
      "1.011837",
      "1.001612",
      "1.013225",
    ];
    for (const code of reworked) {
      const { def } = seeded(code);
      expect(def.version, code).toBeGreaterThanOrEqual(2);
      const fields = allFields(def).flatMap((f): { name: string; label: { en?: string } }[] => (f.type === "group" ? [f, ...f.fields] : [f]));
      const names = fields.map((f) => f.name);
      expect(new Set(names).size, code).toBe(names.length);
      for (const f of fields) expect(f.label.en, `${code}/${f.name}`).toBeTruthy();
      for (const exit of def.exits ?? []) expect(exit.message.en, `${code}/${exit.id}`).toBeTruthy();
    }
  });
});
