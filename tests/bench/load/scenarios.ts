import type autocannon from "autocannon";
import type { Manifest } from "./shared";

/**
 * The four load scenarios. Each builds autocannon's request sequence for one server and keeps its
 * own tally of what came back, so a wrong answer (a 302 to the sign-in page, a form refused, an IPN
 * not settled) counts as unexpected even when its status looks fine to autocannon.
 */
export type ScenarioName = "search" | "procedure" | "submit" | "ipn";
export const SCENARIOS: readonly ScenarioName[] = ["search", "procedure", "submit", "ipn"];

export type Tally = {
  /** Completed operations (a submission is two requests). */
  ops: number;
  /** Answers that were not what the scenario expects (wrong status, redirect or body). */
  unexpected: number;
  /** The first few unexpected answers, to show what went wrong. */
  samples: string[];
  /** Submission: requests not sent because every prepared citizen had submitted. */
  exhausted: number;
  /** IPN: first confirmations ("00") and idempotent repeats ("02", already confirmed). */
  settled: number;
  duplicates: number;
};

export const newTally = (): Tally => ({ ops: 0, unexpected: 0, samples: [], exhausted: 0, settled: 0, duplicates: 0 });

/** autocannon hands headers over with the server's own spelling (Location, location). */
function header(headers: Record<string, string | string[]>, name: string): string {
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  const value = key === undefined ? undefined : headers[key];
  return Array.isArray(value) ? value.join(", ") : (value ?? "");
}

function unexpected(tally: Tally, what: string) {
  tally.unexpected += 1;
  if (tally.samples.length < 5) tally.samples.push(what);
}

/** Catalog searches a citizen would type: with and without diacritics, filters, a second page. */
export const SEARCH_QUERIES: readonly Record<string, string>[] = [
  { q: "khai sinh" },
  { q: "khai sinh", level: "4" },
  { q: "đăng ký kết hôn" },
  { q: "dang ky ket hon" },
  { q: "hộ chiếu" },
  { q: "ho chieu" },
  { q: "thường trú" },
  { q: "tạm trú" },
  { q: "giấy phép lái xe" },
  { q: "doanh nghiệp" },
  { q: "hộ kinh doanh" },
  { q: "lý lịch tư pháp" },
  { q: "căn cước" },
  { q: "bảo hiểm y tế" },
  { q: "giấy phép xây dựng" },
  { q: "quyền sử dụng đất" },
  { q: "trợ cấp thất nghiệp" },
  { q: "văn bằng" },
  { q: "cấp đổi" },
  { q: "cấp lại" },
  { q: "đăng ký", agency: "ha-noi" },
  { q: "hộ tịch", field: "ho-tich" },
  { q: "cấp", page: "2" },
  { level: "4" },
];

/**
 * Searches that need forgiving (issue 12): an i/y spelling variant, one-letter typos in Vietnamese
 * and English, and words with no plausible correction. Measured by bench:search beside the above.
 */
export const FORGIVING_QUERIES: readonly Record<string, string>[] = [
  { q: "dang ki ket hon" },
  { q: "khai sinhh" },
  { q: "đăng ký kết hônn" },
  { q: "giay phep lai xee", level: "4" },
  { q: "marriage registraton" },
  { q: "xyzxyz qqq" },
];

/** What every page request carries: a browser's Accept headers and a non-bot User-Agent (so views are counted). */
export const BROWSER_HEADERS: Record<string, string> = {
  accept: "text/html,application/xhtml+xml",
  "accept-encoding": "gzip, deflate, br",
  "accept-language": "vi-VN,vi;q=0.9",
  "user-agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36",
};

/** Round robin over a list, shared by every connection of a run. */
function cycle<T>(items: readonly T[]): () => T {
  let i = 0;
  return () => {
    const item = items[i % items.length];
    i += 1;
    if (item === undefined) throw new Error("empty list");
    return item;
  };
}

export function searchPaths(): string[] {
  return SEARCH_QUERIES.map((q) => `/procedures?${new URLSearchParams(q)}`);
}

function expect200(tally: Tally): autocannon.Request["onResponse"] {
  return (status, body) => {
    if (status === 200) tally.ops += 1;
    else unexpected(tally, `${status} ${body.slice(0, 80)}`);
  };
}

function searchRequests(tally: Tally, next: () => string): autocannon.Request[] {
  return [{ method: "GET", headers: BROWSER_HEADERS, setupRequest: (req) => ({ ...req, path: next() }), onResponse: expect200(tally) }];
}

function procedureRequests(tally: Tally, next: () => string): autocannon.Request[] {
  return [{ method: "GET", headers: BROWSER_HEADERS, setupRequest: (req) => ({ ...req, path: next() }), onResponse: expect200(tally) }];
}

