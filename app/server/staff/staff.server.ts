import argon2 from "argon2";
import { and, eq, inArray, isNull } from "drizzle-orm";
import { schema } from "../platform/schema.server";
import { manageableRoles, type Role } from "../../core/auth/permissions";
import { matchesStaffText, STAFF_ROLES, staffAccess, type Manager, type NewStaff, type StaffQuery } from "../../core/staff/staff";
import { db, inTransaction, type Tx } from "../platform/db.server";
import { recordEvent } from "../statistics/events.server";
import { agencyTreeColumns, withinAgency } from "./agency-scope.server";

export const STAFF_PAGE_SIZE = 50;

/** The scope filter every query here carries: an agency and everything below it ("/" is every agency). */

/**
 * The agencies an administrator works with, parents before children, with `level` the depth below
 * the top of the scope (for indenting a select). Dissolved agencies are left out of the create form
 * (nobody is appointed to them) but kept for filtering the list, where their former staff still show.
 */
export async function listScopeAgencies(input: { agencyPath: string; includeDissolved: boolean }) {
  const rows = await db()
    .select({
      ...agencyTreeColumns,
      dissolvedOn: schema.agencies.dissolvedOn,
    })
    .from(schema.agencies)
    .where(and(withinAgency(input.agencyPath), input.includeDissolved ? undefined : isNull(schema.agencies.dissolvedOn)));
  const ids = new Set(rows.map((r) => r.id));
  const byParent = new Map<number | null, typeof rows>();
  for (const r of rows) {
    // The top of the scope (or an agency whose dissolved parent was left out) starts a tree.
    const parent = r.parentId !== null && ids.has(r.parentId) ? r.parentId : null;
    byParent.set(parent, [...(byParent.get(parent) ?? []), r]);
  }
  const kindOrder = { ministry: 0, province: 1, department: 2, district: 3, commune: 4 };
  const ordered: { code: string; nameVi: string; nameEn: string | null; level: number; dissolved: boolean }[] = [];
  const walk = (parentId: number | null, level: number) => {
    const children = [...(byParent.get(parentId) ?? [])].sort(
      (a, b) => kindOrder[a.kind] - kindOrder[b.kind] || collator.compare(a.nameVi, b.nameVi) || a.id - b.id,
    );
    for (const c of children) {
      ordered.push({ code: c.code, nameVi: c.nameVi, nameEn: c.nameEn, level, dissolved: c.dissolvedOn !== null });
      walk(c.id, level + 1);
    }
  };
  walk(null, 0);
  return ordered;
}

const collator = new Intl.Collator("vi");
const ROLE_ORDER = { agency_admin: 0, officer: 1, citizen: 2, system_admin: 2 };

/**
 * Staff accounts (officers and agency administrators) in the manager's scope, optionally narrowed
 * to one agency's subtree and by name or e-mail. The text match folds Vietnamese diacritics, which
 * SQLite cannot, so it runs here on the scoped rows: staff lists are hundreds, not millions.
 */
export async function listStaff(input: { manager: Manager; query: StaffQuery }) {
  const { manager, query } = input;
  const conditions = [inArray(schema.users.role, [...STAFF_ROLES]), withinAgency(manager.agencyPath)];
  if (query.agency) {
    const [agency] = await db().select({ path: schema.agencies.path }).from(schema.agencies).where(eq(schema.agencies.code, query.agency)).limit(1);
    if (!agency) return { items: [], total: 0, page: 1, pageCount: 0 };
    conditions.push(withinAgency(agency.path));
  }
  const rows = (
    await db()
      .select({
        id: schema.users.id,
        fullName: schema.users.fullName,
        email: schema.users.email,
        role: schema.users.role,
        disabledAt: schema.users.disabledAt,
        agencyVi: schema.agencies.nameVi,
        agencyEn: schema.agencies.nameEn,
        agencyPath: schema.agencies.path,
      })
      .from(schema.users)
      .innerJoin(schema.agencies, eq(schema.agencies.id, schema.users.agencyId))
      .where(and(...conditions))
  )
    .filter((r) => matchesStaffText(r, query.q))
    // Ties (namesakes) by id: the rows come in no order of the database's (PostgreSQL keeps none).
    .sort(
      (a, b) => collator.compare(a.agencyVi, b.agencyVi) || ROLE_ORDER[a.role] - ROLE_ORDER[b.role] || collator.compare(a.fullName, b.fullName) || a.id - b.id,
    );
  const pageCount = Math.ceil(rows.length / STAFF_PAGE_SIZE);
  const page = Math.min(query.page, Math.max(pageCount, 1));
  const items = rows.slice((page - 1) * STAFF_PAGE_SIZE, page * STAFF_PAGE_SIZE).map(({ agencyPath, ...r }) => ({
    ...r,
    self: r.id === manager.id,
    manageable: r.id !== manager.id && staffAccess(manager, { id: r.id, role: r.role, agencyPath }) === "manage",
  }));
  return { items, total: rows.length, page, pageCount };
}

