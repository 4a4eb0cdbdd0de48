import { and, desc, eq, inArray, isNull, ne, or } from "drizzle-orm";
import {
  chooseSubject,
  dossierAccess,
  subjectStillAllowed,
  type Capacity,
  type FilerFacts,
  type ForWhomPost,
  type Subject,
  type Viewer,
} from "../../core/dossiers/representation";
import { STATUS } from "../../core/dossiers/status";
import { vneidIdentityOf } from "../auth/identities.server";
import { businessByTaxCode, businessesOwnedBy } from "../identity/business-registry.server";
import { childrenOf } from "../identity/population.server";
import { db, inTransaction, type Tx } from "../platform/db.server";
import { schema } from "../platform/schema.server";
import { ofDossier, recordEvent } from "../statistics/events.server";
import type { Dossier } from "./dossiers.server";

/**
 * Acting for someone else (decision 036), the data side: the facts about a filer and a viewer, read live on
 * every request (a removed member or a changed population record counts at once), the draft's subject, the
 * one access check of citizen dossier routes, and business members.
 */

/** The tax codes a user is a current member of (not removed). */
async function memberTaxCodes(tx: Tx, userId: number): Promise<string[]> {
  const rows = await tx
    .select({ taxCode: schema.businessMembers.taxCode })
    .from(schema.businessMembers)
    .where(and(eq(schema.businessMembers.userId, userId), isNull(schema.businessMembers.removedAt)));
  return [...new Set(rows.map((r) => r.taxCode))];
}

/** The level-2 CCCD of an account (a parent or an owner must be checked in person), else null. */
async function verifiedCccdOf(userId: number): Promise<string | null> {
  const identity = await vneidIdentityOf(userId);
  return identity && identity.level >= 2 ? identity.subject : null;
}

/** The businesses a user may act for: those the registry says they own (by verified CCCD) and those they are a member of. */
export async function businessesOf(userId: number, tx: Tx = db()): Promise<{ taxCode: string; name: string; owner: boolean }[]> {
  const cccd = await verifiedCccdOf(userId);
  const owned = cccd ? businessesOwnedBy(cccd).map((b) => ({ taxCode: b.taxCode, name: b.name, owner: true })) : [];
  const member = (await memberTaxCodes(tx, userId))
    .filter((code) => !owned.some((b) => b.taxCode === code))
    .flatMap((code) => {
      const b = businessByTaxCode(code);
      return b ? [{ taxCode: b.taxCode, name: b.name, owner: false }] : [];
    });
  return [...owned, ...member];
}

/** What decides whom a user may file for. */
export async function filerFacts(userId: number): Promise<FilerFacts & { linkedLevel: number | null }> {
  const identity = await vneidIdentityOf(userId);
  const verifiedCccd = identity && identity.level >= 2 ? identity.subject : null;
  return {
    verifiedCccd,
    linkedLevel: identity?.level ?? null,
    children: verifiedCccd ? childrenOf(verifiedCccd).map((c) => ({ cccd: c.cccd, fullName: c.fullName })) : [],
    businesses: await businessesOf(userId),
  };
}

/** Who is looking, for dossierAccess. */
export async function viewerOf(userId: number): Promise<Viewer> {
  const identity = await vneidIdentityOf(userId);
  return { userId, linkedCccd: identity?.subject ?? null, taxCodes: (await businessesOf(userId)).map((b) => b.taxCode) };
}

/** The one access check of citizen dossier routes: in what capacity the user may see this dossier, or null. */
export async function accessTo(
  userId: number,
  dossier: Pick<Dossier, "applicantId" | "onBehalf" | "subjectCccd" | "subjectTaxCode">,
): Promise<Capacity | null> {
  return dossierAccess(await viewerOf(userId), dossier);
}

/** Whether the draft's stored subject is still one the filer may file for (checked on every save and submit). */
export async function draftSubjectAllowed(userId: number, draft: Subject): Promise<boolean> {
  return subjectStillAllowed(draft, await filerFacts(userId));
}

export type SetSubjectOutcome = { ok: true; subject: Subject } | { ok: false; field: string; error: string } | { ok: false; error: "not_found" };

/** Sets who the filer's open draft is for, after checking the filer may file for them; one transaction with its event. */
export async function setDraftSubject(input: { userId: number; draftId: number; post: ForWhomPost }): Promise<SetSubjectOutcome> {
  const chosen = chooseSubject(input.post, await filerFacts(input.userId));
  if (!chosen.ok) return chosen;
  return inTransaction(async (tx): Promise<SetSubjectOutcome> => {
    const [updated] = await tx
      .update(schema.dossiers)
      .set({ ...chosen.subject, updatedAt: new Date() })
      .where(and(eq(schema.dossiers.id, input.draftId), eq(schema.dossiers.applicantId, input.userId), eq(schema.dossiers.status, STATUS.draft)))
      .returning();
    if (!updated) return { ok: false, error: "not_found" };
    await recordEvent(tx, {
      type: "subject_chosen",
      ...ofDossier(updated),
      actorId: input.userId,
      actorRole: "citizen",
      data: { onBehalf: chosen.subject.onBehalf },
    });
    return chosen;
  });
}

/** Accounts (ids) who should hear about a dossier besides its filer: the subject's account when it has one. */
export async function subjectAccountId(tx: Tx, dossier: Pick<Dossier, "onBehalf" | "subjectCccd" | "applicantId">): Promise<number | null> {
  if (dossier.onBehalf === "self" || dossier.subjectCccd === null) return null;
  const [row] = await tx
    .select({ userId: schema.userIdentities.userId })
    .from(schema.userIdentities)
    .where(and(eq(schema.userIdentities.provider, "vneid"), eq(schema.userIdentities.subject, dossier.subjectCccd)))
    .limit(1);
  return row && row.userId !== dossier.applicantId ? row.userId : null;
}

