import { and, desc, eq, isNull } from "drizzle-orm";
import { createHash, randomBytes } from "node:crypto";
import * as z from "zod";
import { schema } from "../platform/schema.server";
import { can } from "../../core/auth/permissions";
import { db, inTransaction } from "../platform/db.server";
import { recordEvent } from "../statistics/events.server";
import { sessionUserColumns, type SessionUser } from "./session.server";

/**
 * Personal API tokens for the statistics API. The token is shown once, at creation; only its
 * SHA-256 is stored (a token is random, 32 bytes, so a fast hash is enough — no password to stretch).
 * A token acts as its owner, with the owner's current role, scope and enabled state.
 */
const PREFIX = "dvc_";

/** The revoke button's form: which of the caller's tokens (ownership is checked by revokeApiToken). */
export const RevokeTokenSchema = z.object({ tokenId: z.coerce.number().int().positive() });

export const TokenNameSchema = z.object({ name: z.string().trim().min(1, "admin.tokens.errors.name_required").max(80, "admin.tokens.errors.name_too_long") });

const hash = (token: string) => createHash("sha256").update(token).digest("hex");

export async function createApiToken(owner: SessionUser, name: string): Promise<{ id: number; token: string }> {
  const token = `${PREFIX}${randomBytes(32).toString("base64url")}`;
  return inTransaction(async (tx) => {
    const [row] = await tx
      .insert(schema.apiTokens)
      .values({ userId: owner.id, name, tokenHash: hash(token) })
      .returning({ id: schema.apiTokens.id });
    if (!row) throw new Error("the new API token's row was not returned");
    await recordEvent(tx, { type: "api_token_created", actorId: owner.id, actorRole: owner.role, agencyId: owner.agencyId, data: { tokenId: row.id, name } });
    return { id: row.id, token };
  });
}

export async function listApiTokens(owner: SessionUser) {
  return db()
    .select({
      id: schema.apiTokens.id,
      name: schema.apiTokens.name,
      createdAt: schema.apiTokens.createdAt,
      lastUsedAt: schema.apiTokens.lastUsedAt,
      revokedAt: schema.apiTokens.revokedAt,
    })
    .from(schema.apiTokens)
    .where(eq(schema.apiTokens.userId, owner.id))
    .orderBy(desc(schema.apiTokens.id));
}

/** Revokes one of the owner's own tokens; false when it is not theirs or already revoked. */
export async function revokeApiToken(owner: SessionUser, tokenId: number): Promise<boolean> {
  return inTransaction(async (tx) => {
    const changed = await tx
      .update(schema.apiTokens)
      .set({ revokedAt: new Date() })
      .where(and(eq(schema.apiTokens.id, tokenId), eq(schema.apiTokens.userId, owner.id), isNull(schema.apiTokens.revokedAt)))
      .returning({ id: schema.apiTokens.id });
    if (changed.length !== 1) return false;
    await recordEvent(tx, { type: "api_token_revoked", actorId: owner.id, actorRole: owner.role, agencyId: owner.agencyId, data: { tokenId } });
    return true;
  });
}

/** The owner of a live bearer token who may read statistics; null for anything else (the caller answers 401). */
export async function userForBearer(request: Request): Promise<SessionUser | null> {
  const header = request.headers.get("Authorization") ?? "";
  const match = /^Bearer\s+(dvc_[A-Za-z0-9_-]{43})$/.exec(header.trim());
  if (!match?.[1]) return null;
  const [row] = await db()
    .select({
      tokenId: schema.apiTokens.id,
      ...sessionUserColumns,
    })
    .from(schema.apiTokens)
    .innerJoin(schema.users, eq(schema.users.id, schema.apiTokens.userId))
    .where(and(eq(schema.apiTokens.tokenHash, hash(match[1])), isNull(schema.apiTokens.revokedAt), isNull(schema.users.disabledAt)))
    .limit(1);
  if (!row || !can(row.role, "statistics:read")) return null;
  await inTransaction(async (tx) => {
    await tx.update(schema.apiTokens).set({ lastUsedAt: new Date() }).where(eq(schema.apiTokens.id, row.tokenId));
  });
  return { id: row.id, email: row.email, fullName: row.fullName, phone: row.phone, role: row.role, agencyId: row.agencyId };
}
