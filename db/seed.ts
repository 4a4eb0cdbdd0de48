import { parse } from "csv-parse/sync";
import { and, eq, isNull, sql } from "drizzle-orm";
import { readFileSync } from "node:fs";
import path from "node:path";
import * as z from "zod";
import { deriveLevel } from "../app/core/catalog/derived-level";
import { AgencySeedSchema, FieldSeedSchema, ProcedureSeedSchema, seedLevelFacts, seedPaymentOnline } from "../app/core/catalog/procedure";
import { slugify } from "../app/core/text/fold";
import { inTransaction, type Db } from "../app/server/platform/db.server";
import { reindexProcedureSearch } from "../app/server/catalog/search-index.server";
import { addToCatalogCounts } from "../app/server/statistics/counters.server";
import { rederiveProcedureLevel } from "../app/server/catalog/procedure-level.server";
import { schema } from "../app/server/platform/schema.server";
import type { AgencyKind } from "./schema";
import accountsJson from "./seed-data/accounts.json";
import changesJson from "./seed-data/agency-changes-2025.json";
import agencyNamesEn from "./seed-data/agency-names-en.json";
import agenciesJson from "./seed-data/agencies.json";
import fieldsJson from "./seed-data/fields.json";
import proceduresJson from "./seed-data/procedures.json";

/** The appendix of letter 929/BTTTT-THH: the ministries and provinces of 2019. */
export const ReportedRowSchema = z.object({
  kind: z.enum(["ministry", "province"]),
  no: z.coerce.number().int(),
  agency: z.string().min(2),
  total_procedures: z.coerce.number().int().min(0),
  level4_services: z.coerce.number().int().min(0),
  level4_share_reported: z.string(),
});

export function readReportedCsv(file = path.resolve("db/seed-data/level4-share-2019.csv")) {
  const rows: unknown = parse(readFileSync(file, "utf8"), { columns: true, skip_empty_lines: true, trim: true });
  return z.array(ReportedRowSchema).parse(rows);
}

const ChangesSchema = z.object({
  effective: z.array(z.object({ code: z.string(), successor: z.string(), dissolvedOn: z.iso.date() })),
  renamed: z.array(z.object({ code: z.string(), nameVi: z.string(), nameEn: z.string() })).default([]),
});

const AccountSeedSchema = z.object({
  email: z.email(),
  fullName: z.string(),
  phone: z.string().nullable().default(null),
  role: z.enum(["citizen", "officer", "agency_admin", "system_admin"]),
  agency: z.string().nullable().default(null),
  /** argon2id hash of the demo password listed in the README (never a real one). */
  passwordHash: z.string().startsWith("$argon2id$"),
});

/**
 * Seeds what a fresh portal needs: agencies (the 2019 appendix, sub-agencies and
 * the 2025 reorganisation), fields, the procedure catalog with its form versions,
 * and demo accounts. Idempotent: existing rows are left as they are (an admin's
 * later edits are never overwritten); missing rows and form versions are added.
 */
