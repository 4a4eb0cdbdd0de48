import { and, asc, eq, isNotNull } from "drizzle-orm";
import * as z from "zod";
import { schema } from "../platform/schema.server";
import { appointmentDate, createCalendar } from "../../core/calendar/working-days";
import { DELIVERY_MODES } from "../../core/catalog/delivery";
import { levelAllows } from "../../core/catalog/levels";
import { STATUS, transition } from "../../core/dossiers/status";
import { dossierFee } from "../../core/payments/fees";
import { answersState, buildAnswersSchema, draftAnswers, fieldErrors, missingAttachments } from "../../core/forms/answers-schema";
import { fileFields, type FormDefinition } from "../../core/forms/definition";
import { LANGUAGES } from "../../i18n";
import { checkUploads, formVisibility, rawAnswers, todayInVietnam } from "./application.server";
import type { FormStateView } from "../../core/forms/visibility";
import type { DraftValues } from "../../core/forms/fields";
import { applyRowIntent, parseRowIntent } from "../../core/forms/rows";
import { getForm, getProcedure } from "../catalog/catalog.server";
import { db, inTransaction } from "../platform/db.server";
import { applicantColumns, attachmentRow, newReceiptCode } from "./dossiers.server";
import { recordEvent } from "../statistics/events.server";
import type { ScopedUser } from "../auth/guards.server";
import { NOT_FOUND, type NotFound } from "../../core/outcome";
import { queueNotifications } from "../notifications/notifications.server";
import { deleteStoredFile, storeFile } from "../platform/storage.server";
import { withinAgency } from "../staff/agency-scope.server";
import { isWithinAgency } from "../../core/staff/staff";

const calendar = createCalendar();

/**
 * Counter intake and assisted submission. Both are keyed in by an officer and are recorded with
 * their own channel and the officer as `submitted_by`, so they are never counted as a citizen's
 * own online submission:
 * - `counter`: the citizen came to the one-stop shop with paper documents; the dossier is received
 *   on the spot (submitted and received in one transaction, the clock starts now).
 * - `assisted`: the officer submits online on the citizen's behalf (with scanned documents); the
 *   dossier then waits in the queue like any online one.
 */
export const INTAKE_CHANNELS = ["counter", "assisted"] as const;
export type IntakeChannel = (typeof INTAKE_CHANNELS)[number];

export const IntakeChannelSchema = z.enum(INTAKE_CHANNELS);

/** Procedures of the officer's agency subtree that have a published online form to key in. */
export async function listIntakeProcedures(agencyPath: string) {
  return db()
    .select({ code: schema.procedures.code, nameVi: schema.procedures.nameVi, nameEn: schema.procedures.nameEn, level: schema.procedures.level })
    .from(schema.procedures)
    .innerJoin(schema.agencies, eq(schema.agencies.id, schema.procedures.agencyId))
    .where(
      and(
        withinAgency(agencyPath),
        // A published form (decision 031): a withdrawn one is keyed in no more than it is filled online.
        isNotNull(schema.procedures.formVersion),
      ),
    )
    .orderBy(asc(schema.procedures.nameVi));
}

/** A procedure the officer may key in for: in scope and with a form; null otherwise. */
export async function intakeProcedure(officer: ScopedUser, code: string) {
  const found = await getProcedure(code);
  const form = found ? await getForm(found.procedure.id) : null;
  if (!found || !form || !isWithinAgency(found.agency.path, officer.agencyPath)) return null;
  // Assisted submission is an online submission: only for procedures offered online (level ≥ 3).
  return { ...found, form, onlineAllowed: levelAllows(found.procedure.level).applyOnline };
}

/** The intake page's own fields, besides the procedure's form. */
export const IntakeSchema = z.object({
  channel: IntakeChannelSchema,
  deliveryMode: z.enum(DELIVERY_MODES, { error: "intake.errors.delivery_required" }),
  language: z.enum(LANGUAGES).default("vi"),
  accountEmail: z
    .string()
    .trim()
    .max(254, "auth.errors.email_invalid")
    .transform((v) => v.toLowerCase())
    .pipe(z.union([z.literal(""), z.email({ error: "auth.errors.email_invalid" })]))
    .default(""),
  paperChecked: z.literal("on").optional(),
});

export type IntakeOutcome =
  | NotFound
  | { kind: "created"; receiptCode: string }
  | { kind: "invalid"; errors: Record<string, string>; values: DraftValues; visibility: FormStateView | undefined }
  /** A repeating group's row was added or removed: the form again, with nothing checked yet. */
  | { kind: "rows"; values: DraftValues; visibility: FormStateView | undefined };

