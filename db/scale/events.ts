/**
 * The synthetic event log of the scale database: what citizens and officers would leave in
 * `dossier_events` over a year, drawn from a simple model of their behaviour.
 *
 * - Arrivals: a citizen's visit to a procedure page (any hour, weekends quieter) or a dossier
 *   brought to an officer (counter or assisted, working hours only). Procedures are drawn by a
 *   Zipf-like popularity (a few procedures get most of the traffic; levels 3–4 more than 1–2).
 * - A visit is one or two page views, maybe a template download and, for levels 3–4, maybe a form
 *   started → draft saved → submitted online: views ≫ forms started > submissions.
 * - A dossier then lives through the portal's state machine (app/core/dossiers/status.ts):
 *   received or refused, processing, sometimes a supplement request (the clock pauses) or a payment
 *   request, a result (or a stop) classified early / on time / late against the appointment date
 *   computed with the app's calendar, the result returned and sometimes rated.
 * - Each ministry or province has its own profile: the share of portal dossiers typed in by
 *   officers (assisted; Bắc Ninh 59 %, as in decision 007), refusals, lateness, dissatisfaction.
 *
 * An event is attributed to its procedure's agency, as the app attributes a dossier. The catalog is
 * the 2019 appendix's, so the provinces and ministries dissolved in the 2025 reorganisation keep
 * their procedures and their traffic after the date (the dashboard lists them, with figures).
 *
 * Events are kept in typed arrays (a few tens of bytes each) and turned into rows only when
 * inserted, so ten million fit in memory.
 */
import { classifyTimeliness, pausedWorkingDays } from "../../app/core/dossiers/deadline";
import type { EventType } from "../../app/server/statistics/events.server";
import type { CatalogEntry } from "./catalog";
import { dayString, MINUTE_MS, vnDayOf, vnMidnight, type WorkCalendar } from "./clock";
import { Random, WeightedIndex, zipfWeights } from "./random";

/** The event types the model writes; all are types the app itself records. */
export const EVENT_KINDS = [
  "procedure_viewed",
  "template_downloaded",
  "form_started",
  "draft_saved",
  "attachment_added",
  "submitted",
  "status_changed",
  "tracking_viewed",
  "payment_started",
  "payment_confirmed",
  "result_issued",
  "result_downloaded",
  "rated",
] as const satisfies readonly EventType[];
type Kind = (typeof EVENT_KINDS)[number];
const KIND: ReadonlyMap<Kind, number> = new Map(EVENT_KINDS.map((k, i) => [k, i]));

export const CHANNEL_NAMES = [null, "online", "assisted", "counter"] as const;
const CH = { none: 0, online: 1, assisted: 2, counter: 3 } as const;
export const ROLE_NAMES = [null, "citizen", "officer", "system"] as const;
const ROLE = { none: 0, citizen: 1, officer: 2, system: 3 } as const;

/** What an event's `data` holds, as the app writes it (see `eventData`). */
export const DETAIL = {
  none: 0,
  viewVi: 1,
  viewEn: 2,
  template: 3,
  formVersion: 4,
  attachment: 5,
  submittedOnline: 6,
  submittedIntake: 7,
  receive: 8,
  refuse: 9,
  startProcessing: 10,
  requestSupplement: 11,
  supplement: 12,
  requestPayment: 13,
  paymentStarted: 14,
  paymentConfirmed: 15,
  confirmPayment: 16,
  issueResult: 17,
  stop: 18,
  withdraw: 19,
  returnResult: 20,
  resultIssued: 21,
  rated: 22,
} as const;
const DELIVERY_NAMES = ["counter", "online", "post"] as const;
const TIMELINESS_NAMES = [null, "early", "on_time", "late"] as const;
const RATING_NAMES = [null, "very_satisfied", "satisfied", "not_satisfied"] as const;

/** Ten million events × ~40 bytes: the log in columns until it is written. */
export class EventBuffer {
  readonly at: Float64Array;
  readonly kind: Uint8Array;
  readonly proc: Int32Array;
  readonly channel: Uint8Array;
  readonly role: Uint8Array;
  readonly from: Int8Array;
  readonly to: Int8Array;
  readonly detail: Uint8Array;
  /** A day number (the appointment date) where the data names one, else -1. */
  readonly due: Int32Array;
  /** A small number the data needs: delivery mode, timeliness, rating, paused days or the dossier's serial (txnRef). */
  readonly extra: Int32Array;
  length = 0;

