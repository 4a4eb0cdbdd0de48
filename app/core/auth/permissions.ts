/**
 * What each role may do, as typed strings. Guards ask `can(role, permission)`; no route compares
 * role names itself. Where a permission applies (which agencies) is the scope, decided separately:
 * officers and agency administrators see their agency's subtree, system administrators everything.
 */
export const ROLES = ["citizen", "officer", "agency_admin", "system_admin"] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  /** Read the agency queue and dossiers (personal data masked). */
  "dossier:read",
  /** Move dossiers through the workflow (receive, request supplement, issue result…). */
  "dossier:process",
  /** Register a dossier for a citizen at the counter or submit online on their behalf. */
  "dossier:intake",
  /** Open a dossier's full personal data (an audited event). */
  "personal_data:view",
  /** Create, disable and re-enable officer accounts within the scope. */
  "officer:manage",
  /** Create agency administrators (system administrators only). */
  "agency_admin:manage",
  /** Change the procedures of the agencies within the scope (online level, processing time, fee, delivery modes). */
  "procedure:manage",
  /** Read the audit trail within the scope. */
  "audit:read",
  /** Read the notification outbox (development sink and delivery states). */
  "outbox:read",
  /** Read usage statistics within the scope. */
  "statistics:read",
  /** See and resolve flagged payments (money the gateway took that the books do not match) and refused payment callbacks; national. */
  "payment:reconcile",
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const OFFICER: readonly Permission[] = ["dossier:read", "dossier:process", "dossier:intake", "personal_data:view"];

export const ROLE_PERMISSIONS: Readonly<Record<Role, readonly Permission[]>> = {
  citizen: [],
  officer: OFFICER,
  agency_admin: [...OFFICER, "officer:manage", "procedure:manage", "audit:read", "statistics:read"],
  system_admin: ["officer:manage", "agency_admin:manage", "procedure:manage", "audit:read", "outbox:read", "statistics:read", "payment:reconcile"],
};

export function can(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission);
}

/** Roles whose permissions apply to one agency subtree (the rest see every agency or none). */
export function isAgencyScoped(role: Role): boolean {
  return role === "officer" || role === "agency_admin";
}

/** Which roles an administrator may create or disable. */
export function manageableRoles(role: Role): Role[] {
  if (role === "system_admin") return ["officer", "agency_admin"];
  if (role === "agency_admin") return ["officer"];
  return [];
}
