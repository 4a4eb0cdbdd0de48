import { describe, expect, it } from "vitest";
import { chooseSubject, dossierAccess, ForWhomSchema, SELF, subjectStillAllowed, type FilerFacts } from "./representation";

const PARENT = "001085012345";
const CHILD = "001215067890";
const OTHER_CHILD = "001214011111";
const TAX = "0101234567";

const facts: FilerFacts = {
  verifiedCccd: PARENT,
  children: [{ cccd: CHILD, fullName: "Nguyễn Văn Con" }],
  businesses: [{ taxCode: TAX, name: "Công ty TNHH Thử" }],
};
const parse = (v: Record<string, string>) => {
  const r = ForWhomSchema.safeParse(v);
  if (!r.success) throw new Error(JSON.stringify(r.error.issues));
  return r.data;
};

describe("the 'for whom' post", () => {
  it("names the field each missing or malformed detail belongs to", () => {
    const issues = (v: Record<string, string>) => ForWhomSchema.safeParse(v).error?.issues.map((i) => [i.path.join("."), i.message]) ?? [];
    expect(issues({})).toEqual([["onBehalf", "representation.errors.choose"]]);
    expect(issues({ onBehalf: "child" })).toEqual([["childCccd", "representation.errors.child_required"]]);
    expect(issues({ onBehalf: "authorised", adultCccd: "12345" })).toEqual([
      ["adultName", "representation.errors.name_required"],
      ["adultCccd", "representation.errors.cccd_invalid"],
    ]);
    expect(issues({ onBehalf: "business" })).toEqual([["taxCode", "representation.errors.business_required"]]);
    expect(issues({ onBehalf: "someone" })).toEqual([["onBehalf", "representation.errors.choose"]]);
  });
});

describe("chooseSubject", () => {
  it("takes the filer's own child by the population record, with the record's name", () => {
    expect(chooseSubject(parse({ onBehalf: "child", childCccd: CHILD }), facts)).toEqual({
      ok: true,
      subject: { onBehalf: "child", subjectName: "Nguyễn Văn Con", subjectCccd: CHILD, subjectTaxCode: null },
    });
  });

  it("refuses someone else's child, and any child without a verified identity", () => {
    expect(chooseSubject(parse({ onBehalf: "child", childCccd: OTHER_CHILD }), facts)).toEqual({
      ok: false,
      field: "childCccd",
      error: "representation.errors.not_your_child",
    });
    expect(chooseSubject(parse({ onBehalf: "child", childCccd: CHILD }), { ...facts, verifiedCccd: null })).toMatchObject({
      ok: false,
      error: "representation.errors.not_verified",
    });
  });

  it("takes a business only the filer owns or belongs to, named by the registry", () => {
    expect(chooseSubject(parse({ onBehalf: "business", taxCode: TAX }), facts)).toMatchObject({ ok: true, subject: { subjectName: "Công ty TNHH Thử" } });
    expect(chooseSubject(parse({ onBehalf: "business", taxCode: "0109999999" }), facts)).toMatchObject({
      ok: false,
      error: "representation.errors.not_your_business",
    });
  });

  it("takes an authorised adult as typed (the officer checks the document), but not the filer's own number", () => {
    expect(chooseSubject(parse({ onBehalf: "authorised", adultName: "Trần Thị B", adultCccd: "001190000123" }), facts)).toMatchObject({
      ok: true,
      subject: { onBehalf: "authorised", subjectName: "Trần Thị B", subjectCccd: "001190000123" },
    });
    expect(chooseSubject(parse({ onBehalf: "authorised", adultName: "Tôi", adultCccd: PARENT }), facts)).toMatchObject({
      ok: false,
      error: "representation.errors.self_as_adult",
    });
  });
});

describe("subjectStillAllowed", () => {
  it("re-checks a child and a business against today's facts", () => {
    const child = { onBehalf: "child" as const, subjectName: "X", subjectCccd: CHILD, subjectTaxCode: null };
    expect(subjectStillAllowed(child, facts)).toBe(true);
    expect(subjectStillAllowed({ ...child, subjectCccd: OTHER_CHILD }, facts)).toBe(false);
    const business = { onBehalf: "business" as const, subjectName: "X", subjectCccd: null, subjectTaxCode: TAX };
    expect(subjectStillAllowed(business, facts)).toBe(true);
    expect(subjectStillAllowed(business, { ...facts, businesses: [] })).toBe(false);
    expect(subjectStillAllowed(SELF, { verifiedCccd: null, children: [], businesses: [] })).toBe(true);
  });
});

describe("dossierAccess", () => {
  const forChild = { applicantId: 1, onBehalf: "child" as const, subjectCccd: CHILD, subjectTaxCode: null };
  const forBusiness = { applicantId: 1, onBehalf: "business" as const, subjectCccd: null, subjectTaxCode: TAX };

  it("lets the filer, the subject and the business's people see it, and nobody else", () => {
    expect(dossierAccess({ userId: 1, linkedCccd: null, taxCodes: [] }, forChild)).toBe("filer");
    expect(dossierAccess({ userId: 2, linkedCccd: CHILD, taxCodes: [] }, forChild)).toBe("subject");
    expect(dossierAccess({ userId: 3, linkedCccd: OTHER_CHILD, taxCodes: [] }, forChild)).toBeNull();
    expect(dossierAccess({ userId: 4, linkedCccd: null, taxCodes: [TAX] }, forBusiness)).toBe("business");
    expect(dossierAccess({ userId: 4, linkedCccd: null, taxCodes: [] }, forBusiness)).toBeNull();
  });

  it("lets a business's dossier's filer see it only while still of the business", () => {
    expect(dossierAccess({ userId: 1, linkedCccd: null, taxCodes: [TAX] }, forBusiness)).toBe("filer");
    expect(dossierAccess({ userId: 1, linkedCccd: null, taxCodes: [] }, forBusiness)).toBeNull();
    expect(dossierAccess({ userId: 1, linkedCccd: null, taxCodes: ["0999999999"] }, forBusiness)).toBeNull();
  });

  it("never opens a dossier filed for oneself to someone whose number happens to match a stale subject column", () => {
    expect(
      dossierAccess({ userId: 2, linkedCccd: CHILD, taxCodes: [TAX] }, { applicantId: 1, onBehalf: "self", subjectCccd: CHILD, subjectTaxCode: TAX }),
    ).toBeNull();
  });

  it("does not treat a counter dossier without an account as anyone's", () => {
    expect(dossierAccess({ userId: 1, linkedCccd: null, taxCodes: [] }, { ...forChild, applicantId: null })).toBeNull();
  });
});