  constructor(readonly capacity: number) {
    this.at = new Float64Array(capacity);
    this.kind = new Uint8Array(capacity);
    this.proc = new Int32Array(capacity);
    this.channel = new Uint8Array(capacity);
    this.role = new Uint8Array(capacity);
    this.from = new Int8Array(capacity);
    this.to = new Int8Array(capacity);
    this.detail = new Uint8Array(capacity);
    this.due = new Int32Array(capacity);
    this.extra = new Int32Array(capacity);
  }

  get full(): boolean {
    return this.length >= this.capacity;
  }

  /** Indices in time order, to the millisecond; ties keep the order of generation (a counter dossier's submission before its receipt). */
  timeOrder(base: number): Uint32Array {
    const SLOTS = 2 ** 25;
    if (this.length > SLOTS) throw new RangeError(`at most ${SLOTS} events`);
    // One float key per event, whole seconds × 2^25 + index (< 2^53, so exact): a native numeric sort…
    const keys = new Float64Array(this.length);
    for (let i = 0; i < this.length; i += 1) keys[i] = Math.floor(((this.at[i] ?? 0) - base) / 1000) * SLOTS + i;
    keys.sort();
    const order = new Uint32Array(this.length);
    for (let i = 0; i < this.length; i += 1) order[i] = (keys[i] ?? 0) % SLOTS;
    // …then each run of events within the same second (a handful) ordered by millisecond, then index.
    const second = (k: number) => Math.floor((keys[k] ?? 0) / SLOTS);
    for (let start = 0; start < this.length;) {
      let end = start + 1;
      while (end < this.length && second(end) === second(start)) end += 1;
      if (end - start > 1) order.subarray(start, end).sort((x, y) => (this.at[x] ?? 0) - (this.at[y] ?? 0) || x - y);
      start = end;
    }
    return order;
  }
}

/** One ministry's or province's habits. */
type Profile = {
  /** Share of portal dossiers (online + assisted) typed in by officers. */
  assistedShare: number;
  /** Probability that a dossier brought to an officer for a level-3/4 procedure is submitted through the portal (assisted) rather than registered on paper. */
  assistedDraw: number;
  refusal: number;
  late: number;
  early: number;
  dissatisfied: number;
};

/** The model's rates (per arrival or per dossier), tuned so the funnel and the mix look like a portal's. */
export const RATES = {
  /** An arrival is a dossier brought to an officer rather than a citizen's visit. */
  office: 0.16,
  secondView: 0.3,
  template: 0.06,
  formStart: 0.12,
  submit: 0.62,
  sameSession: 0.7,
  draftSaved: 0.55,
  attachment: 0.5,
  tracking: 0.35,
  payLevel4Online: 0.85,
  withdrawEarly: 0.006,
  supplement: 0.07,
  supplementAnswered: 0.85,
  requestPaymentLevel3: 0.35,
  paysWhenAsked: 0.9,
  stop: 0.02,
  resultDownload: 0.8,
  returned: 0.93,
  ratePortal: 0.3,
  rateCounter: 0.06,
} as const;

/** Named profiles; the others are drawn. Bắc Ninh: 59 % of portal dossiers keyed in by officers (decision 007). */
const ASSISTED_OVERRIDES: ReadonlyMap<string, number> = new Map([["bac-ninh", 0.59]]);

/** Citizens' visits by hour of the Vietnam day: office-hour peaks and an evening one. */
const CITIZEN_HOURS = [0.3, 0.15, 0.1, 0.1, 0.15, 0.4, 1.2, 2.5, 4.5, 5.5, 5.5, 4.5, 3, 4, 5, 5, 4.5, 3.5, 2.5, 2.5, 3, 3, 2, 1];

