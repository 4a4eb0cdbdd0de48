import { describe, expect, it } from "vitest";
import { fieldErrors } from "../forms/field-errors";
import { normalizeDeliveryModes, ProcedureSettingsSchema, settingsChanges, settingsIssues, type ProcedureSettings } from "./procedure-settings";

const form = (values: Partial<Record<"level" | "processingDays" | "feeVnd", string>> & { deliveryModes?: string[] } = {}) => ({
  level: "3",
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
  level: 3,
  processingDays: 5,
  feeVnd: 15000,
  deliveryModes: ["counter"],
  ...over,
});
const HAS_ALL = { hasForm: true, hasTemplate: true };

describe("ProcedureSettingsSchema", () => {
  it("reads the form's text into numbers and delivery modes in the portal's order", () => {
    expect(
      ProcedureSettingsSchema.parse(form({ level: "4", processingDays: " 12 ", feeVnd: "1.234.000", deliveryModes: ["post", "online", "counter", "post"] })),
    ).toEqual({
      level: 4,
      processingDays: 12,
      feeVnd: 1_234_000,
      deliveryModes: ["counter", "online", "post"],
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

  it("takes levels 1 to 4 only", () => {
    for (const typed of ["0", "5", "", "2.5", "x"]) expect(errorsOf(form({ level: typed })), typed).toEqual({ level: "proc_admin.errors.level_required" });
    expect(errorsOf({ ...form(), level: undefined })).toEqual({ level: "proc_admin.errors.level_required" });
  });

  it("needs at least one known delivery mode", () => {
    expect(errorsOf(form({ deliveryModes: [] }))).toEqual({ deliveryModes: "proc_admin.errors.delivery_required" });
    expect(errorsOf({ ...form(), deliveryModes: undefined })).toEqual({ deliveryModes: "proc_admin.errors.delivery_required" });
    expect(errorsOf(form({ deliveryModes: ["counter", "drone"] }))).toEqual({ deliveryModes: "proc_admin.errors.delivery_invalid" });
  });
});

describe("settingsIssues", () => {
  it("allows any consistent setting of a procedure that has a template and an online form", () => {
    expect(settingsIssues(settings({ level: 4, deliveryModes: ["counter", "online", "post"] }), HAS_ALL)).toEqual([]);
    expect(settingsIssues(settings({ level: 1 }), HAS_ALL)).toEqual([]);
  });

  it("refuses level 3 or 4 for a procedure without an online form", () => {
    const facts = { hasForm: false, hasTemplate: true };
    expect(settingsIssues(settings({ level: 3 }), facts)).toEqual([{ field: "level", message: "proc_admin.errors.level_needs_form" }]);
    expect(settingsIssues(settings({ level: 4 }), facts)).toEqual([{ field: "level", message: "proc_admin.errors.level_needs_form" }]);
    expect(settingsIssues(settings({ level: 2 }), facts)).toEqual([]);
  });

  it("refuses level 2 and above for a procedure without a template to download", () => {
    const facts = { hasForm: false, hasTemplate: false };
    expect(settingsIssues(settings({ level: 2 }), facts)).toEqual([{ field: "level", message: "proc_admin.errors.level_needs_template" }]);
    expect(settingsIssues(settings({ level: 1 }), facts)).toEqual([]);
  });

  it("keeps the electronic result ('online' delivery) to level 4", () => {
    const online = { deliveryModes: ["counter" as const, "online" as const] };
    expect(settingsIssues(settings({ level: 3, ...online }), HAS_ALL)).toEqual([{ field: "deliveryModes", message: "proc_admin.errors.online_needs_level_4" }]);
    expect(settingsIssues(settings({ level: 1, ...online }), HAS_ALL)).toEqual([{ field: "deliveryModes", message: "proc_admin.errors.online_needs_level_4" }]);
    expect(settingsIssues(settings({ level: 4, ...online }), HAS_ALL)).toEqual([]);
  });

  it("needs a way to receive the result", () => {
    expect(settingsIssues(settings({ deliveryModes: [] }), HAS_ALL)).toEqual([{ field: "deliveryModes", message: "proc_admin.errors.delivery_required" }]);
  });
});

describe("settingsChanges", () => {
  it("lists only the fields that changed, each from → to", () => {
    expect(settingsChanges(settings({ level: 4, processingDays: 5 }), settings({ level: 3, processingDays: 7 }))).toEqual({
      level: { from: 4, to: 3 },
      processingDays: { from: 5, to: 7 },
    });
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
