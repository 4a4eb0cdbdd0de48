import { describe, expect, it } from "vitest";
import { FormDefinitionSchema } from "./definition";
import { enforceVerified, subjectRecord, verifiedFieldsOf, verifiedPrefill, verifiedSource, type PersonRecord } from "./verified-prefill";

const mother: PersonRecord = { cccd: "001190000001", fullName: "Nguyễn Thị Hoa", birthDate: "1990-03-04", sex: "female", address: "12 Hàng Bạc, Hoàn Kiếm" };
const child: PersonRecord = {
  cccd: "001224000002",
  fullName: "Trần Minh An",
  birthDate: "2024-05-06",
  sex: "male",
  address: "12 Hàng Bạc, Hoàn Kiếm",
  fatherCccd: null,
  motherCccd: mother.cccd,
};
const stranger: PersonRecord = { ...child, cccd: "079224000003", motherCccd: "079190000009" };

const definition = FormDefinitionSchema.parse({
  version: 1,
  sections: [
    {
      title: { vi: "Người nộp" },
      fields: [
        { type: "text", name: "applicant_name", label: { vi: "Họ tên" }, prefill: "identity.fullName" },
        { type: "date", name: "applicant_dob", label: { vi: "Ngày sinh" }, prefill: "identity.birthDate" },
        { type: "cccd", name: "applicant_cccd", label: { vi: "CCCD" }, prefill: "identity.cccd" },
        { type: "address", name: "applicant_address", label: { vi: "Địa chỉ" }, prefill: "identity.address" },
        { type: "email", name: "applicant_email", label: { vi: "Email" }, prefill: "account.email" },
      ],
    },
    {
      title: { vi: "Trẻ" },
      fields: [
        { type: "text", name: "child_name", label: { vi: "Họ tên trẻ" }, prefill: "subject.fullName" },
        { type: "date", name: "child_dob", label: { vi: "Ngày sinh trẻ" }, prefill: "subject.birthDate" },
        {
          type: "radio",
          name: "child_sex",
          label: { vi: "Giới tính" },
          prefill: "subject.sex",
          options: [
            { value: "nu", label: { vi: "Nữ" } },
            { value: "nam", label: { vi: "Nam" } },
          ],
        },
        { type: "select", name: "odd_sex", label: { vi: "Giới" }, prefill: "subject.sex", options: [{ value: "x", label: { vi: "X" } }] },
      ],
    },
  ],
});

const FILER_FIELDS = { applicant_name: mother.fullName, applicant_dob: mother.birthDate, applicant_cccd: mother.cccd, applicant_address: mother.address };

describe("verified prefill", () => {
  it("names whose record a source reads, and nothing for the account's own sources", () => {
    expect(verifiedSource("identity.cccd")).toEqual({ whose: "identity", part: "cccd" });
    expect(verifiedSource("subject.sex")).toEqual({ whose: "subject", part: "sex" });
    expect(verifiedSource("account.fullName")).toBeNull();
  });

  it("level 2: the records' values, locked; sex onto the choice's own option value; no fitting option, no value", () => {
    const got = verifiedPrefill({ definition, level: 2, filer: mother, subject: child, accountName: "Tên tài khoản" });
    expect(got.values).toEqual({ ...FILER_FIELDS, child_name: child.fullName, child_dob: child.birthDate, child_sex: "nam" });
    expect(got.locked).toEqual(["applicant_name", "applicant_dob", "applicant_cccd", "applicant_address", "child_name", "child_dob", "child_sex"]);
  });

  it("level 1: the same values, none locked", () => {
    const got = verifiedPrefill({ definition, level: 1, filer: mother, subject: mother });
    expect(got.values).toMatchObject({ ...FILER_FIELDS, child_sex: "nu" });
    expect(got.locked).toEqual([]);
  });

  it("no linked identity: only the name, from the account, unverified", () => {
    expect(verifiedPrefill({ definition, level: null, filer: mother, subject: child, accountName: "Lê Văn Tài Khoản" })).toEqual({
      values: { applicant_name: "Lê Văn Tài Khoản" },
      locked: [],
    });
  });

  it("a level-2 identity whose record is not found: nothing verified, the account's name as before", () => {
    expect(verifiedPrefill({ definition, level: 2, filer: null, subject: null, accountName: "Lê Văn B" })).toEqual({
      values: { applicant_name: "Lê Văn B" },
      locked: [],
    });
  });

  it("the subject: nobody for oneself, the named child (only one the record names as the filer's) or adult, and no person for a business", () => {
    expect(subjectRecord({ onBehalf: "self", filer: mother, subject: child })).toBeNull();
    expect(subjectRecord({ onBehalf: "child", filer: mother, subject: child })).toBe(child);
    expect(subjectRecord({ onBehalf: "child", filer: mother, subject: stranger })).toBeNull();
    expect(subjectRecord({ onBehalf: "child", filer: null, subject: child })).toBeNull();
    expect(subjectRecord({ onBehalf: "authorised", filer: mother, subject: stranger })).toBe(stranger);
    expect(subjectRecord({ onBehalf: "authorised", filer: mother, subject: null })).toBeNull();
    expect(subjectRecord({ onBehalf: "business", filer: mother, subject: child })).toBeNull();
  });

  it("enforcement overwrites a tampered or emptied locked answer and keeps the rest as posted", () => {
    const prefill = verifiedPrefill({ definition, level: 2, filer: mother, subject: child });
    const posted = { ...FILER_FIELDS, applicant_name: "Kẻ Giả Mạo", applicant_cccd: "079000000000", child_sex: "", applicant_email: "a@b.vn" };
    const enforced = enforceVerified(posted, prefill);
    expect(enforced).toMatchObject({ ...FILER_FIELDS, child_name: child.fullName, child_sex: "nam", applicant_email: "a@b.vn" });
    // Level 1 enforces nothing.
    expect(enforceVerified(posted, verifiedPrefill({ definition, level: 1, filer: mother, subject: child }))).toEqual(posted);
  });

  it("the dossier's verified fields are the locked ones its answers hold", () => {
    const prefill = verifiedPrefill({ definition, level: 2, filer: mother, subject: child });
    const none: Record<string, unknown> = {};
    const { child_name: _hidden, ...answers } = enforceVerified(none, prefill);
    expect(verifiedFieldsOf(prefill, answers)).toEqual(["applicant_name", "applicant_dob", "applicant_cccd", "applicant_address", "child_dob", "child_sex"]);
  });
});
