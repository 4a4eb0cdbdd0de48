import type { ScenarioName, Tally } from "./scenarios";

/** One server's measured run of one scenario. */
export type Measured = {
  server: "portal" | "bare";
  /** "SQLite" or "PostgreSQL", as the table shows it. */
  database: string;
  /** Processes of the server on that one database, the load split evenly across them. */
  processes: number;
  seconds: number;
  requests: number;
  reqPerSec: number;
  opsPerSec: number;
  p50: number;
  p99: number;
  /** Submission only: the two requests of an operation added up, per connection. */
  opP50: number | null;
  opP99: number | null;
  /** Connection errors and timeouts (autocannon). */
  errors: number;
  non2xx: number;
  statusCodes: Record<string, number>;
  tally: Tally;
};

export const SUBMIT_RATIO_TARGET = 0.6;
export const SUBMIT_P99_TARGET_MS = 100;
export const SEARCH_P99_TARGET_MS = 20;
export const NATIONAL_CATALOG = 125_336;

const fmt = (n: number, digits = 0) => n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
const rate = (n: number) => fmt(n, n < 10 ? 1 : 0);
const ms = (n: number | null) => (n === null ? "–" : fmt(n, n < 10 ? 2 : 1));

export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? null;
}

/** A Markdown table: paste-ready for docs/performance.md. */
export function table(scenario: ScenarioName, rows: readonly Measured[]): string {
  const portal = rows.find((r) => r.server === "portal");
  const bare = rows.find((r) => r.server === "bare");
  const ops = scenario === "submit";
  const head = [
    "server",
    "database",
    "processes",
    "req/s",
    ...(ops ? ["submissions/s", "op p50 ms", "op p99 ms"] : []),
    "p50 ms",
    "p99 ms",
    "errors",
    "non-2xx",
    "unexpected",
    "status codes",
  ];
  const lines = [`| ${head.join(" | ")} |`, `|${head.map((h) => (["server", "database", "status codes"].includes(h) ? "---" : "---:")).join("|")}|`];
  for (const r of rows) {
    const codes = Object.entries(r.statusCodes)
      .map(([c, n]) => `${c}×${n}`)
      .join(" ");
    const none = r.requests === 0; // nothing completed: there is no latency to show
    const cells = [
      r.server,
      r.database,
      String(r.processes),
      rate(r.reqPerSec),
      ...(ops ? [rate(r.opsPerSec), ms(r.opP50), ms(r.opP99)] : []),
      none ? "–" : ms(r.p50),
      none ? "–" : ms(r.p99),
      fmt(r.errors),
      fmt(r.non2xx),
      fmt(r.tally.unexpected),
      codes,
    ];
    lines.push(`| ${cells.join(" | ")} |`);
  }
  if (portal && bare && bare.reqPerSec > 0) lines.push("", `portal/bare throughput: ${fmt((portal.reqPerSec / bare.reqPerSec) * 100, 1)} %`);
  return lines.join("\n");
}

/**
 * PASS/MISS against the target; "UNCHECKED" when the run cannot judge it (search on a small catalog),
 * "INVALID" when a submission run's comparison means nothing (citizens ran out, the baseline failed).
 */
export type Verdict = { target: string; figure: string; status: "PASS" | "MISS" | "UNCHECKED" | "INVALID" };
const judged = (pass: boolean): Verdict["status"] => (pass ? "PASS" : "MISS");

