import * as z from "zod";
import { DELIVERY_MODES, type DeliveryMode } from "./delivery";

/**
 * The settings of a procedure an administrator may change. Its online level is not one of them: it
 * follows from what the procedure really has (derived-level.ts, decision 031) — these settings among
 * it (the fee and whether it can be paid online, how the result is delivered, a step the citizen must
 * still come in person for), its templates and its published form.
 */
export type ProcedureSettings = {
  processingDays: number;
  feeVnd: number;
  paymentOnline: boolean;
  deliveryModes: DeliveryMode[];
  /** Why the citizen must come in person (null: no such step): it makes an online service partial. */
  inPersonStep: string | null;
};
export const SETTINGS_FIELDS = ["processingDays", "feeVnd", "paymentOnline", "deliveryModes", "inPersonStep"] as const;
export type SettingsField = (typeof SETTINGS_FIELDS)[number];

export const MAX_PROCESSING_DAYS = 365;
/** A fee must stay payable online: VNPay's vnp_Amount (đồng × 100, fee plus postage) has 12 digits. */
export const MAX_FEE_VND = 1_000_000_000;
/** A short reason ("Hai bên nam, nữ có mặt khi đăng ký"), shown on the procedure's page. */
export const MAX_IN_PERSON_STEP = 200;

export function isDeliveryMode(value: string): value is DeliveryMode {
  return DELIVERY_MODES.some((m) => m === value);
}

/** Known modes only, each once, in the portal's own order (so ["post", "counter"] and ["counter", "post"] are one setting). */
export function normalizeDeliveryModes(modes: readonly string[]): DeliveryMode[] {
  return DELIVERY_MODES.filter((m) => modes.includes(m));
}

/** A whole number as typed: digits, or digits grouped by three with dots, commas or spaces ("1.234.000"). */
const GROUPED = /^\d{1,3}(?:[.,\s\u00a0\u202f]\d{3})+$/;
function wholeNumber(text: string): number | null {
  const t = text.trim();
  if (/^\d{1,15}$/.test(t)) return Number(t);
  if (GROUPED.test(t) && t.length <= 20) return Number(t.replace(/\D/g, ""));
  return null;
}

/** A text input's value: missing, blank and non-text all read as "" (then "required"). */
const typed = z.preprocess((v) => (typeof v === "number" ? String(v) : typeof v === "string" ? v : ""), z.string());

/** The edit form. Messages are i18n keys. A checkbox sends "yes" when ticked and nothing otherwise. */
export const ProcedureSettingsSchema = z.object({
  processingDays: typed.transform((v, ctx) => {
    if (v.trim() === "") ctx.addIssue({ code: "custom", message: "proc_admin.errors.days_required" });
    else {
      const n = wholeNumber(v);
      if (n === null) ctx.addIssue({ code: "custom", message: "proc_admin.errors.days_invalid" });
      else if (n > MAX_PROCESSING_DAYS) ctx.addIssue({ code: "custom", message: "proc_admin.errors.days_too_many" });
      else return n;
    }
    return z.NEVER;
  }),
  feeVnd: typed.transform((v, ctx) => {
    if (v.trim() === "") ctx.addIssue({ code: "custom", message: "proc_admin.errors.fee_required" });
    else {
      const n = wholeNumber(v);
      if (n === null) ctx.addIssue({ code: "custom", message: "proc_admin.errors.fee_invalid" });
      else if (n > MAX_FEE_VND) ctx.addIssue({ code: "custom", message: "proc_admin.errors.fee_too_large" });
      else return n;
    }
    return z.NEVER;
  }),
  deliveryModes: z
    .array(z.string({ error: "proc_admin.errors.delivery_invalid" }), { error: "proc_admin.errors.delivery_required" })
    .max(10, "proc_admin.errors.delivery_invalid")
    .transform((modes, ctx) => {
      if (!modes.every(isDeliveryMode)) ctx.addIssue({ code: "custom", message: "proc_admin.errors.delivery_invalid" });
      else if (modes.length === 0) ctx.addIssue({ code: "custom", message: "proc_admin.errors.delivery_required" });
      else return normalizeDeliveryModes(modes);
      return z.NEVER;
    }),
  paymentOnline: z.preprocess((v) => v === "yes" || v === true, z.boolean()),
  inPersonStep: typed.transform((v, ctx) => {
    const step = v.trim().replace(/\s+/g, " ");
    if (step.length > MAX_IN_PERSON_STEP) {
      ctx.addIssue({ code: "custom", message: "proc_admin.errors.in_person_too_long" });
      return z.NEVER;
    }
    return step === "" ? null : step;
  }),
});

export type SettingsIssue = { field: SettingsField; message: string };

/** The rules between settings: at least one way to receive the result. Empty when allowed. */
export function settingsIssues(settings: ProcedureSettings): SettingsIssue[] {
  return settings.deliveryModes.length === 0 ? [{ field: "deliveryModes", message: "proc_admin.errors.delivery_required" }] : [];
}

export type SettingsChanges = {
  processingDays?: { from: number; to: number };
  feeVnd?: { from: number; to: number };
  paymentOnline?: { from: boolean; to: boolean };
  deliveryModes?: { from: DeliveryMode[]; to: DeliveryMode[] };
  inPersonStep?: { from: string | null; to: string | null };
};

/**
 * Only the fields that differ, each with its old and new value (what the event records; older events
 * also have `level`, from when it was set by hand). Delivery modes compare as sets.
 */
export function settingsChanges(before: ProcedureSettings, after: ProcedureSettings): SettingsChanges {
  const changes: SettingsChanges = {};
  if (before.processingDays !== after.processingDays) changes.processingDays = { from: before.processingDays, to: after.processingDays };
  if (before.feeVnd !== after.feeVnd) changes.feeVnd = { from: before.feeVnd, to: after.feeVnd };
  const from = normalizeDeliveryModes(before.deliveryModes);
  const to = normalizeDeliveryModes(after.deliveryModes);
  if (from.join() !== to.join()) changes.deliveryModes = { from, to };
  if (before.paymentOnline !== after.paymentOnline) changes.paymentOnline = { from: before.paymentOnline, to: after.paymentOnline };
  if ((before.inPersonStep ?? null) !== (after.inPersonStep ?? null)) changes.inPersonStep = { from: before.inPersonStep, to: after.inPersonStep };
  return changes;
}