export async function seedDatabase(db: Db): Promise<void> {
  const reported = readReportedCsv();
  const enNames: Record<string, string> = agencyNamesEn.names;
  const changes = ChangesSchema.parse(changesJson);
  const children = z.array(AgencySeedSchema).parse(agenciesJson);
  const fieldRows = z.array(FieldSeedSchema).parse(fieldsJson);
  const procedureRows = z.array(ProcedureSeedSchema).parse(proceduresJson);
  const accounts = z.array(AccountSeedSchema).parse(accountsJson);

  await inTransaction(async (tx) => {
    const agencyByCode = async (code: string) => {
      const [agency] = await tx.select().from(schema.agencies).where(eq(schema.agencies.code, code)).limit(1);
      return agency;
    };
    const insertAgency = async (a: { code: string; parent: string | null; kind: AgencyKind; nameVi: string; nameEn: string | null }) => {
      const parent = a.parent ? await agencyByCode(a.parent) : undefined;
      if (a.parent && !parent) throw new Error(`seed: agency ${a.code} has unknown parent ${a.parent}`);
      const [inserted] = await tx
        .insert(schema.agencies)
        .values({
          code: a.code,
          parentId: parent?.id ?? null,
          kind: a.kind,
          nameVi: a.nameVi,
          nameEn: a.nameEn,
          path: "",
          depth: parent ? parent.depth + 1 : 0,
        })
        .onConflictDoNothing()
        .returning();
      if (inserted) {
        await tx
          .update(schema.agencies)
          .set({ path: `${parent?.path ?? "/"}${inserted.id}/` })
          .where(eq(schema.agencies.id, inserted.id));
      }
    };
    for (const row of reported) {
      const code = slugify(row.agency);
      // No English name: null, so pages mark the Vietnamese they show and the API says there is none.
      await insertAgency({ code, parent: null, kind: row.kind, nameVi: row.agency, nameEn: enNames[code] ?? null });
    }
    for (const a of children) {
      await insertAgency({ code: a.code, parent: a.parent, kind: a.kind, nameVi: a.name.vi, nameEn: a.name.en ?? null });
      // One-stop details fill a gap only: an agency's details recorded since (or before this seed knew them) are kept.
      if (a.oneStop) {
        await tx
          .update(schema.agencies)
          .set({
            oneStopAddress: a.oneStop.address,
            oneStopHoursVi: a.oneStop.hours.vi,
            oneStopHoursEn: a.oneStop.hours.en ?? null,
            oneStopPhone: a.oneStop.phone,
          })
          .where(sql`${schema.agencies.code} = ${a.code} and ${schema.agencies.oneStopAddress} is null`);
      }
    }
    for (const c of changes.effective) {
      const successor = await agencyByCode(c.successor);
      if (!successor) throw new Error(`seed: unknown successor ${c.successor}`);
      await tx
        .update(schema.agencies)
        .set({ dissolvedOn: c.dissolvedOn, successorId: successor.id })
        .where(sql`${schema.agencies.code} = ${c.code} and ${schema.agencies.dissolvedOn} is null`);
    }
    for (const r of changes.renamed) {
      await tx.update(schema.agencies).set({ nameVi: r.nameVi, nameEn: r.nameEn }).where(eq(schema.agencies.code, r.code));
    }

    for (const f of fieldRows) {
      await tx
        .insert(schema.fields)
        .values({ code: f.code, nameVi: f.name.vi, nameEn: f.name.en ?? null })
        .onConflictDoNothing();
    }

    const touched: number[] = [];
    const added: { agencyId: number; level: number; count: number }[] = [];
    const existing: number[] = [];
    for (const p of procedureRows) {
      const agency = await agencyByCode(p.agency);
      const [field] = await tx.select().from(schema.fields).where(eq(schema.fields.code, p.field)).limit(1);
      if (!agency || !field) throw new Error(`seed: procedure ${p.code} names unknown agency ${p.agency} or field ${p.field}`);
      const {
        code,
        name,
        level: _declared,
        processingDays,
        feeVnd,
        paymentOnline: _paymentOnline,
        inPersonStep,
        deliveryModes,
        form,
        resultFields,
        agency: _a,
        field: _f,
        ...details
      } = p;
      // The level follows from the facts (decision 031): where the source declares another, the derived one wins.
      const derived = deriveLevel(seedLevelFacts(p));
      const [inserted] = await tx
        .insert(schema.procedures)
        .values({
          code,
          nameVi: name.vi,
          nameEn: name.en ?? null,
          agencyId: agency.id,
          fieldId: field.id,
          level: derived.level,
          onlineService: derived.onlineService,
          processingDays,
          feeVnd,
          paymentOnline: seedPaymentOnline(p),
          inPersonStep: inPersonStep ?? null,
          formVersion: form?.version ?? null,
          deliveryModes,
          details,
          resultFields: resultFields ?? null,
        })
        .onConflictDoNothing()
        .returning({ id: schema.procedures.id });
      const procedure = inserted ?? (await tx.select({ id: schema.procedures.id }).from(schema.procedures).where(eq(schema.procedures.code, code)).limit(1))[0];
      if (!procedure) throw new Error(`seed: procedure ${code} vanished`);
      if (inserted) {
        touched.push(inserted.id);
        added.push({ agencyId: agency.id, level: derived.level, count: 1 });
      } else existing.push(procedure.id);
      // A portal seeded before procedures declared their result fields gets them; a declaration already there stays.
      if (!inserted && resultFields)
        await tx
          .update(schema.procedures)
          .set({ resultFields })
          .where(and(eq(schema.procedures.id, procedure.id), isNull(schema.procedures.resultFields)));
      if (form) {
        const [newForm] = await tx
          .insert(schema.procedureForms)
          .values({ procedureId: procedure.id, version: form.version, definition: form })
          .onConflictDoNothing()
          .returning({ version: schema.procedureForms.version });
        // A newer seed version of a form that is offered replaces it; a form an administrator withdrew stays withdrawn.
        if (newForm && !inserted)
          await tx
            .update(schema.procedures)
            .set({ formVersion: newForm.version })
            .where(and(eq(schema.procedures.id, procedure.id), sql`${schema.procedures.formVersion} < ${newForm.version}`));
      }
    }
    await reindexProcedureSearch(tx, touched);
    await addToCatalogCounts(tx, added);
    // Procedures already there (a portal seeded when levels were declared): their levels derived from their facts as
    // they are now — an administrator's changes included — each change an event with its counters moved.
    for (const id of existing) await rederiveProcedureLevel(tx, id, { now: new Date(), reason: "seed" });

    for (const a of accounts) {
      const agency = a.agency ? await agencyByCode(a.agency) : undefined;
      if (a.agency && !agency) throw new Error(`seed: account ${a.email} names unknown agency ${a.agency}`);
      await tx
        .insert(schema.users)
        // Demo accounts are confirmed (e-mail by default; the phone here) so their messages reach the outbox.
        .values({
          email: a.email,
          fullName: a.fullName,
          phone: a.phone,
          phoneConfirmedAt: a.phone ? new Date() : null,
          role: a.role,
          agencyId: agency?.id ?? null,
          passwordHash: a.passwordHash,
        })
        .onConflictDoNothing();
    }
  }, db);
}