export type ModelOptions = {
  catalog: readonly CatalogEntry[];
  /** Top-level agency codes in the appendix's order (profiles are drawn in this order). */
  roots: readonly { code: string; kind: "ministry" | "province" }[];
  clock: WorkCalendar;
  random: Random;
  /** The log covers [startMs, endMs]; visits from `warmupDays` before start let dossiers already open at the start finish inside it. */
  startMs: number;
  endMs: number;
  warmupDays: number;
};

export class EventModel {
  private readonly random: Random;
  private readonly clock: WorkCalendar;
  private readonly catalog: readonly CatalogEntry[];
  private readonly popularity: WeightedIndex;
  private readonly profiles: Profile[];
  private readonly citizenDays: WeightedIndex;
  private readonly officeDays: WeightedIndex;
  private readonly hours = new WeightedIndex(CITIZEN_HOURS);
  private readonly firstDay: number;
  /** Each catalog entry's profile (its top-level agency's), by catalog index. */
  private readonly profileIndex: number[];
  private buffer: EventBuffer = new EventBuffer(0);
  private dossierSerial = 0;
  readonly startMs: number;
  readonly endMs: number;

  constructor(options: ModelOptions) {
    this.random = options.random;
    this.clock = options.clock;
    this.catalog = options.catalog;
    this.startMs = options.startMs;
    this.endMs = options.endMs;

    // Popularity: a random order of the catalog, Zipf over it, online levels favoured.
    const order = this.random.shuffle(Array.from(this.catalog.keys()));
    const zipf = zipfWeights(order.length, 1.0, 10);
    const levelFactor = [0, 0.7, 1, 2, 3];
    const weights = new Float64Array(this.catalog.length);
    order.forEach((procIndex, rank) => {
      weights[procIndex] = (zipf[rank] ?? 0) * (levelFactor[this.catalog[procIndex]?.level ?? 0] ?? 1);
    });
    this.popularity = new WeightedIndex(weights);

    // Online self-service submissions per arrival on a level-3/4 procedure, to aim each agency's assisted share.
    const onlinePerArrival = (1 - RATES.office) * RATES.formStart * RATES.submit;
    const byRoot = new Map<string, number>();
    this.profiles = options.roots.map((root, i) => {
      byRoot.set(root.code, i);
      const drawn = root.kind === "ministry" ? this.random.between(0.02, 0.12) : this.random.between(0.08, 0.4);
      const assistedShare = ASSISTED_OVERRIDES.get(root.code) ?? drawn;
      const assistedDraw = Math.min(0.95, ((assistedShare / (1 - assistedShare)) * onlinePerArrival) / RATES.office);
      return {
        assistedShare,
        assistedDraw,
        refusal: this.random.between(0.01, 0.07),
        late: this.random.between(0.02, 0.2),
        early: this.random.between(0.45, 0.85),
        dissatisfied: this.random.between(0.03, 0.15),
      };
    });
    this.profileIndex = this.catalog.map((p) => {
      const i = byRoot.get(p.rootCode);
      if (i === undefined) throw new Error(`procedure ${p.id} belongs to no top-level agency of the appendix (${p.rootCode})`);
      return i;
    });

    // Days: a year's slow growth; citizens come on weekends and holidays too, officers do not.
    this.firstDay = vnDayOf(this.startMs) - options.warmupDays;
    const lastDay = vnDayOf(this.endMs);
    const span = lastDay - this.firstDay + 1;
    const citizen = new Float64Array(span);
    const office = new Float64Array(span);
    for (let k = 0; k < span; k += 1) {
      const day = this.firstDay + k;
      const trend = 1 + (0.3 * k) / span;
      const weekday = new Date(day * 86_400_000).getUTCDay();
      const working = this.clock.isWorking(day);
      citizen[k] = trend * (working ? 1 : weekday === 6 ? 0.45 : weekday === 0 ? 0.35 : 0.3);
      office[k] = working ? trend : 0;
    }
    this.citizenDays = new WeightedIndex(citizen);
    this.officeDays = new WeightedIndex(office);
  }

  /** Profile figures per top-level agency (for the report and tests). */
  profileOf(rootIndex: number): Profile | undefined {
    return this.profiles[rootIndex];
  }