/** The where clause for "My dossiers": filed by the user, for the user's linked CCCD, or for one of their businesses. */
export async function visibleDossiersWhere(userId: number) {
  const viewer = await viewerOf(userId);
  return or(
    // The same rule as dossierAccess: a business's dossier only while the filer is still of the business.
    and(
      eq(schema.dossiers.applicantId, userId),
      viewer.taxCodes.length
        ? or(ne(schema.dossiers.onBehalf, "business"), inArray(schema.dossiers.subjectTaxCode, [...viewer.taxCodes]))
        : ne(schema.dossiers.onBehalf, "business"),
    ),
    viewer.linkedCccd ? and(eq(schema.dossiers.subjectCccd, viewer.linkedCccd), inArray(schema.dossiers.onBehalf, ["child", "authorised"])) : undefined,
    viewer.taxCodes.length ? and(eq(schema.dossiers.onBehalf, "business"), inArray(schema.dossiers.subjectTaxCode, [...viewer.taxCodes])) : undefined,
  );
}

// Business members: the owner's page (/account/businesses).

export type MemberError = "not_owner" | "no_such_account" | "already_member" | "owner_cannot_be_member" | "not_member";

/** The businesses the user owns, each with its current members. */
export async function ownedBusinesses(userId: number) {
  const cccd = await verifiedCccdOf(userId);
  const owned = cccd ? businessesOwnedBy(cccd) : [];
  if (owned.length === 0) return [];
  const rows = await db()
    .select({
      id: schema.businessMembers.id,
      taxCode: schema.businessMembers.taxCode,
      userId: schema.users.id,
      email: schema.users.email,
      fullName: schema.users.fullName,
      addedAt: schema.businessMembers.addedAt,
    })
    .from(schema.businessMembers)
    .innerJoin(schema.users, eq(schema.users.id, schema.businessMembers.userId))
    .where(
      and(
        inArray(
          schema.businessMembers.taxCode,
          owned.map((b) => b.taxCode),
        ),
        isNull(schema.businessMembers.removedAt),
      ),
    )
    .orderBy(desc(schema.businessMembers.addedAt));
  return owned.map((b) => ({ taxCode: b.taxCode, name: b.name, address: b.address, members: rows.filter((r) => r.taxCode === b.taxCode) }));
}

async function ownsBusiness(userId: number, taxCode: string): Promise<boolean> {
  const cccd = await verifiedCccdOf(userId);
  return cccd !== null && businessByTaxCode(taxCode)?.ownerCccd === cccd;
}

/** The owner adds an existing citizen account, by its e-mail, as a member; one transaction with its event. */
export async function addBusinessMember(input: {
  ownerId: number;
  taxCode: string;
  email: string;
  now?: Date;
}): Promise<{ ok: true } | { ok: false; error: MemberError }> {
  if (!(await ownsBusiness(input.ownerId, input.taxCode))) return { ok: false, error: "not_owner" };
  const now = input.now ?? new Date();
  return inTransaction(async (tx) => {
    const [account] = await tx
      .select({ id: schema.users.id })
      .from(schema.users)
      .where(and(eq(schema.users.email, input.email.trim().toLowerCase()), eq(schema.users.role, "citizen"), isNull(schema.users.disabledAt)))
      .limit(1);
    if (!account) return { ok: false, error: "no_such_account" } as const;
    if (account.id === input.ownerId) return { ok: false, error: "owner_cannot_be_member" } as const;
    const [already] = await tx
      .select({ id: schema.businessMembers.id })
      .from(schema.businessMembers)
      .where(and(eq(schema.businessMembers.taxCode, input.taxCode), eq(schema.businessMembers.userId, account.id), isNull(schema.businessMembers.removedAt)))
      .limit(1);
    if (already) return { ok: false, error: "already_member" } as const;
    await tx.insert(schema.businessMembers).values({ taxCode: input.taxCode, userId: account.id, addedBy: input.ownerId, addedAt: now });
    await recordEvent(tx, {
      type: "business_member_added",
      occurredAt: now,
      actorId: input.ownerId,
      actorRole: "citizen",
      data: { taxCode: input.taxCode, userId: account.id },
    });
    return { ok: true } as const;
  });
}

/** The owner removes a member: from this moment every access check leaves them out. */
export async function removeBusinessMember(input: {
  ownerId: number;
  taxCode: string;
  userId: number;
  now?: Date;
}): Promise<{ ok: true } | { ok: false; error: MemberError }> {
  if (!(await ownsBusiness(input.ownerId, input.taxCode))) return { ok: false, error: "not_owner" };
  const now = input.now ?? new Date();
  return inTransaction(async (tx) => {
    const removed = await tx
      .update(schema.businessMembers)
      .set({ removedAt: now })
      .where(and(eq(schema.businessMembers.taxCode, input.taxCode), eq(schema.businessMembers.userId, input.userId), isNull(schema.businessMembers.removedAt)))
      .returning({ id: schema.businessMembers.id });
    if (removed.length === 0) return { ok: false, error: "not_member" } as const;
    await recordEvent(tx, {
      type: "business_member_removed",
      occurredAt: now,
      actorId: input.ownerId,
      actorRole: "citizen",
      data: { taxCode: input.taxCode, userId: input.userId },
    });
    return { ok: true } as const;
  });
}
