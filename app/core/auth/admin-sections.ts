import { can, type Permission, type Role } from "./permissions";

/**
 * The administration area's pages, each with the permission it needs: the one list the layout's
 * navigation and the overview page are built from (each page still guards itself).
 */
export const ADMIN_SECTIONS = [
  { to: "/admin/statistics", permission: "statistics:read", label: "stats.dashboard.nav_link", intro: "stats.dashboard.intro_link" },
  { to: "/admin/users", permission: "officer:manage", label: "admin.users_link", intro: "admin.users_intro" },
  { to: "/admin/procedures", permission: "procedure:manage", label: "proc_admin.link", intro: "proc_admin.intro" },
  { to: "/admin/forms", permission: "procedure:manage", label: "form_admin.link", intro: "form_admin.intro" },
  { to: "/admin/audit", permission: "audit:read", label: "admin.audit_link", intro: "admin.audit_intro" },
  { to: "/admin/statistics/reported", permission: "statistics:read", label: "reported.nav_link", intro: "reported.intro_link" },
  { to: "/admin/tokens", permission: "statistics:read", label: "admin.tokens.link", intro: "admin.tokens.intro" },
  { to: "/admin/outbox", permission: "outbox:read", label: "notify.outbox.title", intro: "notify.outbox.intro_link" },
  { to: "/admin/payments", permission: "payment:reconcile", label: "pay_admin.title", intro: "pay_admin.intro_link" },
] as const satisfies readonly { to: string; permission: Permission; label: string; intro: string }[];

export type AdminSection = (typeof ADMIN_SECTIONS)[number];

export const ADMIN_PERMISSIONS: readonly Permission[] = [...new Set(ADMIN_SECTIONS.map((s) => s.permission))];

export function sectionsFor(role: Role): AdminSection[] {
  return ADMIN_SECTIONS.filter((s) => can(role, s.permission));
}
