import * as z from "zod";
import { manageableRoles, type Role } from "../auth/permissions";
import { fold, searchTokens } from "../text/fold";

/** Staff accounts are the ones administrators manage; citizens and system administrators are not staff. */
export const STAFF_ROLES = ["officer", "agency_admin"] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

export function isStaffRole(role: Role): role is StaffRole {
  return role === "officer" || role === "agency_admin";
}

/** Longer than a citizen's (10): staff accounts open personal data. */
export const STAFF_PASSWORD_MIN = 12;

const AGENCY_CODE = /^[a-z0-9-]{2,80}$/;

/** A GET form sends "" for an empty field; treat it as absent. */
const blankToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);

/** The "create an account" form. Messages are i18n keys. */
export const NewStaffSchema = z.object({
  fullName: z.string().trim().min(2, "admin.errors.name_required").max(100, "admin.errors.name_too_long"),
  email: z
    .string()
    .trim()
    .toLowerCase()
    .min(1, "admin.errors.email_required")
    .max(254, "admin.errors.email_invalid")
    .pipe(z.email({ error: "admin.errors.email_invalid" })),
  agency: z.string({ error: "admin.errors.agency_required" }).trim().regex(AGENCY_CODE, "admin.errors.agency_required"),
  role: z.enum(STAFF_ROLES, { error: "admin.errors.role_required" }),
  password: z.string({ error: "admin.errors.password_short" }).min(STAFF_PASSWORD_MIN, "admin.errors.password_short").max(200, "admin.errors.password_long"),
});
export type NewStaff = z.infer<typeof NewStaffSchema>;

/** Disable or re-enable one account. */
export const StaffStateSchema = z.object({
  intent: z.enum(["disable", "enable"]),
  userId: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER),
});

/** An administrator resets a staff member's second factor (decision 033): they enrol again at their next sign-in. */
export const SecondFactorResetSchema = z.object({
  intent: z.literal("reset-second-factor"),
  userId: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER),
});

/** The staff list's filters; anything malformed is simply ignored (a filter, not a form to correct). */
export const StaffQuerySchema = z.object({
  agency: z.preprocess(blankToUndefined, z.string().trim().regex(AGENCY_CODE).optional()).catch(undefined),
  q: z.preprocess(blankToUndefined, z.string().trim().max(100).optional()).catch(undefined),
  page: z.coerce.number().int().min(1).max(10_000).default(1).catch(1),
});
export type StaffQuery = z.infer<typeof StaffQuerySchema>;

/**
 * Whether an agency path lies within a scope (the scope's own agency or one below it): the in-memory
 * twin of the SQL `withinAgency` (app/server/staff/agency-scope.server.ts), for rows already loaded.
 * Paths end with "/", so "/12/" is not mistaken for a child of "/1/"; "/" (a system administrator)
 * takes in every agency.
 */
export function isWithinAgency(path: string, scope: string): boolean {
  return scope.endsWith("/") && path.startsWith(scope);
}

/** Who is managing: `agencyPath` is their scope ("/" for a system administrator). */
export type Manager = { id: number; role: Role; agencyPath: string };
/** The account acted on; `agencyPath` null when it belongs to no agency (citizens, system administrators). */
export type StaffTarget = { id: number; role: Role; agencyPath: string | null };

/**
 * What a manager may do with an account: "none" when it is outside their sight (a citizen, a system
 * administrator, another agency's staff — answered 404 so its existence is not revealed), "view" when
 * it is listed but not theirs to change (an agency administrator seeing a fellow administrator), or
 * "manage".
 */
export function staffAccess(manager: Manager, target: StaffTarget): "none" | "view" | "manage" {
  if (!isStaffRole(target.role) || target.agencyPath === null || !isWithinAgency(target.agencyPath, manager.agencyPath)) return "none";
  return manageableRoles(manager.role).includes(target.role) ? "manage" : "view";
}

/** Free-text match on name and e-mail, ignoring case and Vietnamese diacritics ("nguyen van" finds "Nguyễn Văn"). */
export function matchesStaffText(row: { fullName: string; email: string }, q: string | undefined): boolean {
  const tokens = q ? searchTokens(q) : [];
  if (tokens.length === 0) return true;
  const haystack = fold(`${row.fullName} ${row.email}`);
  return tokens.every((t) => haystack.includes(t));
}
