import { ADMIN_PERMISSIONS } from "./admin-sections";
import { can, type Role } from "./permissions";

/**
 * Where each role works, for the site header and for where sign-in lands. Presentation only: every
 * page behind these links still runs its own guard.
 */
export type WorkspaceLink = { to: string; label: string };

const canAdminister = (role: Role) => ADMIN_PERMISSIONS.some((p) => can(role, p));

/** The officers' area (/officer) lets in anyone allowed one of its pages; each page still guards its own. */
export const OFFICER_PERMISSIONS = ["dossier:read", "dossier:process", "dossier:intake"] as const;

/**
 * The header's links for a signed-in user, by permission: a citizen's own dossiers; an officer's
 * queue and counter intake; the administration area for anyone allowed one of its pages.
 */
export function workspaceLinks(role: Role): WorkspaceLink[] {
  if (role === "citizen") return [{ to: "/applications", label: "layout.nav_my_dossiers" }];
  const links: WorkspaceLink[] = [];
  if (can(role, "dossier:read")) links.push({ to: "/officer", label: "officer.nav_link" });
  if (can(role, "dossier:intake")) links.push({ to: "/officer/intake", label: "intake.nav_link" });
  if (canAdminister(role)) links.push({ to: "/admin", label: "admin.nav_link" });
  return links;
}

/**
 * Where sign-in sends a user when no page asked for them (no safe `redirectTo`): administrators to
 * the administration area, officers to their queue, citizens to the home page.
 */
export function landingPage(role: Role): string {
  if (canAdminister(role)) return "/admin";
  if (can(role, "dossier:read")) return "/officer";
  return "/";
}
