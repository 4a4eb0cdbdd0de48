import * as z from "zod";
import { DELIVERY_MODES, type DeliveryMode } from "./delivery";
import { isLevel, levelAllows, type Level } from "./levels";

/**
 * The settings of a procedure an administrator may change, and the rules that tie them to what the
 * procedure has: an online level promises something (a downloadable template at 2, an online form at
 * 3, an electronic result at 4) that must exist before the level is offered to citizens.
 */
export type ProcedureSettings = { level: Level; processingDays: number; feeVnd: number; deliveryModes: DeliveryMode[] };
export const SETTINGS_FIELDS = ["level", "processingDays", "feeVnd", "deliveryModes"] as const;
export type SettingsField = (typeof SETTINGS_FIELDS)[number];

export const MAX_PROCESSING_DAYS = 365;
/** A fee must stay payable online: VNPay's vnp_Amount (đồng × 100, fee plus postage) has 12 digits. */
export const MAX_FEE_VND = 1_000_000_000;

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

/** The edit form. Messages are i18n keys. Rules that need the procedure's form and templates are in `settingsIssues`. */
export const ProcedureSettingsSchema = z.object({
  level: typed.transform((v, ctx): Level => {
    const n = Number(v.trim());
    if (v.trim() === "" || !isLevel(n)) {
      ctx.addIssue({ code: "custom", message: "proc_admin.errors.level_required" });
      return z.NEVER;
    }
    return n;
  }),
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
});

/** What the procedure has, which a level depends on. */
export type ProcedureFacts = { hasForm: boolean; hasTemplate: boolean };
export type SettingsIssue = { field: SettingsField; message: string };

/**
 * The rules between settings and the procedure (Decree 43/2011, as levels.ts reads it): level 2
 * offers a template to download, level 3 an online form, and only level 4 returns the result
 * electronically (delivery "online"); at least one way to receive the result. Empty when allowed.
 */
export function settingsIssues(settings: ProcedureSettings, facts: ProcedureFacts): SettingsIssue[] {
  const allows = levelAllows(settings.level);
  const issues: SettingsIssue[] = [];
  if (allows.templates && !facts.hasTemplate) issues.push({ field: "level", message: "proc_admin.errors.level_needs_template" });
  if (allows.applyOnline && !facts.hasForm) issues.push({ field: "level", message: "proc_admin.errors.level_needs_form" });
  if (settings.deliveryModes.length === 0) issues.push({ field: "deliveryModes", message: "proc_admin.errors.delivery_required" });
  else if (settings.deliveryModes.includes("online") && !allows.resultOnline)
    issues.push({ field: "deliveryModes", message: "proc_admin.errors.online_needs_level_4" });
  return issues;
}

export type SettingsChanges = {
  level?: { from: number; to: number };
  processingDays?: { from: number; to: number };
  feeVnd?: { from: number; to: number };
  deliveryModes?: { from: DeliveryMode[]; to: DeliveryMode[] };
};

/** Only the fields that differ, each with its old and new value (what the event records). Delivery modes compare as sets. */
export function settingsChanges(before: ProcedureSettings, after: ProcedureSettings): SettingsChanges {
  const changes: SettingsChanges = {};
  if (before.level !== after.level) changes.level = { from: before.level, to: after.level };
  if (before.processingDays !== after.processingDays) changes.processingDays = { from: before.processingDays, to: after.processingDays };
  if (before.feeVnd !== after.feeVnd) changes.feeVnd = { from: before.feeVnd, to: after.feeVnd };
  const from = normalizeDeliveryModes(before.deliveryModes);
  const to = normalizeDeliveryModes(after.deliveryModes);
  if (from.join() !== to.join()) changes.deliveryModes = { from, to };
  return changes;
}
