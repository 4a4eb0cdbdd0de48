/**
 * Dossier statuses use the national portal's codes 1–10. A draft (0) is the
 * portal's own state before submission and is never counted as a dossier.
 */
export const STATUS = {
  draft: 0,
  submitted: 1,
  received: 2,
  notReceived: 3,
  processing: 4,
  supplementRequested: 5,
  paymentRequested: 6,
  withdrawn: 7,
  stopped: 8,
  resultReady: 9,
  returned: 10,
} as const;
export type StatusName = keyof typeof STATUS;
export type StatusCode = (typeof STATUS)[StatusName];

const NAMES: ReadonlyMap<number, StatusName> = new Map(Object.entries(STATUS).map(([name, code]) => [code, name as StatusName]));

export function statusName(code: number): StatusName {
  const name = NAMES.get(code);
  if (!name) throw new RangeError(`unknown status ${code}`);
  return name;
}

export type ActorRole = "citizen" | "officer" | "system";

/**
 * Every allowed move, once. The officer workspace and the payment flow drive a
 * dossier only through `transition`, so no route updates a status by hand.
 */
export const TRANSITIONS = {
  submit: { from: [STATUS.draft], to: STATUS.submitted, by: ["citizen", "officer"], reason: false },
  receive: { from: [STATUS.submitted], to: STATUS.received, by: ["officer"], reason: false },
  refuse: { from: [STATUS.submitted], to: STATUS.notReceived, by: ["officer"], reason: true },
  startProcessing: { from: [STATUS.received], to: STATUS.processing, by: ["officer"], reason: false },
  requestSupplement: { from: [STATUS.received, STATUS.processing], to: STATUS.supplementRequested, by: ["officer"], reason: true },
  supplement: { from: [STATUS.supplementRequested], to: STATUS.processing, by: ["citizen"], reason: false },
  requestPayment: { from: [STATUS.received, STATUS.processing], to: STATUS.paymentRequested, by: ["officer"], reason: false },
  confirmPayment: { from: [STATUS.paymentRequested], to: STATUS.processing, by: ["system"], reason: false },
  withdraw: {
    from: [STATUS.submitted, STATUS.received, STATUS.processing, STATUS.supplementRequested, STATUS.paymentRequested],
    to: STATUS.withdrawn,
    by: ["citizen"],
    reason: false,
  },
  stop: { from: [STATUS.received, STATUS.processing, STATUS.supplementRequested, STATUS.paymentRequested], to: STATUS.stopped, by: ["officer"], reason: true },
  issueResult: { from: [STATUS.processing], to: STATUS.resultReady, by: ["officer"], reason: false },
  returnResult: { from: [STATUS.resultReady], to: STATUS.returned, by: ["officer", "system"], reason: false },
} as const satisfies Record<string, { from: readonly StatusCode[]; to: StatusCode; by: readonly ActorRole[]; reason: boolean }>;

export type TransitionName = keyof typeof TRANSITIONS;

export type TransitionResult =
  | { ok: true; from: StatusCode; to: StatusCode }
  | { ok: false; error: "not_allowed_from_status" | "not_allowed_for_role" | "reason_required" | "payment_required" | "result_required" };

/** Moves that need the fee paid first when payment is required (level 4, or asked for by an officer). */
const NEEDS_PAYMENT: ReadonlySet<TransitionName> = new Set(["startProcessing", "issueResult", "returnResult"]);

/** Moves that bring the result itself: its signed document or its filled result fields (core/results). */
const NEEDS_RESULT: ReadonlySet<TransitionName> = new Set(["issueResult"]);

/**
 * Moves that cannot be undone: the officer confirms each on its own page first (a refusal, a stop,
 * the result, its hand-over), and the post without that confirmation is refused.
 */
export const IRREVERSIBLE: ReadonlySet<TransitionName> = new Set(["refuse", "stop", "issueResult", "returnResult"]);

/**
 * Decides a move; the caller writes the new status and its event in one transaction.
 * `unpaid` is true when payment is required (core/payments/fees.ts) and not yet settled;
 * `hasResult` is true when the move carries the result (its document or its filled fields).
 */
export function transition(input: {
  action: TransitionName;
  from: number;
  role: ActorRole;
  reason?: string | null;
  unpaid?: boolean;
  hasResult?: boolean;
}): TransitionResult {
  const rule = TRANSITIONS[input.action];
  const by: readonly ActorRole[] = rule.by;
  if (!by.includes(input.role)) return { ok: false, error: "not_allowed_for_role" };
  const from = rule.from.find((s) => s === input.from);
  if (from === undefined) return { ok: false, error: "not_allowed_from_status" };
  if (rule.reason && !input.reason?.trim()) return { ok: false, error: "reason_required" };
  if (input.unpaid && NEEDS_PAYMENT.has(input.action)) return { ok: false, error: "payment_required" };
  if (!input.hasResult && NEEDS_RESULT.has(input.action)) return { ok: false, error: "result_required" };
  return { ok: true, from, to: rule.to };
}

/** Statuses after which nothing more happens to the dossier. */
export function isFinished(code: number): boolean {
  return code === STATUS.notReceived || code === STATUS.withdrawn || code === STATUS.stopped || code === STATUS.returned;
}

export function isTransitionName(value: string): value is TransitionName {
  return Object.hasOwn(TRANSITIONS, value);
}

/** The moves a role could make from a status (before the reason and payment checks): what a UI offers. */
export function availableActions(role: ActorRole, status: number): TransitionName[] {
  return Object.keys(TRANSITIONS)
    .filter(isTransitionName)
    .filter((name) => {
      const by: readonly ActorRole[] = TRANSITIONS[name].by;
      const from: readonly number[] = TRANSITIONS[name].from;
      return by.includes(role) && from.includes(status);
    });
}
