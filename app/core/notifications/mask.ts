import { maskTail } from "../validation/vn";

/** "cong.dan@example.vn" → "c***@example.vn": enough to tell messages apart, not to read the address. */
export function maskEmail(address: string): string {
  const at = address.lastIndexOf("@");
  if (at < 1) return "***";
  return `${address.charAt(0)}***${address.slice(at)}`;
}

/** How a recipient is shown in the outbox: e-mail as above, phone numbers by their last four digits. */
export function maskRecipient(kind: "email" | "sms", recipient: string): string {
  return kind === "email" ? maskEmail(recipient) : maskTail(recipient);
}
