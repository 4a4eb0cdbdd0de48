import { registry, type Business } from "../../simulators/business/registry";
import { populationAvailable } from "./population.server";

/**
 * The portal's window on the national business registry (issue 17), by 10-digit tax code: which businesses a
 * person owns. Here it reads the simulated registry built over the simulated population (and is there only
 * when that population is); a real connection would replace only this module.
 */
export type BusinessRecord = Business;

/** A business by its tax code, or null. */
export function businessByTaxCode(taxCode: string): BusinessRecord | null {
  if (!populationAvailable()) return null;
  return registry().byTaxCode.get(taxCode) ?? null;
}

/** The businesses the registry names this person as owner of. */
export function businessesOwnedBy(cccd: string): BusinessRecord[] {
  if (!populationAvailable()) return [];
  return registry().businesses.filter((b) => b.ownerCccd === cccd);
}
