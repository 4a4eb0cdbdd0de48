import type { InputHTMLAttributes } from "react";

export type TextFieldProps = {
  id: string;
  name: string;
  label: string;
  hint?: string;
  error?: string;
} & Omit<InputHTMLAttributes<HTMLInputElement>, "id" | "name">;

/** A labelled input with its hint and error, for the portal's own small forms (sign-in, tracking). */
export function TextField({ id, name, label, hint, error, type = "text", className, ...input }: TextFieldProps) {
  const describedBy = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className={`form-group${error ? " form-group--error" : ""}`}>
      <label htmlFor={id}>{label}</label>
      {hint ? (
        <span id={`${id}-hint`} className="hint">
          {hint}
        </span>
      ) : null}
      {error ? (
        <span id={`${id}-error`} className="error-message">
          {error}
        </span>
      ) : null}
      <input
        id={id}
        name={name}
        type={type}
        aria-describedby={describedBy}
        aria-invalid={error ? true : undefined}
        className={[className, error ? "input--error" : null].filter(Boolean).join(" ") || undefined}
        {...input}
      />
    </div>
  );
}
