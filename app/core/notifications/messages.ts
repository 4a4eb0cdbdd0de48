/**
 * What the citizen is told, by e-mail and SMS, when something happens to a dossier. Pure: the
 * caller (app/server/notifications/notifications.server.ts) reads the dossier and writes the outbox rows.
 * The wording lives in locales/{vi,en}/notifications.json, the same files the pages use; the
 * JSON is imported rather than a translate function passed in because the outbox is written
 * inside a synchronous database transaction.
 */
import en from "../../../locales/en/notifications.json";
import vi from "../../../locales/vi/notifications.json";
import type { Language } from "../../i18n";
import { formatDate } from "../../utils/format";
import { STATUS } from "../dossiers/status";
import { stripDiacritics } from "../text/fold";

// Typed against the Vietnamese file: an English file missing a template or a line fails to compile.
const STRINGS: Record<Language, typeof vi> = { vi, en };

export const TEMPLATES = [
  "submitted",
  "received",
  "not_received",
  "supplement_requested",
  "payment_requested",
  "payment_confirmed",
  "withdrawn",
  "stopped",
  "result_ready",
  "returned",
  "apology",
] as const satisfies readonly (keyof typeof vi.notify.templates)[];
export type TemplateKey = (typeof TEMPLATES)[number];

export function isTemplateKey(value: string): value is TemplateKey {
  return TEMPLATES.some((t) => t === value);
}

/**
 * The message for a dossier that has just reached `status`, or null when the citizen is not told
 * (processing: nothing they need to act on). A payment that moves the dossier back to processing
 * is told with "payment_confirmed", chosen by the payment code, not from the status.
 */
export function templateForStatus(status: number): TemplateKey | null {
  switch (status) {
    case STATUS.submitted:
      return "submitted";
    case STATUS.received:
      return "received";
    case STATUS.notReceived:
      return "not_received";
    case STATUS.supplementRequested:
      return "supplement_requested";
    case STATUS.paymentRequested:
      return "payment_requested";
    case STATUS.withdrawn:
      return "withdrawn";
    case STATUS.stopped:
      return "stopped";
    case STATUS.resultReady:
      return "result_ready";
    case STATUS.returned:
      return "returned";
    default:
      return null;
  }
}

/** Templates whose e-mail repeats the appointment date (the dossier is still open). */
const SHOWS_DUE: ReadonlySet<TemplateKey> = new Set(["submitted", "received", "supplement_requested", "payment_requested", "payment_confirmed"]);

export type MessageInput = {
  template: TemplateKey;
  language: Language;
  receiptCode: string;
  procedureName: string;
  /** Absolute address of the dossier's page (or the tracking page). */
  trackingUrl: string;
  /** The appointment date, YYYY-MM-DD. */
  dueOn: string | null;
  applicantName?: string | null;
  /** The officer's reason (not received, stopped) or message (supplement requested, apology). */
  reason?: string | null;
  /** The new date promised with an apology, YYYY-MM-DD. */
  newDate?: string | null;
};

export type ComposedMessages = { email: { subject: string; body: string }; sms: string };

/** The same `{{name}}` interpolation i18next uses (without escaping: these are plain-text messages). */
function fill(text: string, vars: Readonly<Record<string, string>>): string {
  return text.replace(/\{\{(\w+)\}\}/g, (whole, name: string) => vars[name] ?? whole);
}

export const SMS_LIMIT = 160;

// GSM 03.38: the basic set costs one unit, the extension set two (escape + character).
const GSM_BASIC = new Set("@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà");
const GSM_EXTENDED = new Set("^{}\\[~]|€");

/** Length in GSM-7 units, or null when the text needs UCS-2 (70 characters a message). */
export function gsmLength(text: string): number | null {
  let units = 0;
  for (const ch of text) {
    if (GSM_BASIC.has(ch)) units += 1;
    else if (GSM_EXTENDED.has(ch)) units += 2;
    else return null;
  }
  return units;
}

/**
 * SMS text: without diacritics (how Vietnamese SMS are usually sent; a single accented letter
 * would switch the whole message to UCS-2 and 70 characters), typographic punctuation made
 * plain, anything else outside GSM-7 replaced.
 */
export function toSmsText(text: string): string {
  const plain = stripDiacritics(text).replace(/[‘’]/g, "'").replace(/[“”]/g, '"').replace(/[–—]/g, "-").replace(/…/g, "...").replace(/\s+/g, " ").trim();
  return [...plain].map((ch) => (GSM_BASIC.has(ch) || GSM_EXTENDED.has(ch) ? ch : "?")).join("");
}

/** Shortens free text to `max` GSM units, at a word boundary when one is near, ending with "..." when cut. */
function clip(text: string, max: number): string {
  if ((gsmLength(text) ?? Infinity) <= max) return text;
  let out = "";
  for (const ch of text) {
    if ((gsmLength(`${out}${ch}...`) ?? Infinity) > max) break;
    out += ch;
  }
  const space = out.lastIndexOf(" ");
  const cut = space > out.length - 15 && space > 0 ? out.slice(0, space) : out;
  return `${cut.replace(/[\s.,;:]+$/, "")}...`;
}

/** The officer's free text never makes an SMS longer than one message; below this it is cut anyway. */
const MIN_REASON = 30;

export function composeMessages(input: MessageInput): ComposedMessages {
  const s = STRINGS[input.language].notify;
  const template = s.templates[input.template];
  const due = input.dueOn ? formatDate(input.dueOn, input.language) : "-";
  // Officers often end a reason with a full stop; the templates add their own.
  const reason = input.reason?.trim().replace(/[\s.]+$/, "") ?? "";
  const vars = {
    code: input.receiptCode,
    procedure: input.procedureName,
    url: input.trackingUrl,
    due,
    date: input.newDate ? formatDate(input.newDate, input.language) : due,
    reason,
  };

  const lines = [
    input.applicantName?.trim() ? fill(s.email.greeting, { name: input.applicantName.trim() }) : s.email.greeting_anonymous,
    "",
    fill(template.body, vars),
    ...(reason ? [fill(input.template === "supplement_requested" ? s.email.officer_message : s.email.reason, vars)] : []),
    "",
    fill(s.email.code, vars),
    fill(s.email.procedure, vars),
    ...(SHOWS_DUE.has(input.template) && input.dueOn ? [fill(s.email.due, vars)] : []),
    fill(s.email.track, vars),
    "",
    s.email.signature,
  ];

  // The reason gets whatever room the rest of the SMS leaves in one message.
  const smsReason = toSmsText(reason);
  const fixed = toSmsText(fill(template.sms, { ...vars, reason: "" }));
  const room = Math.max(SMS_LIMIT - (gsmLength(fixed) ?? fixed.length), MIN_REASON);
  // The templates put their own full stop after the reason: "...." would read as a typo.
  const sms = toSmsText(fill(template.sms, { ...vars, reason: clip(smsReason || "-", room) })).replace(/\.{4,}/g, "...");

  return { email: { subject: fill(template.subject, vars), body: lines.join("\n") }, sms };
}
