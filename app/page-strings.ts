/**
 * Which string groups each citizen page needs (decision 019). Every page gets the layout's groups;
 * a page's own groups come with it, in the same strings script, so a first visit downloads only what
 * that page shows. Staff get every group in one script (their pages are not on the budget).
 * Keyed by Remix route id. tests/unit/page-strings.test.ts reads every route and the components it
 * imports, and fails when a page uses a group it does not list here.
 */
export const BASE_STRING_GROUPS = ["errors", "layout"] as const;

export const PAGE_STRING_GROUPS: Readonly<Record<string, readonly string[]>> = {
  "routes/_index": ["catalog", "form", "home", "levels"],
  "routes/account._index": ["accounts", "auth", "data_store", "form", "representation"],
  "routes/account.documents": ["accounts", "data_store", "form"],
  "routes/account.confirm": ["accounts"],
  "routes/auth.vneid_.callback": ["auth"],
  "routes/applications._index": ["accounts", "form", "my", "receipt", "representation", "status"],
  "routes/applications.$receiptCode": ["apology", "delivery", "form", "one_stop", "pay", "rating", "receipt", "result", "shipment", "status", "supplement"],
  "routes/applications.$receiptCode_.supplement": ["form", "receipt", "supplement"],
  "routes/gateway.vnpay.pay": ["form", "gateway"],
  "routes/login": ["accounts", "auth", "form"],
  "routes/login_.two-factor": ["form", "two_factor"],
  "routes/payments.return": ["form", "pay"],
  "routes/post-sim.$trackingNumber": ["form", "postsim", "shipment"],
  "routes/procedures.$code": ["catalog", "delivery", "form", "levels", "one_stop", "procedure"],
  "routes/procedures.$code_.apply": ["apply", "form", "supplement"],
  "routes/procedures.$code_.apply_.check": ["accounts", "apply", "check", "delivery", "form", "one_stop", "pay", "verified"],
  "routes/procedures.$code_.apply_.for": ["accounts", "apply", "form", "representation"],
  "routes/account.businesses": ["form", "representation"],
  "routes/procedures.$code_.apply_.exit.$exit": ["apply", "form", "one_stop"],
  "routes/procedures._index": ["catalog", "form", "levels"],
  "routes/register": ["accounts", "auth", "form"],
  "routes/track": ["apology", "form", "representation", "shipment", "status", "supplement", "track"],
  "routes/verify": ["form", "receipt", "result"],
  "routes/vneid-sim.interaction.$uid": ["form", "vneidsim"],
};

/** The groups the matched routes add to the layout's, sorted: the same list on the server and in the browser. */
export function pageStringGroups(routeIds: readonly string[]): string[] {
  return [...new Set(routeIds.flatMap((id) => PAGE_STRING_GROUPS[id] ?? []))].sort();
}

/**
 * The strings script's address: "<language>-<set>-<version>" (the root's `stringsAt`) and, for
 * citizens, the page's groups ("vi-citizen-0123456789ab-catalog.form.levels.js").
 */
export const stringsScriptPath = (at: string, groups: readonly string[]) => `/strings/${at}${groups.length > 0 ? `-${groups.join(".")}` : ""}.js`;
