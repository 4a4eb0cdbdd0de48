import * as z from "zod";
import type { Field } from "../forms/definition";
import { isValidCccd } from "../validation/vn";

/**
 * Acting for someone else (issue 17, docs/decisions/036-acting-for-others.md): who a dossier is for, the
 * rule that checks a filer may file for them, and the one rule of who may see a dossier. Plain TypeScript:
 * the server gives the facts (the filer's verified CCCD, the children the population record names, the
 * businesses the filer belongs to) and these functions decide.
 */
export const ON_BEHALF = ["self", "child", "authorised", "business"] as const;
export type OnBehalf = (typeof ON_BEHALF)[number];

/** The reserved attachment field of an authorised adult's dossier: the authorisation document. */
export const AUTHORISATION_FIELD = "_authorisation";

/** What the "for whom" page posts; messages are i18n keys. */
export const ForWhomSchema = z
  .object({
    onBehalf: z.enum(ON_BEHALF, { error: "representation.errors.choose" }),
    childCccd: z.string().trim().optional(),
    adultName: z.string().trim().max(200, "representation.errors.name_too_long").optional(),
    adultCccd: z.string().trim().optional(),
    taxCode: z.string().trim().optional(),
  })
  .superRefine((post, ctx) => {
    if (post.onBehalf === "child" && !post.childCccd) ctx.addIssue({ code: "custom", path: ["childCccd"], message: "representation.errors.child_required" });
    if (post.onBehalf === "authorised") {
      if (!post.adultName) ctx.addIssue({ code: "custom", path: ["adultName"], message: "representation.errors.name_required" });
      if (!post.adultCccd || !isValidCccd(post.adultCccd)) ctx.addIssue({ code: "custom", path: ["adultCccd"], message: "representation.errors.cccd_invalid" });
    }
    if (post.onBehalf === "business" && !post.taxCode) ctx.addIssue({ code: "custom", path: ["taxCode"], message: "representation.errors.business_required" });
  });
export type ForWhomPost = z.infer<typeof ForWhomSchema>;

/** Who the dossier is for, as stored on the dossier row. */
export type Subject = {
  onBehalf: OnBehalf;
  subjectName: string | null;
  subjectCccd: string | null;
  subjectTaxCode: string | null;
};

export const SELF: Subject = { onBehalf: "self", subjectName: null, subjectCccd: null, subjectTaxCode: null };

/** The facts about the filer that decide whom they may file for (read live on every save and submit). */
export type FilerFacts = {
  /** The filer's own CCCD when a level-2 VNeID identity vouches for it; null otherwise. */
  verifiedCccd: string | null;
  /** The children the population record names for `verifiedCccd`. */
  children: readonly { cccd: string; fullName: string }[];
  /** Businesses the filer owns or is a current member of. */
  businesses: readonly { taxCode: string; name: string }[];
};

export type RepresentationError =
  | "representation.errors.not_verified"
  | "representation.errors.not_your_child"
  | "representation.errors.not_your_business"
  | "representation.errors.self_as_adult";

/** The subject a post names, if the filer may file for them; else why not. */
export function chooseSubject(post: ForWhomPost, facts: FilerFacts): { ok: true; subject: Subject } | { ok: false; field: string; error: RepresentationError } {
  switch (post.onBehalf) {
    case "self":
      return { ok: true, subject: SELF };
    case "child": {
      if (!facts.verifiedCccd) return { ok: false, field: "childCccd", error: "representation.errors.not_verified" };
      const child = facts.children.find((c) => c.cccd === post.childCccd);
      if (!child) return { ok: false, field: "childCccd", error: "representation.errors.not_your_child" };
      return { ok: true, subject: { onBehalf: "child", subjectName: child.fullName, subjectCccd: child.cccd, subjectTaxCode: null } };
    }
    case "authorised": {
      // Filing "for another adult" with one's own number would dodge nothing, but it is a mistake worth saying.
      if (facts.verifiedCccd !== null && facts.verifiedCccd === post.adultCccd)
        return { ok: false, field: "adultCccd", error: "representation.errors.self_as_adult" };
      return { ok: true, subject: { onBehalf: "authorised", subjectName: post.adultName ?? "", subjectCccd: post.adultCccd ?? "", subjectTaxCode: null } };
    }
    case "business": {
      const business = facts.businesses.find((b) => b.taxCode === post.taxCode);
      if (!business) return { ok: false, field: "taxCode", error: "representation.errors.not_your_business" };
      return { ok: true, subject: { onBehalf: "business", subjectName: business.name, subjectCccd: null, subjectTaxCode: business.taxCode } };
    }
  }
}

/**
 * Whether a stored subject is still one the filer may file for: checked again on every save and submit, as the
 * population record and business membership may have changed (or the row was tampered with). An authorised
 * adult is always allowed here: the officer checks the document at receipt.
 */
export function subjectStillAllowed(subject: Subject, facts: FilerFacts): boolean {
  switch (subject.onBehalf) {
    case "self":
    case "authorised":
      return true;
    case "child":
      return facts.verifiedCccd !== null && facts.children.some((c) => c.cccd === subject.subjectCccd);
    case "business":
      return facts.businesses.some((b) => b.taxCode === subject.subjectTaxCode);
  }
}

/** Who is looking: the account, the CCCD a VNeID identity links to it (any level), and its businesses now. */
export type Viewer = { userId: number; linkedCccd: string | null; taxCodes: readonly string[] };

export type Capacity = "filer" | "subject" | "business";

/**
 * The one rule of who may see a citizen's dossier (every citizen dossier route goes through it): the filer (of a
 * business's dossier, only while still its owner or member); the subject (an account whose linked CCCD is the dossier's subject CCCD); the current owner and members of the
 * subject business. Null: not theirs, answered as not found.
 */
export function dossierAccess(
  viewer: Viewer,
  dossier: { applicantId: number | null } & Pick<Subject, "onBehalf" | "subjectCccd" | "subjectTaxCode">,
): Capacity | null {
  // A business's dossier is the business's: its filer sees it only while still its owner or a member
  // (an employee who leaves loses the business's files, those they filed too).
  const stillOfBusiness = dossier.onBehalf !== "business" || (dossier.subjectTaxCode !== null && viewer.taxCodes.includes(dossier.subjectTaxCode));
  if (dossier.applicantId !== null && dossier.applicantId === viewer.userId && stillOfBusiness) return "filer";
  if (dossier.onBehalf !== "self" && dossier.subjectCccd !== null && viewer.linkedCccd !== null && dossier.subjectCccd === viewer.linkedCccd) return "subject";
  if (dossier.onBehalf === "business" && dossier.subjectTaxCode !== null && viewer.taxCodes.includes(dossier.subjectTaxCode)) return "business";
  return null;
}

/** The authorisation document's upload, checked like any form file (by its bytes, PDF or image, up to 10 MB). */
export const AUTHORISATION_UPLOAD = {
  type: "file",
  name: AUTHORISATION_FIELD,
  label: { vi: "Văn bản ủy quyền", en: "Authorisation document" },
  required: true,
  accept: ["pdf", "jpeg", "png"],
  maxSizeMb: 10,
  maxFiles: 1,
} as const satisfies Extract<Field, { type: "file" }>;
