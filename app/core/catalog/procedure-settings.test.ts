import { describe, expect, it } from "vitest";
import { fieldErrors } from "../forms/field-errors";
import { normalizeDeliveryModes, ProcedureSettingsSchema, settingsChanges, settingsIssues, type ProcedureSettings } from "./procedure-settings";

const form = (values: Partial<Record<"processingDays" | "feeVnd" | "paymentOnline" | "inPersonStep", string>> & { deliveryModes?: string[] } = {}) => ({
  processingDays: "5",
  feeVnd: "15000",
  deliveryModes: ["counter"],
  ...values,
});
const errorsOf = (input: unknown) => {
  const parsed = ProcedureSettingsSchema.safeParse(input);
  return parsed.success ? {} : fieldErrors(parsed.error);
};
const settings = (over: Partial<ProcedureSettings> = {}): ProcedureSettings => ({
  processingDays: 5,
  feeVnd: 15000,
  paymentOnline: false,
  deliveryModes: ["counter"],
  inPersonStep: null,
  ...over,
});

describe("ProcedureSettingsSchema", () => {
  it("reads the form's text into numbers and delivery modes in the portal's order", () => {
    expect(
      ProcedureSettingsSchema.parse(
        form({ processingDays: " 12 ", feeVnd: "1.234.000", paymentOnline: "yes", deliveryModes: ["post", "online", "counter", "post"] }),
      ),
    ).toEqual({
      processingDays: 12,
      feeVnd: 1_234_000,
      paymentOnline: true,
      deliveryModes: ["counter", "online", "post"],
      inPersonStep: null,
    });
  });

  it("accepts fees grouped by dots, commas or spaces, and zero", () => {
    for (const [typed, value] of [
      ["0", 0],
      ["200000", 200_000],
      ["200.000", 200_000],
      ["1,234,000", 1_234_000],
      ["1 234 000", 1_234_000],
    ] as const)
      expect(ProcedureSettingsSchema.parse(form({ feeVnd: typed })).feeVnd, typed).toBe(value);
  });

  it("refuses fees that are not whole đồng, negative or too large", () => {
    for (const typed of ["1.5", "12.34", "-1", "1e6", "abc", "1.2345.000"])
      expect(errorsOf(form({ feeVnd: typed })), typed).toEqual({ feeVnd: "proc_admin.errors.fee_invalid" });
    expect(errorsOf(form({ feeVnd: "" }))).toEqual({ feeVnd: "proc_admin.errors.fee_required" });
    expect(errorsOf(form({ feeVnd: "1000000001" }))).toEqual({ feeVnd: "proc_admin.errors.fee_too_large" });
    expect(ProcedureSettingsSchema.parse(form({ feeVnd: "1000000000" })).feeVnd).toBe(1_000_000_000);
  });

  it("takes processing days from 0 to 365 only", () => {
    expect(ProcedureSettingsSchema.parse(form({ processingDays: "0" })).processingDays).toBe(0);
    expect(ProcedureSettingsSchema.parse(form({ processingDays: "365" })).processingDays).toBe(365);
    expect(errorsOf(form({ processingDays: "366" }))).toEqual({ processingDays: "proc_admin.errors.days_too_many" });
    for (const typed of ["-1", "2.5", "ba"])
      expect(errorsOf(form({ processingDays: typed })), typed).toEqual({ processingDays: "proc_admin.errors.days_invalid" });
    expect(errorsOf(form({ processingDays: " " }))).toEqual({ processingDays: "proc_admin.errors.days_required" });
  });

  it("reads the online-payment box as ticked only when it sends yes", () => {
    expect(ProcedureSettingsSchema.parse(form()).paymentOnline).toBe(false);
    expect(ProcedureSettingsSchema.parse(form({ paymentOnline: "yes" })).paymentOnline).toBe(true);
    expect(ProcedureSettingsSchema.parse(form({ paymentOnline: "no" })).paymentOnline).toBe(false);
  });

  it("keeps an in-person step as one short line, and a blank one as none", () => {
    expect(ProcedureSettingsSchema.parse(form({ inPersonStep: "  Hai bên   nam, nữ\ncó mặt " })).inPersonStep).toBe("Hai bên nam, nữ có mặt");
    expect(ProcedureSettingsSchema.parse(form({ inPersonStep: "   " })).inPersonStep).toBeNull();
    expect(errorsOf(form({ inPersonStep: "x".repeat(201) }))).toEqual({ inPersonStep: "proc_admin.errors.in_person_too_long" });
  });

  it("needs at least one known delivery mode", () => {
    expect(errorsOf(form({ deliveryModes: [] }))).toEqual({ deliveryModes: "proc_admin.errors.delivery_required" });
    expect(errorsOf({ ...form(), deliveryModes: undefined })).toEqual({ deliveryModes: "proc_admin.errors.delivery_required" });
    expect(errorsOf(form({ deliveryModes: ["counter", "drone"] }))).toEqual({ deliveryModes: "proc_admin.errors.delivery_invalid" });
  });
});

describe("settingsIssues", () => {
  it("allows any delivery, the electronic result included: the level follows from it (derived-level.ts)", () => {
    expect(settingsIssues(settings({ deliveryModes: ["counter", "online", "post"] }))).toEqual([]);
    expect(settingsIssues(settings({ deliveryModes: ["online"] }))).toEqual([]);
  });

  it("needs a way to receive the result", () => {
    expect(settingsIssues(settings({ deliveryModes: [] }))).toEqual([{ field: "deliveryModes", message: "proc_admin.errors.delivery_required" }]);
  });
});

describe("settingsChanges", () => {
  it("lists only the fields that changed, each from → to", () => {
    expect(settingsChanges(settings({ paymentOnline: true, processingDays: 5 }), settings({ paymentOnline: false, processingDays: 7 }))).toEqual({
      paymentOnline: { from: true, to: false },
      processingDays: { from: 5, to: 7 },
    });
    expect(settingsChanges(settings(), settings({ inPersonStep: "Có mặt" }))).toEqual({ inPersonStep: { from: null, to: "Có mặt" } });
    expect(settingsChanges(settings({ feeVnd: 0 }), settings({ feeVnd: 20_000 }))).toEqual({ feeVnd: { from: 0, to: 20_000 } });
  });

  it("finds nothing when nothing changed, whatever order the delivery modes were stored in", () => {
    expect(settingsChanges(settings({ deliveryModes: ["post", "counter"] }), settings({ deliveryModes: ["counter", "post"] }))).toEqual({});
    expect(settingsChanges(settings({ deliveryModes: ["counter"] }), settings({ deliveryModes: ["counter", "post"] }))).toEqual({
      deliveryModes: { from: ["counter"], to: ["counter", "post"] },
    });
  });

  it("normalises delivery modes: known ones, once, in order", () => {
    expect(normalizeDeliveryModes(["post", "fax", "counter", "post"])).toEqual(["counter", "post"]);
  });
});
