import { shownName, shownText, type LocalText } from "../text/local-text";

/** An agency as the one-stop lookup reads it (a row of the agencies table, or part of one). */
export type AgencyOneStopRow = {
  depth: number;
  nameVi: string;
  nameEn: string | null;
  oneStopAddress: string | null;
  oneStopHoursVi: string | null;
  oneStopHoursEn: string | null;
  oneStopPhone: string | null;
};

/** Where a citizen goes in person, and whose one-stop shop it is. */
export type OneStopOffice = {
  /** The agency whose one-stop shop this is: the handling agency, or an ancestor (`inherited`). */
  agency: { nameVi: string; nameEn: string | null };
  inherited: boolean;
  /** As posted, in Vietnamese (an address is not translated). */
  address: string;
  hours: LocalText | null;
  phone: string | null;
};

/**
 * The one-stop shop for an agency: its own when its address is recorded, otherwise the nearest
 * ancestor's that is (a ward police station without its own details is served by the city police's),
 * or null when no agency up the tree has one. `chain` is the agency and its ancestors, in any order;
 * the handling agency is the deepest.
 */
export function nearestOneStop(chain: readonly AgencyOneStopRow[]): OneStopOffice | null {
  const byDepth = [...chain].sort((a, b) => b.depth - a.depth);
  const own = byDepth[0];
  const found = byDepth.find((a) => a.oneStopAddress?.trim());
  if (!found?.oneStopAddress) return null;
  return {
    agency: { nameVi: found.nameVi, nameEn: found.nameEn },
    inherited: found !== own,
    address: found.oneStopAddress.trim(),
    hours: found.oneStopHoursVi ? { vi: found.oneStopHoursVi, ...(found.oneStopHoursEn ? { en: found.oneStopHoursEn } : {}) } : null,
    phone: found.oneStopPhone?.trim() || null,
  };
}

/** A phone number as written in Vietnam ("024 3825 3536", "1900 1234") as a tel: link; null when it is not a number. */
export function telHref(phone: string): string | null {
  const digits = phone.replace(/[\s.()-]/g, "");
  if (/^\+84\d{8,10}$/.test(digits)) return `tel:${digits}`;
  // A leading 0 is the national trunk prefix: +84 and the rest dials from anywhere.
  if (/^0\d{9,10}$/.test(digits)) return `tel:+84${digits.slice(1)}`;
  // Short service numbers (1900 xxxx, 1800 xxxx) dial only inside Vietnam, as written.
  if (/^1[89]00\d{4,6}$/.test(digits)) return `tel:${digits}`;
  return null;
}

/** The ids on a materialised path ("/12/40/57/" → [12, 40, 57]): an agency and its ancestors. */
export function pathIds(path: string): number[] {
  return path
    .split("/")
    .filter((s) => /^\d+$/.test(s))
    .map(Number);
}

type Shown = { text: string; lang: "vi" | undefined };

/** An office as a page shows it, in its language, resolved on the server so the browser gets text, not logic. */
export type OneStopView = {
  /** The handling agency, and the agency whose one-stop shop it is (the same unless inherited). */
  own: Shown;
  owner: Shown;
  inherited: boolean;
  address: Shown;
  hours: Shown | null;
  phone: { text: string; href: string | null } | null;
};

export function oneStopView(office: OneStopOffice | null, agency: { nameVi: string; nameEn: string | null }, lang: string): OneStopView | null {
  if (!office) return null;
  return {
    own: shownName(agency.nameVi, agency.nameEn, lang),
    owner: shownName(office.agency.nameVi, office.agency.nameEn, lang),
    inherited: office.inherited,
    // An address is written as posted, in Vietnamese: what a taxi driver or a map needs.
    address: { text: office.address, lang: lang === "vi" ? undefined : "vi" },
    hours: office.hours ? shownText(office.hours, lang) : null,
    phone: office.phone ? { text: office.phone, href: telHref(office.phone) } : null,
  };
}
