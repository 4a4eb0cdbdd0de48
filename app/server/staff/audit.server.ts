import { and, desc, eq, gte, inArray, isNotNull, lt, or, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import * as z from "zod";
import { schema } from "../platform/schema.server";
import { ACCOUNT_EVENTS, AUDITED_WITHOUT_ACTOR, VnDateSchema, vnPeriod } from "../../core/audit/audit";
import { parseReceiptCode } from "../../core/dossiers/receipt-code";
import { db } from "../platform/db.server";
import { EVENT_TYPES } from "../statistics/events.server";
import { withinAgency } from "./agency-scope.server";
import { containsText, countAll, jsonField } from "../platform/dialect.server";

export const AUDIT_PAGE_SIZE = 50;

/** A GET form sends "" for an empty field; treat it as absent. */
const blank = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);

/** The audit trail's filters. Messages are i18n keys; the page shows them and no rows when one is wrong. */
export const AuditQuerySchema = z
  .object({
    type: z.preprocess(blank, z.enum(EVENT_TYPES, { error: "admin.errors.type_invalid" }).optional()),
    actor: z.preprocess(blank, z.string().trim().toLowerCase().max(254, "admin.errors.actor_invalid").optional()),
    receipt: z.preprocess(
      blank,
      z
        .string()
        .max(40, "admin.errors.receipt_invalid")
        .transform((v, ctx) => {
          const code = parseReceiptCode(v);
          if (!code) ctx.addIssue({ code: "custom", message: "admin.errors.receipt_invalid" });
          return code ?? z.NEVER;
        })
        .optional(),
    ),
    from: z.preprocess(blank, VnDateSchema.optional()),
    to: z.preprocess(blank, VnDateSchema.optional()),
    page: z.coerce.number().int().min(1).max(100_000).default(1).catch(1),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { path: ["to"], message: "admin.errors.range_invalid" });
export type AuditQuery = z.infer<typeof AuditQuerySchema>;

const actor = alias(schema.users, "actor");
const target = alias(schema.users, "target");
const e = schema.dossierEvents;

/**
 * The audit trail: what people did (every event with an actor, and every viewing of personal data
 * or attachments), newest first, 50 a page. An agency administrator sees the events of its agency's
 * subtree; a system administrator (scope "/") sees every event, those without an agency included.
 * For an account event the account acted on is joined in from the event's data.
 */
export async function listAuditEvents(input: { agencyPath: string; query: AuditQuery }) {
  const { query } = input;
  const period = vnPeriod(query);
  const conditions: (SQL | undefined)[] = [
    or(isNotNull(e.actorId), inArray(e.type, [...AUDITED_WITHOUT_ACTOR])),
    input.agencyPath === "/" ? undefined : withinAgency(input.agencyPath),
    query.type ? eq(e.type, query.type) : undefined,
    query.actor ? containsText(actor.email, query.actor) : undefined,
    query.receipt ? eq(schema.dossiers.receiptCode, query.receipt) : undefined,
    period.from ? gte(e.occurredAt, period.from) : undefined,
    period.until ? lt(e.occurredAt, period.until) : undefined,
  ];
  const where = and(...conditions);
  const [counted] = await db()
    .select({ n: countAll() })
    .from(e)
    .leftJoin(schema.agencies, eq(schema.agencies.id, e.agencyId))
    .leftJoin(schema.dossiers, eq(schema.dossiers.id, e.dossierId))
    .leftJoin(actor, eq(actor.id, e.actorId))
    .where(where);
  const total = counted?.n ?? 0;
  const pageCount = Math.ceil(total / AUDIT_PAGE_SIZE);
  const page = Math.min(query.page, Math.max(pageCount, 1));
  const items = await db()
    .select({
      id: e.id,
      type: e.type,
      occurredAt: e.occurredAt,
      actorRole: e.actorRole,
      fromStatus: e.fromStatus,
      toStatus: e.toStatus,
      data: e.data,
      actorName: actor.fullName,
      actorEmail: actor.email,
      receiptCode: schema.dossiers.receiptCode,
      agencyVi: schema.agencies.nameVi,
      agencyEn: schema.agencies.nameEn,
      targetEmail: target.email,
    })
    .from(e)
    .leftJoin(schema.agencies, eq(schema.agencies.id, e.agencyId))
    .leftJoin(schema.dossiers, eq(schema.dossiers.id, e.dossierId))
    .leftJoin(actor, eq(actor.id, e.actorId))
    .leftJoin(target, and(inArray(e.type, [...ACCOUNT_EVENTS]), sql`${target.id} = ${jsonField(e.data, "userId")}`))
    .where(where)
    .orderBy(desc(e.occurredAt), desc(e.id))
    .limit(AUDIT_PAGE_SIZE)
    .offset((page - 1) * AUDIT_PAGE_SIZE);
  return { items, total, page, pageCount };
}