/** Hands out each prepared citizen once, across the warm-up and the measured run of one server. */
export class CitizenPool {
  private next = 0;
  constructor(private readonly citizens: Manifest["submit"]["citizens"]) {}
  take(): number | null {
    if (this.next >= this.citizens.length) return null;
    this.next += 1;
    return this.next - 1;
  }
  get(index: unknown) {
    return typeof index === "number" ? this.citizens[index] : undefined;
  }
  get used() {
    return this.next;
  }
}

/**
 * One submission = two requests on one connection, as a browser with JavaScript off sends them:
 * the apply form (multipart, intent=continue: the draft is saved and the whole form validated,
 * 302 to the check page), then the check page's form (dossierId + deliveryMode: the immediate
 * submit transaction, 302 to the receipt). Each operation takes a fresh citizen whose draft was
 * started beforehand, as the apply page's loader starts it when the form is opened; the draft id
 * is what the check page would show in its hidden field. `onEmpty` is called once when no
 * citizen is left (the caller stops the run and reports it).
 */
function submitRequests(tally: Tally, manifest: Manifest, pool: CitizenPool, origin: string, onEmpty: () => void): autocannon.Request[] {
  const { code, deliveryMode, applyBody, applyContentType } = manifest.submit;
  const post = { origin, "sec-fetch-site": "same-origin", accept: BROWSER_HEADERS.accept ?? "", "user-agent": BROWSER_HEADERS["user-agent"] ?? "" };
  const checkPath = `/procedures/${code}/apply/check`;
  return [
    {
      method: "POST",
      path: `/procedures/${code}/apply`,
      body: applyBody,
      headers: { ...post, "content-type": applyContentType },
      setupRequest: (req, context) => {
        const index = pool.take();
        context.citizen = index ?? -1;
        if (index === null) {
          tally.exhausted += 1;
          if (tally.exhausted === 1) onEmpty();
          return req;
        }
        return { ...req, headers: { ...req.headers, cookie: pool.get(index)?.cookie ?? "" } };
      },
      onResponse: (status, body, context, headers) => {
        if (context.citizen === -1) return;
        const location = header(headers, "location");
        if (status !== 302 || location !== checkPath) unexpected(tally, `apply: ${status} ${location || body.slice(0, 80)}`);
      },
    },
    {
      method: "POST",
      path: checkPath,
      headers: { ...post, "content-type": "application/x-www-form-urlencoded" },
      setupRequest: (req, context) => {
        const citizen = pool.get(context.citizen);
        if (!citizen) return req;
        return {
          ...req,
          headers: { ...req.headers, cookie: citizen.cookie },
          body: new URLSearchParams({ dossierId: String(citizen.dossierId), deliveryMode }).toString(),
        };
      },
      onResponse: (status, body, context, headers) => {
        if (context.citizen === -1) return;
        const location = header(headers, "location");
        if (status === 302 && /^\/applications\/[^/?]+\?submitted=1$/.test(location)) tally.ops += 1;
        else unexpected(tally, `check: ${status} ${location || body.slice(0, 80)}`);
      },
    },
  ];
}

/** Gateway-signed IPNs, round robin over the pending payments: the first of each confirms it, repeats are answered 02. */
function ipnRequests(tally: Tally, next: () => string): autocannon.Request[] {
  return [
    {
      method: "GET",
      setupRequest: (req) => ({ ...req, path: next() }),
      onResponse: (status, body) => {
        const code = /"RspCode":"(\d\d)"/.exec(body)?.[1];
        if (status === 200 && code === "00") tally.settled += 1;
        else if (status === 200 && code === "02") tally.duplicates += 1;
        else return unexpected(tally, `${status} ${body.slice(0, 80)}`);
        tally.ops += 1;
      },
    },
  ];
}

/**
 * A scenario against one server, or several processes of it on one database: its tally, and fresh
 * request objects for each autocannon run (autocannon mutates them) sent to the server at `origin`
 * (a submission's Origin header must name the process it is posted to). Cursors and the citizen
 * pool live here, shared by every process, so the measured run goes on where the warm-up stopped
 * (no IPN repeats a warm-up one before the list wraps, no citizen twice).
 */
export type Driver = { tally: Tally; requests: (origin: string) => autocannon.Request[]; pool: CitizenPool | null };

export function makeDriver(name: ScenarioName, manifest: Manifest, onEmpty: () => void): Driver {
  const tally = newTally();
  switch (name) {
    case "search": {
      const next = cycle(searchPaths());
      return { tally, pool: null, requests: () => searchRequests(tally, next) };
    }
    case "procedure": {
      const next = cycle(manifest.procedureCodes.map((c) => `/procedures/${encodeURIComponent(c)}`));
      return { tally, pool: null, requests: () => procedureRequests(tally, next) };
    }
    case "submit": {
      const pool = new CitizenPool(manifest.submit.citizens);
      return { tally, pool, requests: (origin) => submitRequests(tally, manifest, pool, origin, onEmpty) };
    }
    case "ipn": {
      const next = cycle(manifest.ipnPaths);
      return { tally, pool: null, requests: () => ipnRequests(tally, next) };
    }
  }
}
