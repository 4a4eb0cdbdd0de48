import type { Level } from "./levels";

/**
 * A procedure's online level and online-service class follow from what it really has (decision 031),
 * never from what someone declares: level 2 needs a template to download, level 3 also a published
 * form a citizen can fill and submit, level 4 also a fee that can be paid online (or none) and a
 * result delivered online or by post. A service is "full" online (Decree 42/2022/NĐ-CP, art. 11)
 * when every step is online — level 4 with no step the citizen must come in person for — and
 * "partial" when some step is not (level 3, or level 4 with such a step). Below level 3 a procedure
 * is not an online service at all.
 */
export const ONLINE_SERVICES = ["full", "partial"] as const;
export type OnlineService = (typeof ONLINE_SERVICES)[number];

export function isOnlineService(value: unknown): value is OnlineService {
  return value === "full" || value === "partial";
}

/** What the level is derived from. */
export type LevelFacts = {
  hasTemplate: boolean;
  hasPublishedForm: boolean;
  feeVnd: number;
  paymentOnline: boolean;
  deliveryModes: readonly string[];
  /** Why the citizen must still come in person (both spouses present, fingerprints taken…); null or blank: no such step. */
  inPersonStep: string | null;
};

/** What a procedure lacks, as i18n keys (`proc_admin.missing.*`), for the administrator's page. */
export const MISSING = {
  template: "proc_admin.missing.template",
  publishedForm: "proc_admin.missing.published_form",
  paymentOnline: "proc_admin.missing.payment_online",
  remoteDelivery: "proc_admin.missing.remote_delivery",
  inPersonStep: "proc_admin.missing.in_person_step",
} as const;
export type MissingKey = (typeof MISSING)[keyof typeof MISSING];

export type DerivedLevel = {
  level: Level;
  onlineService: OnlineService | null;
  missing: {
    /** The level above the derived one (null at level 4) and what it needs that the procedure lacks. */
    next: { level: Level; items: MissingKey[] } | null;
    /** Everything the procedure lacks to be a full online service (empty when it is one). */
    full: MissingKey[];
  };
};

/** The result reaches the citizen without a visit: an electronic result or a parcel. */
export function deliversRemotely(deliveryModes: readonly string[]): boolean {
  return deliveryModes.includes("online") || deliveryModes.includes("post");
}

export function deriveLevel(facts: LevelFacts): DerivedLevel {
  const lacks: Record<Exclude<keyof typeof MISSING, "inPersonStep">, boolean> = {
    template: !facts.hasTemplate,
    publishedForm: !facts.hasPublishedForm,
    paymentOnline: facts.feeVnd > 0 && !facts.paymentOnline,
    remoteDelivery: !deliversRemotely(facts.deliveryModes),
  };
  const inPerson = (facts.inPersonStep ?? "").trim() !== "";
  const needs: Record<2 | 3 | 4, MissingKey[]> = {
    2: lacks.template ? [MISSING.template] : [],
    3: lacks.publishedForm ? [MISSING.publishedForm] : [],
    4: [...(lacks.paymentOnline ? [MISSING.paymentOnline] : []), ...(lacks.remoteDelivery ? [MISSING.remoteDelivery] : [])],
  };
  // Each level includes the ones below it: the first one whose needs are unmet stops the climb.
  let level: Level = 1;
  if (needs[2].length === 0) {
    level = 2;
    if (needs[3].length === 0) {
      level = 3;
      if (needs[4].length === 0) level = 4;
    }
  }
  const onlineService: OnlineService | null = level === 4 && !inPerson ? "full" : level >= 3 ? "partial" : null;
  const next = level === 4 ? null : { level: nextLevel(level), items: needs[nextLevel(level)] };
  const full = [...needs[2], ...needs[3], ...needs[4], ...(inPerson ? [MISSING.inPersonStep] : [])];
  return { level, onlineService, missing: { next, full } };
}

function nextLevel(level: 1 | 2 | 3): 2 | 3 | 4 {
  return level === 1 ? 2 : level === 2 ? 3 : 4;
}
