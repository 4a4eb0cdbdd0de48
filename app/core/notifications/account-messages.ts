/**
 * Messages about the account itself (not a dossier): the registration link, the warning that someone
 * tried to register an address that already has an account, and the phone confirmation code. Pure;
 * the wording is in locales/{vi,en}/notifications.json under notify.account.
 */
import en from "../../../locales/en/notifications.json";
import vi from "../../../locales/vi/notifications.json";
import type { Language } from "../../i18n";
import { toSmsText } from "./messages";

const STRINGS: Record<Language, typeof vi> = { vi, en };

export const ACCOUNT_TEMPLATES = ["account_confirm", "account_exists", "phone_code"] as const;
export type AccountTemplate = (typeof ACCOUNT_TEMPLATES)[number];

const fill = (text: string, vars: Readonly<Record<string, string>>) => text.replace(/\{\{(\w+)\}\}/g, (_, k: string) => vars[k] ?? "");

export function confirmEmailMessage(input: { language: Language; name: string; url: string; hours: number }) {
  const s = STRINGS[input.language].notify;
  const vars = { name: input.name, url: input.url, hours: String(input.hours) };
  return { subject: s.account.confirm_subject, body: [fill(s.email.greeting, vars), "", fill(s.account.confirm_body, vars), "", s.email.signature].join("\n") };
}

export function accountExistsMessage(input: { language: Language; name: string; url: string }) {
  const s = STRINGS[input.language].notify;
  const vars = { name: input.name, url: input.url };
  return { subject: s.account.exists_subject, body: [fill(s.email.greeting, vars), "", fill(s.account.exists_body, vars), "", s.email.signature].join("\n") };
}

export function phoneCodeMessage(input: { language: Language; code: string; minutes: number }): string {
  return toSmsText(fill(STRINGS[input.language].notify.account.phone_code_sms, { code: input.code, minutes: String(input.minutes) }));
}