/** The targets of issue 6 for the scenarios that have one. */
export function verdicts(scenario: ScenarioName, rows: readonly Measured[], catalogSize: number): Verdict[] {
  const portal = rows.find((r) => r.server === "portal");
  const bare = rows.find((r) => r.server === "bare");
  if (!portal) return [];
  const noLatency = (target: string): Verdict => ({
    target,
    figure: "no request completed in the measured window (every one took longer than the run)",
    status: "MISS",
  });
  if (scenario === "submit" && bare) {
    const ratio = bare.opsPerSec > 0 ? portal.opsPerSec / bare.opsPerSec : 0;
    const wrong = portal.errors + portal.tally.unexpected;
    // Out of citizens, or a baseline that did not do the work: the comparison means nothing.
    const why =
      portal.tally.exhausted + bare.tally.exhausted > 0
        ? "the prepared citizens ran out"
        : bare.tally.unexpected > 0
          ? "the bare baseline answered unexpectedly"
          : null;
    const checked: Verdict[] = [
      {
        target: `submission throughput ≥ ${SUBMIT_RATIO_TARGET * 100} % of bare`,
        figure: `${fmt(ratio * 100, 1)} % (${rate(portal.opsPerSec)} vs ${rate(bare.opsPerSec)} submissions/s)`,
        status: judged(ratio >= SUBMIT_RATIO_TARGET),
      },
      {
        target: "submission: 0 errors",
        figure: `${wrong} (${portal.errors} connection errors/timeouts, ${portal.tally.unexpected} unexpected answers)`,
        status: judged(wrong === 0 && portal.tally.ops > 0),
      },
      portal.requests === 0
        ? noLatency(`submission p99 ≤ ${SUBMIT_P99_TARGET_MS} ms per request`)
        : {
            target: `submission p99 ≤ ${SUBMIT_P99_TARGET_MS} ms per request`,
            figure: `${ms(portal.p99)} ms (operation of 2 requests: ${ms(portal.opP99)} ms)`,
            status: judged(portal.p99 <= SUBMIT_P99_TARGET_MS),
          },
    ];
    return why ? checked.map((v) => ({ ...v, status: "INVALID", figure: `${v.figure}; ${why}` })) : checked;
  }
  if (scenario === "search") {
    const note =
      catalogSize >= NATIONAL_CATALOG
        ? `${fmt(catalogSize)} procedures`
        : `only ${fmt(catalogSize)} procedures, not the ${fmt(NATIONAL_CATALOG)}-procedure catalog: pass --db <file from npm run db:scale>`;
    const target = `catalog search p99 ≤ ${SEARCH_P99_TARGET_MS} ms (${note})`;
    if (portal.requests === 0) return [{ ...noLatency(target), status: catalogSize >= NATIONAL_CATALOG ? "MISS" : "UNCHECKED" }];
    return [{ target, figure: `${ms(portal.p99)} ms`, status: catalogSize >= NATIONAL_CATALOG ? judged(portal.p99 <= SEARCH_P99_TARGET_MS) : "UNCHECKED" }];
  }
  return [];
}

/** Open-loop targets at half the bare baseline's capacity (issue 14): p99 from each operation's intended start. */
export const OPEN_LOOP_TARGET_MS: Partial<Record<ScenarioName, number>> = { submit: 100, search: 50, procedure: 50 };

/** One open-loop run: a server at a share of the bare baseline's measured capacity. */
export type OpenMeasured = {
  server: "portal" | "bare";
  share: number;
  rate: number;
  due: number;
  completed: number;
  unfinished: number;
  errors: number;
  p50: number | null;
  p99: number | null;
  tally: Tally;
};

/** A latency that is only a lower bound when more than 1 % of the operations never finished. */
const openP99 = (r: OpenMeasured) => (r.unfinished > r.due / 100 ? `> ${ms(r.p99)} (${fmt(r.unfinished)} unfinished)` : ms(r.p99));

export function openLoopTable(rows: readonly OpenMeasured[]): string {
  const head = ["share of bare capacity", "ops/s asked", "server", "due", "completed", "p50 ms", "p99 ms", "errors", "unexpected"];
  const lines = [`| ${head.join(" | ")} |`, `|${head.map((_, i) => (i === 2 ? "---" : "---:")).join("|")}|`];
  for (const r of rows)
    lines.push(
      `| ${r.share} % | ${rate(r.rate)} | ${r.server} | ${fmt(r.due)} | ${fmt(r.completed)} | ${ms(r.p50)} | ${openP99(r)} | ${fmt(r.errors)} | ${fmt(r.tally.unexpected)} |`,
    );
  return lines.join("\n");
}

export function openLoopVerdicts(scenario: ScenarioName, rows: readonly OpenMeasured[]): Verdict[] {
  const target = OPEN_LOOP_TARGET_MS[scenario];
  const half = rows.find((r) => r.server === "portal" && r.share === 50);
  if (target === undefined || !half) return [];
  const finished = half.unfinished <= half.due / 100 && half.p99 !== null;
  const wrong = half.errors + half.tally.unexpected;
  return [
    {
      target: `${scenario} open loop at 50 % of bare capacity (${rate(half.rate)} ops/s): p99 ≤ ${target} ms, 0 errors`,
      figure: `p99 ${openP99(half)} ms, ${wrong} errors or unexpected answers`,
      status: judged(finished && (half.p99 ?? Number.POSITIVE_INFINITY) <= target && wrong === 0),
    },
  ];
}
