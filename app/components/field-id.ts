/** The id of a form field's input, shared by the field and the error summary that links to it (its own module: the check page needs only this). */
export const fieldId = (name: string) => `f-${name}`;