export type CreateStaffOutcome = { ok: true; userId: number } | { ok: false; error: "role_not_allowed" | "agency_invalid" | "email_taken" };

/**
 * Creates an officer or agency administrator in one of the manager's (not dissolved) agencies, with
 * its `user_created` event in the same transaction. The password is stored only as an argon2id hash
 * and never written to the log.
 */
export async function createStaff(input: { manager: Manager; staff: NewStaff; now?: Date }): Promise<CreateStaffOutcome> {
  const { manager, staff } = input;
  if (!manageableRoles(manager.role).includes(staff.role)) return { ok: false, error: "role_not_allowed" };
  const passwordHash = await argon2.hash(staff.password, { type: argon2.argon2id });
  return inTransaction(async (tx): Promise<CreateStaffOutcome> => {
    const [agency] = await tx
      .select({ id: schema.agencies.id })
      .from(schema.agencies)
      .where(and(eq(schema.agencies.code, staff.agency), isNull(schema.agencies.dissolvedOn), withinAgency(manager.agencyPath)))
      .limit(1);
    if (!agency) return { ok: false, error: "agency_invalid" };
    const [created] = await tx
      .insert(schema.users)
      .values({ email: staff.email, fullName: staff.fullName, passwordHash, role: staff.role, agencyId: agency.id })
      .onConflictDoNothing()
      .returning({ id: schema.users.id });
    if (!created) return { ok: false, error: "email_taken" };
    await recordEvent(tx, {
      type: "user_created",
      occurredAt: input.now,
      agencyId: agency.id,
      actorId: manager.id,
      actorRole: manager.role,
      data: { userId: created.id, role: staff.role },
    });
    return { ok: true, userId: created.id };
  });
}

/**
 * The staff member an administrator may change (disable, reset their second factor): within the
 * administrator's agencies with the right to manage their role, and never the administrator themself.
 * "Not yours" reads as not found, as everywhere.
 */
export async function managedStaffMember(
  tx: Tx,
  manager: Manager,
  userId: number,
): Promise<
  { ok: true; target: { id: number; role: Role; agencyId: number | null; disabledAt: Date | null } } | { ok: false; error: "not_found" | "forbidden" | "self" }
> {
  const [target] = await tx
    .select({
      id: schema.users.id,
      role: schema.users.role,
      agencyId: schema.users.agencyId,
      disabledAt: schema.users.disabledAt,
      agencyPath: schema.agencies.path,
    })
    .from(schema.users)
    .leftJoin(schema.agencies, eq(schema.agencies.id, schema.users.agencyId))
    .where(eq(schema.users.id, userId))
    .limit(1);
  if (!target) return { ok: false, error: "not_found" };
  if (target.id === manager.id) return { ok: false, error: "self" };
  const access = staffAccess(manager, { id: target.id, role: target.role, agencyPath: target.agencyPath });
  if (access === "none") return { ok: false, error: "not_found" };
  if (access === "view") return { ok: false, error: "forbidden" };
  return { ok: true, target };
}

export type StaffStateOutcome = { ok: true; changed: boolean } | { ok: false; error: "not_found" | "forbidden" | "self" };

/**
 * Disables or re-enables a staff account, with its event, in one transaction. Disabling also ends
 * the account's sessions, so re-enabling it later does not bring an old (perhaps stolen) cookie
 * back to life. Asking for the state the account is already in changes nothing and logs nothing.
 */
export async function setStaffDisabled(input: { manager: Manager; userId: number; disabled: boolean; now?: Date }): Promise<StaffStateOutcome> {
  const { manager } = input;
  const now = input.now ?? new Date();
  return inTransaction(async (tx): Promise<StaffStateOutcome> => {
    const found = await managedStaffMember(tx, manager, input.userId);
    if (!found.ok) return found;
    const { target } = found;
    if ((target.disabledAt !== null) === input.disabled) return { ok: true, changed: false };
    await tx
      .update(schema.users)
      .set({ disabledAt: input.disabled ? now : null })
      .where(eq(schema.users.id, target.id));
    if (input.disabled) await tx.delete(schema.sessions).where(eq(schema.sessions.userId, target.id));
    await recordEvent(tx, {
      type: input.disabled ? "user_disabled" : "user_enabled",
      occurredAt: now,
      agencyId: target.agencyId,
      actorId: manager.id,
      actorRole: manager.role,
      data: { userId: target.id, role: target.role },
    });
    return { ok: true, changed: true };
  });
}

/** The name of the agency at the top of an administrator's scope (for "Scope: …"). */
export async function getAgencyName(input: { agencyId: number }) {
  const [agency] = await db()
    .select({ nameVi: schema.agencies.nameVi, nameEn: schema.agencies.nameEn })
    .from(schema.agencies)
    .where(eq(schema.agencies.id, input.agencyId))
    .limit(1);
  return agency;
}