  /**
   * Fills `buffer` with exactly its capacity of events within [startMs, endMs]: arrivals at random
   * times of the period (and the warm-up before it) until the buffer is full; the journey that
   * fills it is cut short, like a dossier still in progress.
   */
  fill(buffer: EventBuffer, progress?: (done: number) => void): { arrivals: number } {
    this.buffer = buffer;
    let arrivals = 0;
    let next = 0;
    while (!buffer.full) {
      arrivals += 1;
      const p = this.popularity.draw(this.random);
      if (this.random.chance(RATES.office)) this.officeArrival(p);
      else this.visit(p);
      if (progress && buffer.length >= next) {
        progress(buffer.length);
        next = buffer.length + 1_000_000;
      }
    }
    return { arrivals };
  }

  // ── Time ────────────────────────────────────────────────────────────────────────────────────

  private citizenInstant(day: number): number {
    return vnMidnight(day) + (this.hours.draw(this.random) * 60 + this.random.next() * 60) * MINUTE_MS;
  }

  /** A citizen's later action, `minDays`–`maxDays` days after `t` (never before it). */
  private citizenAfter(t: number, minDays: number, maxDays: number): number {
    const at = this.citizenInstant(vnDayOf(t) + this.random.int(minDays, maxDays));
    return at > t ? at : t + this.random.int(10, 120) * MINUTE_MS;
  }

  /** An officer's action in office hours, `minWd`–`maxWd` working days after `t` (0: the same day if still possible). */
  private officeAfter(t: number, minWd: number, maxWd: number): number {
    const day = this.clock.addWorking(vnDayOf(t), this.random.int(minWd, maxWd));
    const at = this.clock.officeInstant(day, this.random.next());
    return at > t ? at : t + this.random.int(5, 120) * MINUTE_MS;
  }

  private minutesAfter(t: number, min: number, max: number): number {
    return t + this.random.between(min, max) * MINUTE_MS;
  }

  // ── Writing ─────────────────────────────────────────────────────────────────────────────────

  /** Appends one event if it falls within the log's period and there is room (false once full). */
  private emit(
    at: number,
    kind: Kind,
    p: number,
    e: { channel?: number; role?: number; from?: number; to?: number; detail?: number; due?: number; extra?: number } = {},
  ): boolean {
    const b = this.buffer;
    if (b.full) return false;
    if (at < this.startMs || at > this.endMs) return true;
    const i = b.length;
    b.at[i] = Math.floor(at);
    b.kind[i] = KIND.get(kind) ?? 0;
    b.proc[i] = p;
    b.channel[i] = e.channel ?? CH.none;
    b.role[i] = e.role ?? ROLE.none;
    b.from[i] = e.from ?? -1;
    b.to[i] = e.to ?? -1;
    b.detail[i] = e.detail ?? DETAIL.none;
    b.due[i] = e.due ?? -1;
    b.extra[i] = e.extra ?? 0;
    b.length = i + 1;
    return true;
  }

  // ── Journeys ────────────────────────────────────────────────────────────────────────────────

  private visit(p: number): void {
    const proc = this.catalog[p];
    if (!proc) return;
    const t = this.citizenInstant(this.firstDay + this.citizenDays.draw(this.random));
    if (t > this.endMs) return;
    const language = this.random.chance(0.93) ? DETAIL.viewVi : DETAIL.viewEn;
    this.emit(t, "procedure_viewed", p, { detail: language });
    if (this.random.chance(RATES.secondView)) this.emit(this.minutesAfter(t, 1, 20), "procedure_viewed", p, { detail: language });
    if (proc.level >= 2 && this.random.chance(RATES.template)) this.emit(this.minutesAfter(t, 1, 10), "template_downloaded", p, { detail: DETAIL.template });
    if (proc.level < 3 || !this.random.chance(RATES.formStart)) return;
    const started = this.minutesAfter(t, 2, 15);
    const citizen = { channel: CH.online, role: ROLE.citizen };
    this.emit(started, "form_started", p, { ...citizen, detail: DETAIL.formVersion });
    if (this.random.chance(RATES.draftSaved)) this.emit(this.minutesAfter(started, 1, 20), "draft_saved", p, { ...citizen, detail: DETAIL.formVersion });
    if (this.random.chance(RATES.attachment)) this.emit(this.minutesAfter(started, 1, 25), "attachment_added", p, { ...citizen, detail: DETAIL.attachment });
    if (!this.random.chance(RATES.submit)) return;
    const submitted = this.random.chance(RATES.sameSession) ? this.minutesAfter(started, 26, 60) : this.citizenAfter(started, 1, 5);
    this.dossier(p, CH.online, submitted);
  }