/** Validates and registers a dossier keyed in by an officer. Nothing is written when anything is wrong. */
export async function registerIntake(input: {
  officer: ScopedUser;
  code: string;
  form: FormData;
  oversized: ReadonlySet<string>;
  now?: Date;
}): Promise<IntakeOutcome> {
  const now = input.now ?? new Date();
  const found = await intakeProcedure(input.officer, input.code);
  if (!found) return NOT_FOUND;
  const def: FormDefinition = found.form.definition;
  const values = draftAnswers(def, rawAnswers(def, input.form));
  const errors: Record<string, string> = {};
  // "Add another" / "Remove" (a repeating group): the same form back with the change, nothing written.
  const rowIntent = parseRowIntent(def, input.form.get("intent"));
  if (rowIntent) {
    const changed = applyRowIntent(def, values, rowIntent, formVisibility(def, values)?.required[rowIntent.group] ?? true)?.values ?? values;
    return { kind: "rows", values: changed, visibility: formVisibility(def, changed) };
  }

  const meta = IntakeSchema.safeParse(Object.fromEntries([...input.form.entries()].filter((e): e is [string, string] => typeof e[1] === "string")));
  if (!meta.success) Object.assign(errors, fieldErrors(meta.error));
  const channel = meta.success ? meta.data.channel : null;
  if (channel === "assisted" && !found.onlineAllowed) errors.channel = "intake.errors.not_online";
  if (channel === "counter" && meta.success && !meta.data.paperChecked) errors.paperChecked = "intake.errors.paper_required";
  if (meta.success && !found.procedure.deliveryModes.includes(meta.data.deliveryMode)) errors.deliveryMode = "intake.errors.delivery_required";

  let applicantId: number | null = null;
  let accountEmail: string | null = null;
  if (meta.success && meta.data.accountEmail) {
    const [account] = await db()
      .select({ id: schema.users.id, email: schema.users.email })
      .from(schema.users)
      .where(and(eq(schema.users.email, meta.data.accountEmail), eq(schema.users.role, "citizen")))
      .limit(1);
    if (!account) errors.accountEmail = "intake.errors.no_account";
    else {
      applicantId = account.id;
      accountEmail = account.email;
    }
  }

  const today = todayInVietnam();
  const parsed = buildAnswersSchema(def, today).safeParse(values);
  if (!parsed.success) Object.assign(errors, fieldErrors(parsed.error));

  // Only the file fields the answers show: a file sent for a hidden one is neither checked nor kept.
  const state = answersState(def, values, today);
  const { uploads, errors: fileErrors } = await checkUploads(
    fileFields(def).filter((f) => !state.hidden.has(f.name)),
    input.form,
    input.oversized,
  );
  Object.assign(errors, fileErrors);
  // Online on the citizen's behalf needs the scans, like the citizen's own submission; at the counter
  // the officer has checked the paper originals instead.
  if (channel === "assisted") {
    for (const name of missingAttachments(def, new Set(uploads.map((u) => u.fieldName)), state)) errors[name] ??= "form.errors.file_required";
  }
  // The fee fixed now from the answers, as on the citizen's own submission (core/payments/fees.ts).
  const fee = parsed.success ? dossierFee({ procedureFeeVnd: found.procedure.feeVnd, rule: def.fee, answers: parsed.data }) : null;
  if (fee && !fee.ok) errors._form ??= "form.errors.fee_unknown";
  if (!meta.success || !parsed.success || !channel || !fee?.ok || Object.keys(errors).length > 0)
    return { kind: "invalid", errors, values, visibility: formVisibility(def, values) };

  const stored = await Promise.all(uploads.map(async (u) => ({ ...u, key: await storeFile(u.bytes) })));
  try {
    const receiptCode = await inTransaction(async (tx) => {
      const submit = transition({ action: "submit", from: STATUS.draft, role: "officer" });
      if (!submit.ok) throw new Error(submit.error);
      const code = await newReceiptCode(tx, now);
      const dueOn = appointmentDate(calendar, now, found.procedure.processingDays);
      const answers = parsed.data;
      const [created] = await tx
        .insert(schema.dossiers)
        .values({
          receiptCode: code,
          procedureId: found.procedure.id,
          agencyId: found.procedure.agencyId,
          formVersion: found.form.version,
          applicantId,
          submittedBy: input.officer.id,
          channel,
          status: submit.to,
          answers,
          language: meta.data.language,
          deliveryMode: meta.data.deliveryMode,
          feeVnd: fee.feeVnd,
          ...applicantColumns(answers, { name: "", phone: null, email: accountEmail }),
          submittedAt: now,
          dueOn,
          createdAt: now,
          updatedAt: now,
        })
        .returning();
      if (!created) throw new Error("the dossier was not inserted");
      for (const s of stored) await tx.insert(schema.attachments).values(attachmentRow(created.id, s));
      const common = {
        occurredAt: now,
        dossierId: created.id,
        procedureId: created.procedureId,
        agencyId: created.agencyId,
        actorId: input.officer.id,
        actorRole: "officer",
        channel,
      };
      // With no account, the officer took the phone and e-mail from the applicant in person: those are
      // the contacts messages go to (notifications.server.ts verifiedContacts), and this records who vouched.
      const contactsInPerson = applicantId === null && (created.applicantPhone !== null || created.applicantEmail !== null);
      await recordEvent(tx, {
        ...common,
        type: "submitted",
        fromStatus: submit.from,
        toStatus: submit.to,
        data: {
          formVersion: created.formVersion,
          deliveryMode: created.deliveryMode,
          dueOn,
          intake: channel,
          paper: channel === "counter",
          feeVnd: fee.feeVnd,
          contactsInPerson,
        },
      });
      if (channel === "counter") {
        // Received on the spot: the same move an officer makes in the queue, in the same transaction.
        const receive = transition({ action: "receive", from: submit.to, role: "officer" });
        if (!receive.ok) throw new Error(receive.error);
        await tx
          .update(schema.dossiers)
          .set({ status: receive.to, version: created.version + 1 })
          .where(eq(schema.dossiers.id, created.id));
        await recordEvent(tx, { ...common, type: "status_changed", fromStatus: receive.from, toStatus: receive.to, data: { action: "receive", dueOn } });
      }
      // One message for where the dossier now stands: "submitted" (assisted) or "received" (counter).
      await queueNotifications(tx, { dossier: created });
      return code;
    });
    return { kind: "created", receiptCode };
  } catch (error) {
    await Promise.all(stored.map((s) => deleteStoredFile(s.key)));
    throw error;
  }
}
