import type { Field, FormDefinition, PrefillSource } from "./definition";
import { allFields } from "./fields";

/**
 * Verified prefill (issue 17): which answers come from the national population database, with what
 * value, and which of them the citizen may not change. Plain data in, plain data out: the server reads
 * the records (server/identity/population.server.ts) and enforces the result on every save and submit.
 *
 * The rule (docs/decisions/035-verified-prefill.md):
 * - `identity.*` is the filer's record: the person whose CCCD is linked to the signed-in account by VNeID.
 * - `subject.*` is the dossier's subject when it is someone else: the record of the dossier's subject
 *   CCCD when filing for a child or an authorising adult; nothing for oneself (a form's subject fields
 *   are about another person — birth registration's child — so the filer's own record would be wrong
 *   and, locked, would stop a parent registering a newborn) and nothing for a business.
 * - With a level-2 identity (and the record found) these fields take the record's value and are locked;
 *   with level 1 they are only filled in (editable, unmarked), as the account's own prefill is.
 * - Without a record, `identity.fullName` falls back to the account's name (unverified, editable):
 *   an account without VNeID keeps the prefill it always had.
 */

/** What a population record says about a person, as much as prefill reads. */
export type PersonRecord = {
  cccd: string;
  fullName: string;
  birthDate: string;
  sex: "male" | "female";
  address: string;
  /** The parents the record names: a child's record is the filer's child only when it names them. */
  fatherCccd?: string | null;
  motherCccd?: string | null;
};

export type OnBehalf = "self" | "child" | "authorised" | "business";

/** The parts of a record a source names (`identity.fullName` → fullName). */
const PARTS = ["fullName", "birthDate", "cccd", "sex", "address"] as const;
type Part = (typeof PARTS)[number];

export const IDENTITY_SOURCES = PARTS.map((p) => `identity.${p}` as const);
export const SUBJECT_SOURCES = PARTS.map((p) => `subject.${p}` as const);

/** Whose record a prefill source reads, and which part of it; null for the account's own sources. */
export function verifiedSource(source: PrefillSource): { whose: "identity" | "subject"; part: Part } | null {
  const [whose, part] = source.split(".");
  const known = PARTS.find((p) => p === part);
  return (whose === "identity" || whose === "subject") && known ? { whose, part: known } : null;
}

/** Option values a choice may use for each sex (the seeds use male/female; Vietnamese forms may say nam/nu). */
const SEX_VALUES: Record<PersonRecord["sex"], readonly string[]> = { male: ["male", "nam", "m"], female: ["female", "nu", "f"] };

/** A record's part as the field's answer: sex onto the choice's own option value (none fits: no value). */
function answerFor(field: Field, record: PersonRecord, part: Part): string | null {
  if (part !== "sex") return record[part] || null;
  const options = field.type === "radio" || field.type === "select" ? field.options : [];
  return options.find((o) => SEX_VALUES[record.sex].includes(o.value))?.value ?? null;
}

/** The dossier's subject's record: the named child's (when the record says so) or authorising adult's; none for oneself or a business. */
export function subjectRecord(input: { onBehalf: OnBehalf; filer: PersonRecord | null; subject: PersonRecord | null }): PersonRecord | null {
  switch (input.onBehalf) {
    case "self":
      return null;
    case "child": {
      // Only a child the population record names as the filer's: a CCCD typed into the draft proves nothing.
      const { filer, subject } = input;
      return filer && subject && (subject.fatherCccd === filer.cccd || subject.motherCccd === filer.cccd) ? subject : null;
    }
    case "authorised":
      // The authorisation itself is a document the officer checks; the person's details are still the record's.
      return input.subject;
    case "business":
      return null;
  }
}

export type VerifiedPrefill = {
  /** Values to fill in, by field name (verified or not). */
  values: Record<string, string>;
  /** The fields whose value is the record's and may not be changed: only with a level-2 identity. */
  locked: string[];
};

/**
 * The values a form's identity- and subject-bound fields take, and which are locked. `level` is the
 * filer's VNeID identity level (null: no linked identity); `accountName` the account's own name, the
 * unverified fallback of `identity.fullName`. Fields inside repeating groups never prefill (the form
 * checker refuses it), so only top-level fields are read.
 */
export function verifiedPrefill(input: {
  definition: FormDefinition;
  level: 1 | 2 | null;
  filer: PersonRecord | null;
  subject: PersonRecord | null;
  accountName?: string | null;
}): VerifiedPrefill {
  const values: Record<string, string> = {};
  const locked: string[] = [];
  for (const field of allFields(input.definition)) {
    const source = field.prefill ? verifiedSource(field.prefill) : null;
    if (!source) continue;
    const record = input.level === null ? null : source.whose === "identity" ? input.filer : input.subject;
    const value = record ? answerFor(field, record, source.part) : null;
    if (value !== null) {
      values[field.name] = value;
      if (input.level === 2) locked.push(field.name);
    } else if (source.whose === "identity" && source.part === "fullName" && input.accountName) {
      values[field.name] = input.accountName;
    }
  }
  return { values, locked };
}

/** The answers with every locked field set to the record's value, whatever was posted or saved (the server's check). */
export function enforceVerified<T extends Record<string, unknown>>(answers: T, prefill: VerifiedPrefill): T {
  return { ...answers, ...Object.fromEntries(prefill.locked.map((name) => [name, prefill.values[name]])) };
}

/** The locked fields the submitted answers hold, enforced before they were checked (a field the answers hide is not part of the dossier). */
export function verifiedFieldsOf(prefill: VerifiedPrefill, answers: Record<string, unknown>): string[] {
  return prefill.locked.filter((name) => answers[name] !== undefined);
}
