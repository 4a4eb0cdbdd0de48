import * as z from "zod";
import { population, signInCandidates } from "./population";
import { ACR_LEVEL, vneidProvider } from "./provider.server";

/** What the simulator's sign-in page posts: a resident and a level, or a cancellation. */
export const VneidSignInFormSchema = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("sign_in"),
    cccd: z
      .string({ error: "vneidsim.errors.resident_required" })
      .regex(/^\d{12}$/, "vneidsim.errors.resident_required")
      .refine((cccd) => population().byCccd.has(cccd), "vneidsim.errors.resident_required"),
    level: z.enum(["1", "2"], { error: "vneidsim.errors.level_required" }),
  }),
  z.object({ intent: z.literal("cancel") }),
]);
export type VneidSignInForm = z.infer<typeof VneidSignInFormSchema>;

/** An interaction still waiting for its answer, and the client that asked; null when unknown, expired or answered. */
export async function openInteraction(uid: string): Promise<{ uid: string; clientName: string } | null> {
  if (!/^[A-Za-z0-9_-]{10,64}$/.test(uid)) return null;
  const provider = await vneidProvider();
  const interaction = await provider.Interaction.find(uid);
  if (!interaction || interaction.result) return null;
  const clientId = typeof interaction.params.client_id === "string" ? interaction.params.client_id : "";
  const client = await provider.Client.find(clientId);
  return { uid, clientName: typeof client?.clientName === "string" ? client.clientName : clientId };
}

/**
 * Records the person's answer on the interaction and gives the provider's address to resume at.
 * The provider resumes only in the browser that started it (its resume cookie names this interaction).
 */
export async function finishInteraction(uid: string, choice: VneidSignInForm): Promise<string | null> {
  if (!(await openInteraction(uid))) return null;
  const provider = await vneidProvider();
  const interaction = await provider.Interaction.find(uid);
  if (!interaction) return null;
  interaction.result =
    choice.intent === "cancel"
      ? { error: "access_denied", error_description: "The person cancelled the sign-in." }
      : { login: { accountId: choice.cccd, acr: ACR_LEVEL[choice.level], amr: ["pwd"], remember: false } };
  await interaction.save(Math.max(1, interaction.exp - Math.floor(Date.now() / 1000)));
  return interaction.returnTo;
}

/** The choices of the sign-in page, by name: "Nguyễn Văn An — 001085012345 — 1985-03-02". */
export function candidateOptions(): { cccd: string; label: string }[] {
  return signInCandidates()
    .map((r) => ({ cccd: r.cccd, label: `${r.fullName} — ${r.cccd} — ${r.birthDate}` }))
    .sort((a, b) => a.label.localeCompare(b.label, "vi"));
}
