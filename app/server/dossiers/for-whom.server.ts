import { AUTHORISATION_FIELD, AUTHORISATION_UPLOAD, ForWhomSchema, type OnBehalf } from "../../core/dossiers/representation";
import type { getTFor } from "../platform/i18n.server";
import { fieldErrors } from "../../core/forms/answers-schema";
import { NOT_FOUND, type NotFound } from "../../core/outcome";
import type { Language } from "../../i18n";
import type { SessionUser } from "../auth/session.server";
import { checkUploads, onlineProcedure } from "./application.server";
import { addAttachment, getOrStartDraft, listAttachments } from "./dossiers.server";
import { filerFacts, setDraftSubject } from "./representation.server";

/**
 * The "for whom" step of an application (decision 036): the choices the filer has (children from the
 * population record with a level-2 VNeID, the businesses they own or belong to), the draft's current subject,
 * and the post that sets it — checked by core/dossiers/representation.ts chooseSubject, never trusted from the form.
 */
export async function forWhomPage(input: { user: SessionUser; code: string; language: Language }) {
  const procedure = await onlineProcedure(input.code);
  if (!procedure) return null;
  const draft = await getOrStartDraft({
    procedureId: procedure.procedure.id,
    agencyId: procedure.procedure.agencyId,
    formVersion: procedure.form.version,
    applicantId: input.user.id,
    language: input.language,
  });
  const facts = await filerFacts(input.user.id);
  const authorisation = (await listAttachments(draft.id)).find((a) => a.fieldName === AUTHORISATION_FIELD) ?? null;
  return {
    procedure: { code: procedure.procedure.code, nameVi: procedure.procedure.nameVi, nameEn: procedure.procedure.nameEn },
    draftId: draft.id,
    current: { onBehalf: draft.onBehalf, subjectName: draft.subjectName, subjectCccd: draft.subjectCccd, subjectTaxCode: draft.subjectTaxCode },
    linkedLevel: facts.linkedLevel,
    verified: facts.verifiedCccd !== null,
    children: facts.children,
    businesses: facts.businesses,
    authorisation: authorisation ? { id: authorisation.id, fileName: authorisation.fileName } : null,
  };
}

export type ForWhomOutcome = NotFound | { kind: "saved" } | { kind: "invalid"; errors: Record<string, string>; values: Record<string, string> };

/** The step's post: the choice checked, stored on the draft with its event, and an authorised adult's document kept. */
export async function postForWhom(input: {
  user: SessionUser;
  code: string;
  language: Language;
  form: FormData;
  oversized: ReadonlySet<string>;
}): Promise<ForWhomOutcome> {
  const page = await forWhomPage(input);
  if (!page) return NOT_FOUND;
  const values = Object.fromEntries(
    ["onBehalf", "childCccd", "adultName", "adultCccd", "taxCode"].map((k) => {
      const v = input.form.get(k);
      return [k, typeof v === "string" ? v : ""];
    }),
  );
  const parsed = ForWhomSchema.safeParse(Object.fromEntries(Object.entries(values).filter(([, v]) => v !== "")));
  if (!parsed.success) return { kind: "invalid", errors: fieldErrors(parsed.error), values };
  let upload = null;
  if (parsed.data.onBehalf === "authorised") {
    const checked = await checkUploads([AUTHORISATION_UPLOAD], input.form, input.oversized);
    if (checked.errors[AUTHORISATION_FIELD]) return { kind: "invalid", errors: { [AUTHORISATION_FIELD]: checked.errors[AUTHORISATION_FIELD] }, values };
    upload = checked.uploads[0] ?? null;
    if (!upload && !page.authorisation) return { kind: "invalid", errors: { [AUTHORISATION_FIELD]: "representation.errors.authorisation_required" }, values };
  }
  const set = await setDraftSubject({ userId: input.user.id, draftId: page.draftId, post: parsed.data });
  if (!set.ok) return "field" in set ? { kind: "invalid", errors: { [set.field]: set.error }, values } : NOT_FOUND;
  if (upload) {
    const added = await addAttachment({ dossierId: page.draftId, applicantId: input.user.id, maxFiles: 1, ...upload });
    if (added !== "added") return { kind: "invalid", errors: { [AUTHORISATION_FIELD]: "form.errors.draft_full" }, values };
  }
  return { kind: "saved" };
}

type Translate = Awaited<ReturnType<typeof getTFor>>;

/**
 * "Filed for" as text, translated here: the form, check-answers and receipt pages are at their script budget, so
 * they carry these few words in their data rather than the whole representation string group.
 */
export function forWhomText(t: Translate, forWhom: { onBehalf: OnBehalf; subjectName: string | null }) {
  return {
    label: t("representation.summary_label"),
    value:
      forWhom.onBehalf === "self"
        ? t("representation.for_self")
        : t("representation.subject_line", { name: forWhom.subjectName ?? "", capacity: t(`representation.capacity.${forWhom.onBehalf}`) }),
    change: t("representation.change"),
  };
}
