import { useEffect, useRef } from "react";
import { useFieldArray, useForm, type Control, type FieldValues, type UseFormProps, type UseFormReturn } from "react-hook-form";
import type { FormDefinition, GroupField } from "~/core/forms/definition";
import type { DraftRow } from "~/core/forms/fields";
import { groupFields } from "~/core/forms/fields";
import { answersState } from "~/core/forms/answers-schema";
import { stateView, type FormStateView } from "~/core/forms/visibility";

/** A repeating group's rows as react-hook-form keeps them (useFieldArray): each with a key that stays with it when others are removed. */
export type LiveRows = {
  rows: { key: string; values: DraftRow }[];
  add: () => void;
  remove: (row: number) => void;
};

type Props = {
  /** The form's control, made by createFormControl with the check's resolver (answers-control.ts). */
  formControl: Omit<UseFormReturn<FieldValues>, "formState">;
  /** Its options (the resolver…): useForm sets the control's options to what it is given. */
  options: UseFormProps<FieldValues>;
  definition: FormDefinition;
  today: string;
  /** Told which fields the answers show and require, at each change (only for forms with rules). */
  onState?: (state: FormStateView) => void;
  /** Told each group's rows after each change of its rows. */
  onRows: (group: string, rows: LiveRows) => void;
};

/**
 * What react-hook-form keeps while the citizen fills the form, with JavaScript: the answers are
 * watched (`watch`) and the form's rules re-read from them at each change, as the server reads
 * them; each repeating group's rows are a field array (useFieldArray), so "Add another" and "Remove"
 * need no round trip. Nothing is drawn here: the form is the page's own HTML, which works without
 * JavaScript; this is loaded with the form's check (answers-control.ts), on first use.
 */
export function AnswersWatch({ formControl, options, definition, today, onState, onRows }: Props) {
  // useForm takes over the control made outside React (and marks it mounted, so the field arrays read its values).
  const { control, watch } = useForm({ ...options, formControl });
  const answers = watch();
  // watch() gives a new object at each render: the rules are read again only when an answer changed.
  const seen = JSON.stringify(answers);
  const latest = useRef(answers);
  latest.current = answers;
  const report = useRef(onState);
  report.current = onState;
  useEffect(() => {
    report.current?.(stateView(answersState(definition, latest.current, today)));
  }, [seen, definition, today]);
  return (
    <>
      {groupFields(definition).map((group) => (
        <GroupRowsWatch key={group.name} control={control} group={group} onRows={onRows} />
      ))}
    </>
  );
}

function GroupRowsWatch({ control, group, onRows }: { control: Control<FieldValues>; group: GroupField; onRows: Props["onRows"] }) {
  const { fields, append, remove } = useFieldArray({ control, name: group.name });
  const report = useRef(onRows);
  report.current = onRows;
  useEffect(() => {
    report.current(group.name, {
      rows: fields.map(({ id, ...values }) => ({ key: id, values: rowValues(values) })),
      add: () => append({}, { shouldFocus: false }),
      remove: (row) => remove(row),
    });
  }, [fields, append, remove, group.name]);
  return null;
}

/** A row's answers as the draft keeps them (text, or a list of ticked options). */
function rowValues(values: Record<string, unknown>): DraftRow {
  const row: DraftRow = {};
  for (const [name, value] of Object.entries(values)) {
    if (typeof value === "string") row[name] = value;
    else if (Array.isArray(value)) row[name] = value.filter((v): v is string => typeof v === "string");
  }
  return row;
}
