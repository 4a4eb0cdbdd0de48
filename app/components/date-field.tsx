import { formatDateInput } from "~/utils/format";
import { TextField, type TextFieldProps } from "./text-field";

/**
 * A date typed day/month/year (decision 017): a text box, not the browser's date picker (which writes
 * dates as its locale does); a stored ISO value is shown as dd/mm/yyyy, anything else as typed.
 */
export function DateField({ value, ...field }: Omit<TextFieldProps, "type" | "defaultValue" | "value"> & { value: string }) {
  return <TextField {...field} type="text" className="input--date" spellCheck={false} autoComplete="off" defaultValue={formatDateInput(value)} />;
}