  private officeArrival(p: number): void {
    const proc = this.catalog[p];
    const profile = this.profiles[this.profileIndex[p] ?? -1];
    if (!proc || !profile) return;
    const day = this.firstDay + this.officeDays.draw(this.random);
    const t = this.clock.officeInstant(day, this.random.next());
    if (t > this.endMs) return;
    const channel = proc.level >= 3 && this.random.chance(profile.assistedDraw) ? CH.assisted : CH.counter;
    this.dossier(p, channel, t);
  }

  /** A submitted dossier through the state machine, until it is finished or the log's end. */
  private dossier(p: number, channel: number, submittedAt: number): void {
    const proc = this.catalog[p];
    const profile = this.profiles[this.profileIndex[p] ?? -1];
    if (!proc || !profile) return;
    const r = this.random;
    const serial = (this.dossierSerial += 1);
    const byCitizen = channel === CH.online;
    const submitter = byCitizen ? ROLE.citizen : ROLE.officer;
    const officer = { channel, role: ROLE.officer };
    const delivery = proc.onlineDelivery && r.chance(0.6) ? 1 : r.chance(0.1) ? 2 : 0;
    const days = proc.processingDays;
    this.emit(submittedAt, "submitted", p, {
      channel,
      role: submitter,
      from: 0,
      to: 1,
      detail: byCitizen ? DETAIL.submittedOnline : DETAIL.submittedIntake,
      due: this.clock.appointment(submittedAt, days),
      extra: delivery,
    });

    if (proc.feeVnd > 0 && proc.level === 4 && channel !== CH.counter && r.chance(RATES.payLevel4Online)) {
      const started = this.minutesAfter(submittedAt, 1, 15);
      this.emit(started, "payment_started", p, { channel, role: ROLE.citizen, detail: DETAIL.paymentStarted, extra: serial });
      this.emit(this.minutesAfter(started, 1, 5), "payment_confirmed", p, { channel, role: ROLE.system, detail: DETAIL.paymentConfirmed, extra: serial });
    }
    if (byCitizen && r.chance(RATES.tracking)) this.emit(this.citizenAfter(submittedAt, 0, 6), "tracking_viewed", p, { channel });

    // Receipt: on the spot at the counter; otherwise an officer checks the dossier within two working days.
    let received = submittedAt;
    if (channel !== CH.counter) {
      if (r.chance(RATES.withdrawEarly)) {
        this.emit(this.minutesAfter(submittedAt, 60, 48 * 60), "status_changed", p, { channel, role: ROLE.citizen, from: 1, to: 7, detail: DETAIL.withdraw });
        return;
      }
      received = this.officeAfter(submittedAt, 0, 2);
      if (r.chance(profile.refusal)) {
        this.emit(received, "status_changed", p, { ...officer, from: 1, to: 3, detail: DETAIL.refuse });
        return;
      }
    }
    let due = this.clock.appointment(received, days);
    if (!this.emit(received, "status_changed", p, { ...officer, from: 1, to: 2, detail: DETAIL.receive, due })) return;
    let last = this.officeAfter(received, 0, 1);
    this.emit(last, "status_changed", p, { ...officer, from: 2, to: 4, detail: DETAIL.startProcessing });

    if (r.chance(RATES.supplement)) {
      const asked = this.officeAfter(last, 0, 3);
      this.emit(asked, "status_changed", p, { ...officer, from: 4, to: 5, detail: DETAIL.requestSupplement });
      if (!r.chance(RATES.supplementAnswered)) {
        if (r.chance(0.5))
          this.emit(this.citizenAfter(asked, 10, 30), "status_changed", p, { channel, role: ROLE.citizen, from: 5, to: 7, detail: DETAIL.withdraw });
        return;
      }
      const answered = this.citizenAfter(asked, 1, 7);
      // The clock stood still while the agency waited (the app's rule, core/dossiers/deadline.ts).
      const paused = pausedWorkingDays(this.clock.calendar, new Date(asked), new Date(answered));
      if (paused > 0) due = this.clock.addWorking(due, paused);
      this.emit(answered, "status_changed", p, { channel, role: ROLE.citizen, from: 5, to: 4, detail: DETAIL.supplement, due, extra: paused });
      last = answered;
    }

    if (proc.level === 3 && proc.feeVnd > 0 && channel !== CH.counter && r.chance(RATES.requestPaymentLevel3)) {
      const asked = this.officeAfter(last, 0, 2);
      this.emit(asked, "status_changed", p, { ...officer, from: 4, to: 6, detail: DETAIL.requestPayment });
      if (!r.chance(RATES.paysWhenAsked)) return;
      const started = this.citizenAfter(asked, 0, 3);
      const paid = this.minutesAfter(started, 1, 5);
      this.emit(started, "payment_started", p, { channel, role: ROLE.citizen, detail: DETAIL.paymentStarted, extra: serial });
      this.emit(paid, "payment_confirmed", p, { channel, role: ROLE.system, detail: DETAIL.paymentConfirmed, extra: serial });
      this.emit(paid, "status_changed", p, { channel, role: ROLE.system, from: 6, to: 4, detail: DETAIL.confirmPayment });
      last = paid;
    }

    // The end of the agency's handling, aimed early / on time / late by the agency's habits.
    const from = vnDayOf(last);
    const u = r.next();
    let day: number;
    if (u < profile.late) day = this.clock.addWorking(Math.max(due, from), 1 + Math.floor(r.next() ** 2 * 12));
    else if (u < profile.late + (1 - profile.late) * profile.early && due > from) {
      const choices = this.clock.workingBetween(from, due);
      day = choices > 0 ? this.clock.addWorking(this.clock.addWorking(from, 0), r.int(0, choices - 1)) : due;
      if (day >= due) day = from;
    } else day = this.clock.addWorking(Math.max(due, from), 0);
    let finished = this.clock.officeInstant(day, r.next());
    if (finished <= last) finished = this.minutesAfter(last, 5, 90);
    // What the app would record: the class of the actual finishing day against the legal date.
    const timeliness = classifyTimeliness(dayString(vnDayOf(finished)), dayString(due));
    const timelinessCode = TIMELINESS_NAMES.indexOf(timeliness);
    if (r.chance(RATES.stop)) {
      this.emit(finished, "status_changed", p, { ...officer, from: 4, to: 8, detail: DETAIL.stop, extra: timelinessCode });
      return;
    }
    this.emit(finished, "status_changed", p, { ...officer, from: 4, to: 9, detail: DETAIL.issueResult, extra: timelinessCode });

    let handedOver: number | null = null;
    if (delivery === 1) {
      this.emit(finished, "result_issued", p, { ...officer, detail: DETAIL.resultIssued });
      if (r.chance(RATES.resultDownload)) {
        handedOver = this.citizenAfter(finished, 0, 3);
        this.emit(handedOver, "result_downloaded", p, { channel, role: ROLE.citizen });
      }
    }
    if (!r.chance(RATES.returned)) return;
    const returned = handedOver ?? this.officeAfter(finished, 0, 7);
    this.emit(returned, "status_changed", p, { channel, role: handedOver === null ? ROLE.officer : ROLE.system, from: 9, to: 10, detail: DETAIL.returnResult });
    if (!r.chance(channel === CH.counter ? RATES.rateCounter : RATES.ratePortal)) return;
    const v = r.next();
    const rating = v < profile.dissatisfied ? 3 : v < profile.dissatisfied + (1 - profile.dissatisfied) * 0.6 ? 1 : 2;
    this.emit(this.citizenAfter(returned, 0, 4), "rated", p, { channel, role: ROLE.citizen, detail: DETAIL.rated, extra: rating });
  }
}

