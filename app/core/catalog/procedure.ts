import * as z from "zod";
import { FormDefinitionSchema, LocalTextSchema } from "../forms/definition";
import { ResultFieldsSchema } from "../results/result-fields";

import { DELIVERY_MODES } from "./delivery";
import type { LevelFacts } from "./derived-level";
import { telHref } from "./one-stop";

export { DELIVERY_MODES, type DeliveryMode } from "./delivery";

/** A downloadable form template (level ≥ 2): a title and the lines of the blank form. */
export const TemplateSchema = z.object({
  slug: z.string().regex(/^[a-z0-9-]{3,80}$/),
  title: LocalTextSchema,
  /** Lines of the paper form in Vietnamese, as printed; "…" marks a blank to fill. */
  lines: z.array(z.string().min(1)).min(3),
});

/** What a citizen reads about a procedure beyond its name, level, fee and time; stored as one JSON column. */
export const ProcedureDetailsSchema = z.object({
  feeNote: LocalTextSchema.optional(),
  summary: LocalTextSchema,
  applicants: LocalTextSchema,
  result: LocalTextSchema,
  documents: z.array(z.object({ name: LocalTextSchema, copies: z.number().int().min(1).max(10).default(1), original: z.boolean().default(false) })).min(1),
  legalBasis: z.array(z.string().min(3)).min(1),
  templates: z.array(TemplateSchema).default([]),
});
export type ProcedureDetails = z.infer<typeof ProcedureDetailsSchema>;

/** The shape of a procedure in the catalog seed (db/seed-data/procedures.json). */
export const ProcedureSeedSchema = z
  .object({
    code: z.string().regex(/^\d\.\d{6}$/, "national code such as 1.001193"),
    name: LocalTextSchema,
    agency: z.string().min(2),
    field: z.string().min(2),
    /** The level the source declares; the catalog's is derived from the facts (seedLevelFacts, decision 031). */
    level: z.number().int().min(1).max(4),
    processingDays: z.number().int().min(0).max(120),
    feeVnd: z.number().int().min(0),
    /** Whether the fee can be paid online; without it, true for a declared level-4 procedure with a fee. */
    paymentOnline: z.boolean().optional(),
    /** Why the citizen must still come in person (a short Vietnamese line), when the real procedure requires it. */
    inPersonStep: z.string().min(3).max(200).optional(),
    deliveryModes: z.array(z.enum(DELIVERY_MODES)).min(1),
    form: FormDefinitionSchema.optional(),
    ...ProcedureDetailsSchema.shape,
    /** What the officer fills to issue the result (core/results/result-fields.ts); without it, the default fields. */
    resultFields: ResultFieldsSchema.optional(),
  })
  .superRefine((p, ctx) => {
    if (p.level >= 2 && p.templates.length === 0) ctx.addIssue({ code: "custom", message: `${p.code}: level ≥ 2 needs a template` });
    if (p.level >= 3 && !p.form) ctx.addIssue({ code: "custom", message: `${p.code}: level ≥ 3 needs a form definition` });
    if (p.level < 3 && p.form) ctx.addIssue({ code: "custom", message: `${p.code}: only level ≥ 3 has an online form` });
    if (p.level === 4 && !p.deliveryModes.some((m) => m !== "counter"))
      ctx.addIssue({ code: "custom", message: `${p.code}: level 4 delivers online or by post` });
  });
export type ProcedureSeed = z.infer<typeof ProcedureSeedSchema>;

/** Whether a seeded procedure's fee can be paid online (what the seed says, or its declared level 4 with a fee). */
export function seedPaymentOnline(p: Pick<ProcedureSeed, "paymentOnline" | "level" | "feeVnd">): boolean {
  return p.paymentOnline ?? (p.level === 4 && p.feeVnd > 0);
}

/** The facts a seeded procedure's level is derived from: its seed form is its published one. */
export function seedLevelFacts(p: ProcedureSeed): LevelFacts {
  return {
    hasTemplate: p.templates.length > 0,
    hasPublishedForm: p.form !== undefined,
    feeVnd: p.feeVnd,
    paymentOnline: seedPaymentOnline(p),
    deliveryModes: p.deliveryModes,
    inPersonStep: p.inPersonStep ?? null,
  };
}

export const FieldSeedSchema = z.object({ code: z.string().regex(/^[a-z0-9-]{2,60}$/), name: LocalTextSchema });

/** Agencies below ministries/provinces, keyed to their parent's code. */
export const AgencySeedSchema = z.object({
  code: z.string().regex(/^[a-z0-9-]{2,80}$/),
  parent: z.string().nullable(),
  kind: z.enum(["ministry", "province", "department", "district", "commune"]),
  name: LocalTextSchema,
  /** Its one-stop shop (Bộ phận một cửa): the seeded ones are demonstration data (db/seed-data/README.md). */
  oneStop: z
    .object({
      address: z.string().min(10),
      hours: LocalTextSchema,
      phone: z.string().refine((p) => telHref(p) !== null, "a Vietnamese phone number such as 024 3825 3536"),
    })
    .optional(),
});
