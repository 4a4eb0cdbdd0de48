/**
 * Where to send the browser after a sign-in, a registration or a language switch, when the address
 * came from the request (`redirectTo`). Only a path on this site; anything else becomes `fallback`:
 * another origin (`https://…`, `//evil`, `/\evil`), a scheme (`javascript:`), and any control
 * character or backslash — browsers drop tabs and newlines from a URL, so "/\t/evil" would become
 * "//evil", and a newline cannot be put in a Location header at all (it would be a 500).
 */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback = "/"): string {
  if (typeof to !== "string" || !to.startsWith("/") || to.startsWith("//")) return fallback;
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  if (/[\u0000-\u001f\u007f\\]/.test(to)) return fallback;
  return to;
}
