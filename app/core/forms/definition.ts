import * as z from "zod";
import { DELIVERY_MODES } from "../catalog/delivery";
import { isRule, ruleProblems, type Rule } from "./rules";
import { PROCEDURE_FEE_VAR } from "../payments/fees";

/**
 * A procedure's form, as data. One definition gives the rendered fields and one
 * zod schema for the answers (see ./answers-schema.ts), used by the server action
 * and by the browser (app/components/answers-control.ts).
 */
export const LocalTextSchema = z.object({ vi: z.string().min(1), en: z.string().min(1).optional() });
export type LocalText = z.infer<typeof LocalTextSchema>;

/** A JsonLogic rule over the answers (./rules.ts says what is allowed and why). */
export const RuleSchema = z.custom<Rule>(isRule, { error: (issue) => ruleProblems(issue.input)[0] ?? "not a rule" });

const FieldNameSchema = z.string().regex(/^[a-z][a-z0-9_]{0,47}$/, "field names are snake_case");
/** `deliveryMode`: this option of a "how to receive the result" question stands for that delivery mode (forms/delivery-choice.ts). */
const OptionSchema = z.object({ value: z.string().regex(/^[a-z0-9_-]{1,40}$/), label: LocalTextSchema, deliveryMode: z.enum(DELIVERY_MODES).optional() });

/** Where a field's first value may come from (identity-verified sources come with VNeID, issue 17). */
export const PREFILL_SOURCES = ["account.fullName", "account.email", "account.phone"] as const;
export type PrefillSource = (typeof PREFILL_SOURCES)[number];

const base = {
  name: FieldNameSchema,
  label: LocalTextSchema,
  hint: LocalTextSchema.optional(),
  required: z.boolean().default(true),
  /** Shown only while this rule holds (./rules.ts) over the answers before it; a hidden field is never required and never stored. */
  visibleIf: RuleSchema.optional(),
  /** Required only while this rule holds (instead of `required`), when shown. */
  requiredIf: RuleSchema.optional(),
  /** Filled in from the signed-in account when a draft starts, and marked so (the citizen may change it). */
  prefill: z.enum(PREFILL_SOURCES).optional(),
};

/** A date bound: an ISO date, or "today" resolved when the schema is built. */
const DateBoundSchema = z.union([z.literal("today"), z.iso.date()]);

export const FieldSchema = z.discriminatedUnion("type", [
  z.object({ ...base, type: z.literal("text"), minLength: z.number().int().min(0).optional(), maxLength: z.number().int().positive().max(2000).default(200) }),
  z.object({ ...base, type: z.literal("textarea"), maxLength: z.number().int().positive().max(5000).default(1000) }),
  z.object({ ...base, type: z.literal("date"), min: DateBoundSchema.optional(), max: DateBoundSchema.optional() }),
  z.object({ ...base, type: z.literal("number"), min: z.number().optional(), max: z.number().optional(), integer: z.boolean().default(true) }),
  z.object({ ...base, type: z.literal("select"), options: z.array(OptionSchema).min(1) }),
  z.object({ ...base, type: z.literal("radio"), options: z.array(OptionSchema).min(2) }),
  /** Without options: one box that must be ticked when required (a declaration). With options: pick any. */
  z.object({ ...base, type: z.literal("checkbox"), options: z.array(OptionSchema).min(1).optional() }),
  z.object({ ...base, type: z.literal("cccd") }),
  z.object({ ...base, type: z.literal("phone") }),
  z.object({ ...base, type: z.literal("email") }),
  z.object({ ...base, type: z.literal("address") }),
  z.object({
    ...base,
    type: z.literal("file"),
    accept: z
      .array(z.enum(["pdf", "jpeg", "png"]))
      .min(1)
      .default(["pdf", "jpeg", "png"]),
    maxSizeMb: z.number().positive().max(10).default(5),
  }),
]);
export type Field = z.infer<typeof FieldSchema>;
export type FieldType = Field["type"];

export const FormDefinitionSchema = z
  .object({
    version: z.number().int().positive(),
    sections: z.array(z.object({ title: LocalTextSchema, visibleIf: RuleSchema.optional(), fields: z.array(FieldSchema).min(1) })).min(1),
    /** The fee in đồng from the answers and `procedure_fee` (core/payments/fees.ts dossierFee); without it, the procedure's fee. */
    fee: RuleSchema.optional(),
    /**
     * Answers that mean "not online": the first exit whose rule holds sends the citizen to its page —
     * why, and where to go instead — and is recorded (demand the portal could not serve).
     */
    exits: z
      .array(z.object({ id: z.string().regex(/^[a-z0-9_-]{1,40}$/), when: RuleSchema, message: LocalTextSchema }))
      .max(10)
      .optional(),
  })
  .superRefine((def, ctx) => {
    const seen = new Set<string>();
    for (const field of def.sections.flatMap((s) => s.fields)) {
      if (seen.has(field.name)) ctx.addIssue({ code: "custom", message: `duplicate field name ${field.name}` });
      if (field.name === PROCEDURE_FEE_VAR)
        ctx.addIssue({ code: "custom", message: `${PROCEDURE_FEE_VAR} is the procedure's fee in fee rules, not a field name` });
      seen.add(field.name);
    }
    const exits = new Set<string>();
    for (const exit of def.exits ?? []) {
      if (exits.has(exit.id)) ctx.addIssue({ code: "custom", message: `duplicate exit ${exit.id}` });
      exits.add(exit.id);
    }
  });
export type FormDefinition = z.infer<typeof FormDefinitionSchema>;
export type FormDefinitionInput = z.input<typeof FormDefinitionSchema>;

// Helpers over a definition live in ./fields.ts (no zod there, so the browser can use them cheaply).
export { allFields, fileFields } from "./fields";
export { localText } from "../text/local-text";
