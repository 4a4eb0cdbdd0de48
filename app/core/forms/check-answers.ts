import { buildAnswersSchema, fieldErrors } from "./answers-schema";
import type { FormDefinition } from "./definition";
import { postedAnswers } from "./fields";

// Loaded with this module, so the first page load carries neither.
export { checkChosenFiles } from "./attachments";

/**
 * The browser's check of a form before it is posted: the answers taken from the form data
 * exactly as the server takes them, parsed by the one schema, errors keyed by field (i18n
 * keys). The form page loads this module with import() when the citizen first needs it, so
 * zod is not part of the page's first download; the server checks again either way.
 * The files chosen are checked by checkChosenFiles (their size and first bytes); the server
 * checks the whole of each file again.
 */
export function checkAnswers(input: {
  definition: FormDefinition;
  today: string;
  form: FormData;
  only?: { names: readonly string[]; base: Record<string, string | string[]> };
}): Record<string, string> {
  const values = postedAnswers(input.definition, input.form, input.only);
  const parsed = buildAnswersSchema(input.definition, input.today).safeParse(values);
  return parsed.success ? {} : fieldErrors(parsed.error);
}
