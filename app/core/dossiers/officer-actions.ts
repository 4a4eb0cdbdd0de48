import * as z from "zod";
import { IRREVERSIBLE, isTransitionName, type TransitionName } from "./status";

/**
 * The officer's posts that move a dossier, as one schema for the dossier page and the confirmation
 * pages. An irreversible move (a refusal, a stop, the result, its hand-over) is accepted only from its
 * confirmation page, which alone sends `confirmed=yes`: a post that skipped it is refused (400).
 */
export const CONFIRM_REQUIRED = "officer.errors.confirm_required";

/** The hidden field the confirmation page sends. */
export const ConfirmedSchema = z.literal("yes", { error: CONFIRM_REQUIRED });
export const VersionSchema = z.coerce.number().int().positive();

export const OfficerTransitionSchema = z
  .object({
    intent: z.literal("transition"),
    action: z.custom<TransitionName>((v) => typeof v === "string" && isTransitionName(v)),
    version: VersionSchema,
    reason: z.string().trim().max(1000, "officer.errors.reason_too_long").optional(),
    items: z.array(z.string().max(100)).max(200).default([]),
    confirmed: z.string().optional(),
  })
  .superRefine((post, ctx) => {
    if (IRREVERSIBLE.has(post.action) && post.confirmed !== "yes") ctx.addIssue({ code: "custom", path: ["confirmed"], message: CONFIRM_REQUIRED });
  });

/** Each irreversible move's confirmation page, under the dossier's page. */
const SLUGS = { refuse: "refuse", stop: "stop", issueResult: "issue-result", returnResult: "return-result" } as const satisfies Partial<
  Record<TransitionName, string>
>;
export type ConfirmedMove = keyof typeof SLUGS;

export function isConfirmedMove(action: TransitionName): action is ConfirmedMove {
  return IRREVERSIBLE.has(action) && Object.hasOwn(SLUGS, action);
}

export function confirmPath(receiptCode: string, action: ConfirmedMove): string {
  return `/officer/dossiers/${receiptCode}/${SLUGS[action]}`;
}

/** The move a confirmation page's address names, or null for any other segment. */
export function moveOfSlug(slug: string | undefined): ConfirmedMove | null {
  for (const [move, s] of Object.entries(SLUGS)) if (s === slug && isTransitionName(move) && isConfirmedMove(move)) return move;
  return null;
}
