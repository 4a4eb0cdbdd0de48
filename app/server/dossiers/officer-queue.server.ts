import { and, asc, between, desc, eq, gt, inArray, isNull, lt, ne, sql, type SQL } from "drizzle-orm";
import { schema } from "../platform/schema.server";
import { createCalendar, vnDate } from "../../core/calendar/working-days";
import { CLOCK_STATUSES, deadlineFlag, dueThresholds, type DueThresholds } from "../../core/dossiers/deadline";
import { classifySearch, escapeLike, QUEUE_PAGE_SIZE, statusesFor, type QueueQuery } from "../../core/dossiers/queue";
import { STATUS } from "../../core/dossiers/status";
import { maskTail } from "../../core/validation/vn";
import { db } from "../platform/db.server";
import { withinAgency } from "../staff/agency-scope.server";
import { countAll, countWhere } from "../platform/dialect.server";

export { QueueQuerySchema, type QueueQuery } from "../../core/dossiers/queue";

const calendar = createCalendar();
const d = schema.dossiers;

/** The officer's agency and its sub-agencies: one GLOB on the materialised path (uses agencies_path_idx). */

/** Dossiers whose legal clock runs (the SQL twin of clockRuns in core/dossiers/deadline.ts). */
const clockRunning = () => [inArray(d.status, [...CLOCK_STATUSES]), isNull(d.pausedAt)];

function queueConditions(query: QueueQuery, agencyPath: string, t: DueThresholds): SQL[] {
  const where: SQL[] = [withinAgency(agencyPath), ne(d.status, STATUS.draft)];
  const statuses = statusesFor(query.status);
  if (statuses) where.push(inArray(d.status, [...statuses]));
  if (query.procedure) where.push(eq(schema.procedures.code, query.procedure));
  if (query.channel) where.push(eq(d.channel, query.channel));
  if (query.due) {
    where.push(...clockRunning());
    if (query.due === "overdue") where.push(lt(d.dueOn, t.today));
    else if (query.due === "soon") where.push(between(d.dueOn, t.today, t.soonUntil));
    else where.push(gt(d.dueOn, t.soonUntil));
  }
  const search = query.q ? classifySearch(query.q) : null;
  if (search?.kind === "receipt") where.push(eq(d.receiptCode, search.receiptCode));
  else if (search?.kind === "cccd") where.push(eq(d.applicantCccd, search.cccd));
  // A NUL byte, which PostgreSQL refuses in a pattern (its text cannot hold one) and no typed name has: the search finds nothing, on both.
  else if (search?.kind === "name")
    where.push(search.folded.includes("\0") ? sql`false` : sql`${d.applicantNameFolded} like ${`%${escapeLike(search.folded)}%`} escape '\\'`);
  return where;
}

function queueOrder(query: QueueQuery): SQL[] {
  const dir = query.dir === "asc" ? asc : desc;
  if (query.sort === "due") return [sql`${d.dueOn} is null`, dir(d.dueOn), dir(d.submittedAt), dir(d.id)];
  if (query.sort === "updated") return [dir(d.updatedAt), dir(d.id)];
  return [dir(d.submittedAt), dir(d.id)];
}

/**
 * One page of the officer's queue with its total, plus the due-bucket counts for the whole scope:
 * three queries (count, page, buckets), each walking the scope's index ranges, never a query per
 * row. CCCD and phone leave this function masked to their last four digits, so the page
 * never receives the full numbers.
 */
export async function getQueue(input: { agencyPath: string; query: QueueQuery; now?: Date }) {
  const t = dueThresholds(calendar, input.now ?? new Date());
  const where = and(...queueConditions(input.query, input.agencyPath, t));

  const count = db().select({ total: countAll() }).from(d).innerJoin(schema.agencies, eq(schema.agencies.id, d.agencyId)).$dynamic();
  // The count needs the procedure only to filter by its code; otherwise the join is a wasted look-up per row.
  const [counted] = await (input.query.procedure ? count.innerJoin(schema.procedures, eq(schema.procedures.id, d.procedureId)) : count).where(where);
  const total = counted?.total ?? 0;

  const rows = await db()
    .select({
      receiptCode: d.receiptCode,
      status: d.status,
      channel: d.channel,
      submittedAt: d.submittedAt,
      dueOn: d.dueOn,
      rescheduledOn: d.rescheduledOn,
      pausedAt: d.pausedAt,
      applicantName: d.applicantName,
      applicantCccd: d.applicantCccd,
      applicantPhone: d.applicantPhone,
      procedureCode: schema.procedures.code,
      procedureVi: schema.procedures.nameVi,
      procedureEn: schema.procedures.nameEn,
    })
    .from(d)
    .innerJoin(schema.agencies, eq(schema.agencies.id, d.agencyId))
    .innerJoin(schema.procedures, eq(schema.procedures.id, d.procedureId))
    .where(where)
    .orderBy(...queueOrder(input.query))
    .limit(QUEUE_PAGE_SIZE)
    .offset((input.query.page - 1) * QUEUE_PAGE_SIZE);

  const items = rows.map(({ pausedAt, applicantCccd, applicantPhone, submittedAt, ...r }) => ({
    ...r,
    submittedAt: submittedAt?.toISOString() ?? null,
    // The list shows the day (Vietnam's), the dossier page the time too.
    submittedOn: submittedAt ? vnDate(submittedAt) : null,
    applicantCccd: applicantCccd ? maskTail(applicantCccd) : null,
    applicantPhone: applicantPhone ? maskTail(applicantPhone) : null,
    deadline: deadlineFlag({ status: r.status, pausedAt, dueOn: r.dueOn }, t),
  }));

  return {
    items,
    total,
    page: input.query.page,
    pageCount: Math.ceil(total / QUEUE_PAGE_SIZE),
    buckets: await dueBucketCounts(input.agencyPath, t),
    thresholds: t,
  };
}

/** How many dossiers with a running clock are overdue, due soon and due later, in the whole scope. */
async function dueBucketCounts(agencyPath: string, t: DueThresholds) {
  const [row] = await db()
    .select({
      overdue: countWhere(sql`${d.dueOn} < ${t.today}`),
      soon: countWhere(sql`${d.dueOn} between ${t.today} and ${t.soonUntil}`),
      later: countWhere(sql`${d.dueOn} > ${t.soonUntil}`),
    })
    .from(d)
    .innerJoin(schema.agencies, eq(schema.agencies.id, d.agencyId))
    .where(and(withinAgency(agencyPath), ...clockRunning()));
  return { overdue: row?.overdue ?? 0, soon: row?.soon ?? 0, later: row?.later ?? 0 };
}

/** Procedures handled within the officer's scope: the queue's procedure filter offers only these. */
export async function queueProcedureOptions(input: { agencyPath: string }) {
  return db()
    .select({ code: schema.procedures.code, nameVi: schema.procedures.nameVi, nameEn: schema.procedures.nameEn })
    .from(schema.procedures)
    .innerJoin(schema.agencies, eq(schema.agencies.id, schema.procedures.agencyId))
    .where(withinAgency(input.agencyPath))
    .orderBy(asc(schema.procedures.code));
}
