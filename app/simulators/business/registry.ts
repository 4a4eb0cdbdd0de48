import { Random } from "../../../db/scale/random";
import { population, type Population } from "../vneid/population";

/**
 * The simulated national business registry (issue 17): businesses keyed by their 10-digit tax code, each owned
 * by a person of the simulated population. Generated from a seed over that population, so every process and
 * test sees the same businesses (nothing to store). The portal reads it through
 * app/server/identity/business-registry.server.ts.
 */
export type Business = { taxCode: string; name: string; ownerCccd: string; address: string };

export const BUSINESS_SEED = 20_261_207;

const KINDS = ["Công ty TNHH", "Công ty Cổ phần", "Hộ kinh doanh"] as const;
const TRADES = ["Thương mại", "Xây dựng", "Dịch vụ", "Vận tải", "Thực phẩm", "Công nghệ"] as const;

export type Registry = { businesses: readonly Business[]; byTaxCode: ReadonlyMap<string, Business> };

/** One business for every third household's head, in household order; tax codes start with "01" (Hà Nội's tax office). */
export function generateRegistry(pop: Population = population(), seed = BUSINESS_SEED): Registry {
  const random = new Random(seed);
  const businesses: Business[] = [];
  const used = new Set<string>();
  pop.households.forEach((home, i) => {
    if (i % 3 !== 0) return;
    const head = home.members.map((cccd) => pop.byCccd.get(cccd)).find((r) => r?.relationship === "head");
    if (!head) return;
    let taxCode = "";
    do taxCode = `01${String(random.int(0, 99_999_999)).padStart(8, "0")}`;
    while (used.has(taxCode));
    used.add(taxCode);
    const given = head.fullName.split(" ").slice(-1)[0] ?? head.fullName;
    businesses.push({ taxCode, name: `${random.pick(KINDS)} ${random.pick(TRADES)} ${given}`, ownerCccd: head.cccd, address: head.address.text });
  });
  return { businesses, byTaxCode: new Map(businesses.map((b) => [b.taxCode, b])) };
}

let cached: Registry | null = null;

/** The portal's registry (the default seed over the default population), made once per process. */
export function registry(): Registry {
  cached ??= generateRegistry();
  return cached;
}
