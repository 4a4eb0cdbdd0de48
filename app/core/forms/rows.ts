import type { FormDefinition } from "./definition";
import { groupFields, type DraftRow, type DraftValues } from "./fields";

/**
 * Adding and removing a repeating group's rows by posting back (GOV.UK "add another"): the buttons
 * are submit buttons named `intent` with the value `add:<group>` or `remove:<group>:<row>`, so it
 * works without JavaScript, and the draft is saved with the change (nothing typed is lost). No zod:
 * the browser may read it too.
 */
export type RowIntent = { kind: "add"; group: string } | { kind: "remove"; group: string; row: number };

export function parseRowIntent(def: FormDefinition, intent: unknown): RowIntent | null {
  if (typeof intent !== "string") return null;
  const match = /^(add|remove):([a-z][a-z0-9_]{0,47})(?::(\d{1,2}))?$/.exec(intent);
  if (!match) return null;
  const [, kind, group, row] = match;
  if (!group || !groupFields(def).some((g) => g.name === group)) return null;
  if (kind === "add" && row === undefined) return { kind: "add", group };
  if (kind === "remove" && row !== undefined) return { kind: "remove", group, row: Number(row) };
  return null;
}

/**
 * The rows a group shows: the answer's, or — before anything was typed — as many empty rows as a
 * required group needs at least (an optional group starts with none).
 */
export function shownRows(def: FormDefinition, values: DraftValues, groupName: string, required: boolean): DraftRow[] {
  const group = groupFields(def).find((g) => g.name === groupName);
  const value = values[groupName];
  if (Array.isArray(value) && value.every((row) => typeof row === "object")) return value.filter((row): row is DraftRow => typeof row === "object");
  return group && required ? Array.from({ length: group.minRows }, () => ({})) : [];
}

/**
 * The values after the row change, and the row to take the citizen to (the new row, or the one
 * after the removed one); null when it cannot be done (the group is full, or no such row).
 */
export function applyRowIntent(def: FormDefinition, values: DraftValues, intent: RowIntent, required: boolean): { values: DraftValues; row: number } | null {
  const group = groupFields(def).find((g) => g.name === intent.group);
  if (!group) return null;
  const rows = shownRows(def, values, group.name, required);
  if (intent.kind === "add") {
    if (rows.length >= group.maxRows) return null;
    return { values: { ...values, [group.name]: [...rows, {}] }, row: rows.length };
  }
  if (intent.row >= rows.length) return null;
  const kept = rows.filter((_, i) => i !== intent.row);
  return { values: { ...values, [group.name]: kept }, row: Math.min(intent.row, kept.length - 1) };
}
