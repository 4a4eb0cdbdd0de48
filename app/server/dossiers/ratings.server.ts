import { accessTo } from "./representation.server";
import { eq } from "drizzle-orm";
import * as z from "zod";
import { schema } from "../platform/schema.server";
import { STATUS } from "../../core/dossiers/status";
import { db, inTransaction } from "../platform/db.server";
import { recordEvent, ofDossier } from "../statistics/events.server";

export const RatingSchema = z.object({
  rating: z.enum(["very_satisfied", "satisfied", "not_satisfied"], { error: "rating.errors.choose" }),
  comment: z
    .string()
    .trim()
    .max(1000, "rating.errors.comment_too_long")
    .optional()
    .transform((c) => (c ? c : null)),
});

export async function getRating(dossierId: number) {
  const [row] = await db().select().from(schema.ratings).where(eq(schema.ratings.dossierId, dossierId)).limit(1);
  return row ?? null;
}

/** Once per returned dossier; the rating and its event are one transaction. */
export async function rateDossier(input: {
  dossierId: number;
  applicantId: number;
  rating: z.infer<typeof RatingSchema>["rating"];
  comment: string | null;
  now?: Date;
}): Promise<"rated" | "already_rated" | "not_returned"> {
  const now = input.now ?? new Date();
  return inTransaction(async (tx) => {
    const [d] = await tx.select().from(schema.dossiers).where(eq(schema.dossiers.id, input.dossierId)).limit(1);
    if (!d || (await accessTo(input.applicantId, d)) === null || d.status !== STATUS.returned) return "not_returned";
    const [inserted] = await tx
      .insert(schema.ratings)
      .values({ dossierId: d.id, rating: input.rating, comment: input.comment, createdAt: now })
      .onConflictDoNothing()
      .returning();
    if (!inserted) return "already_rated";
    // The comment stays in `ratings`; the log carries only the grade (no free text, which may hold personal data).
    await recordEvent(tx, {
      type: "rated",
      occurredAt: now,
      ...ofDossier(d),
      actorId: input.applicantId,
      actorRole: "citizen",
      data: { rating: input.rating },
    });
    return "rated";
  });
}