/** An event of the buffer as a dossier_events row (without id), the way the app writes it. */
export type EventRow = {
  type: Kind;
  occurredAt: Date;
  procedureId: number;
  agencyId: number;
  channel: string | null;
  actorRole: string | null;
  fromStatus: number | null;
  toStatus: number | null;
  data: Record<string, unknown> | null;
};

const REASON_REFUSE = "Hồ sơ không đúng thành phần theo quy định (dữ liệu thử tải)";
const REASON_SUPPLEMENT = "Đề nghị bổ sung bản sao giấy tờ (dữ liệu thử tải)";
const REASON_STOP = "Không đủ điều kiện giải quyết (dữ liệu thử tải)";

/** The data object of event `i`: the shapes the app's data functions write for the same event. */
export function eventData(b: EventBuffer, i: number, proc: CatalogEntry): Record<string, unknown> | null {
  const due = (b.due[i] ?? -1) >= 0 ? dayString(b.due[i] ?? 0) : null;
  const extra = b.extra[i] ?? 0;
  const txnRef = `SYN${String(extra).padStart(10, "0")}`;
  switch (b.detail[i]) {
    case DETAIL.viewVi:
      return { language: "vi" };
    case DETAIL.viewEn:
      return { language: "en" };
    case DETAIL.template:
      return { template: "don-de-nghi-thu-tai" };
    case DETAIL.formVersion:
      return { formVersion: 1 };
    case DETAIL.attachment:
      return { field: "request", bytes: 184_320, mime: "application/pdf" };
    case DETAIL.submittedOnline:
      return { formVersion: 1, deliveryMode: DELIVERY_NAMES[extra] ?? "counter", dueOn: due, feeVnd: proc.feeVnd };
    case DETAIL.submittedIntake: {
      const intake = CHANNEL_NAMES[b.channel[i] ?? 0];
      return { formVersion: 1, deliveryMode: DELIVERY_NAMES[extra] ?? "counter", dueOn: due, intake, paper: intake === "counter", feeVnd: proc.feeVnd };
    }
    case DETAIL.receive:
      return { action: "receive", dueOn: due };
    case DETAIL.refuse:
      return { action: "refuse", reason: REASON_REFUSE };
    case DETAIL.startProcessing:
      return { action: "startProcessing" };
    case DETAIL.requestSupplement:
      return { action: "requestSupplement", reason: REASON_SUPPLEMENT, items: ["request"] };
    case DETAIL.supplement:
      return { action: "supplement", pausedDays: extra, dueOn: due };
    case DETAIL.requestPayment:
      return { action: "requestPayment" };
    case DETAIL.paymentStarted:
      return { txnRef, amountVnd: proc.feeVnd };
    case DETAIL.paymentConfirmed:
      return { txnRef, amountVnd: proc.feeVnd, responseCode: "00", by: "ipn" };
    case DETAIL.confirmPayment:
      return { action: "confirmPayment" };
    case DETAIL.issueResult:
    case DETAIL.stop: {
      const timeliness = TIMELINESS_NAMES[extra] ?? null;
      const base = b.detail[i] === DETAIL.stop ? { action: "stop", reason: REASON_STOP } : { action: "issueResult" };
      return timeliness ? { ...base, timeliness } : base;
    }
    case DETAIL.withdraw:
      return { action: "withdraw" };
    case DETAIL.returnResult:
      return { action: "returnResult" };
    case DETAIL.resultIssued:
      return { delivery: "online" };
    case DETAIL.rated:
      return { rating: RATING_NAMES[extra] ?? "satisfied" };
    default:
      return null;
  }
}

export function eventRow(b: EventBuffer, i: number, catalog: readonly CatalogEntry[]): EventRow {
  const proc = catalog[b.proc[i] ?? -1];
  if (!proc) throw new Error(`event ${i} names no procedure`);
  const from = b.from[i] ?? -1;
  const to = b.to[i] ?? -1;
  return {
    type: EVENT_KINDS[b.kind[i] ?? 0] ?? "procedure_viewed",
    occurredAt: new Date(b.at[i] ?? 0),
    procedureId: proc.id,
    agencyId: proc.agencyId,
    channel: CHANNEL_NAMES[b.channel[i] ?? 0] ?? null,
    actorRole: ROLE_NAMES[b.role[i] ?? 0] ?? null,
    fromStatus: from >= 0 ? from : null,
    toStatus: to >= 0 ? to : null,
    data: eventData(b, i, proc),
  };
}
