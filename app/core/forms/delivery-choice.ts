import type { DeliveryMode } from "../catalog/delivery";
import type { FormDefinition } from "./definition";

export type DeliveryChoice =
  /** The form asked how to receive the result and the answer names a mode the procedure offers. */
  | { kind: "answered"; mode: DeliveryMode; field: string }
  /** The form's answer names a mode this procedure does not offer (the form and the catalog disagree). */
  | { kind: "not_offered"; mode: DeliveryMode; field: string }
  /** The form does not ask: the check-answers page does. */
  | { kind: "ask" };

/**
 * How the citizen asked to receive the result. Many real forms ask it themselves ("Hình thức nhận kết
 * quả"); their options say which delivery mode each stands for (`deliveryMode`), so the choice is made
 * once, in the form, and the check-answers page carries it instead of asking again (issue 11: a second,
 * pre-ticked question silently turned "electronic result" into "at the counter").
 */
export function deliveryChoice(definition: FormDefinition, answers: Record<string, unknown>, offered: readonly string[]): DeliveryChoice {
  for (const section of definition.sections) {
    for (const field of section.fields) {
      if (field.type !== "radio" && field.type !== "select") continue;
      if (!field.options.some((o) => o.deliveryMode)) continue;
      const answer = answers[field.name];
      const mode = field.options.find((o) => o.value === answer)?.deliveryMode;
      if (!mode) continue;
      return offered.includes(mode) ? { kind: "answered", mode, field: field.name } : { kind: "not_offered", mode, field: field.name };
    }
  }
  return { kind: "ask" };
}
