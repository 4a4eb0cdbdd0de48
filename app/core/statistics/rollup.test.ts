import { describe, expect, it } from "vitest";
import { exitOnce, ROLLUP_METRICS, RollupTally, rollupDay, rollupKeyId, rollupKeys, rollupRows, type RollupEvent } from "./rollup";

const at = new Date("2026-03-10T03:00:00Z"); // 10:00 in Vietnam

describe("rollupKeys: the contract, line by line", () => {
  it.each([
    ["procedure_viewed", "viewed"],
    ["template_downloaded", "template_downloaded"],
    ["form_started", "form_started"],
    ["payment_confirmed", "paid_online"],
    ["result_downloaded", "result_downloaded"],
  ])("%s → %s", (type, metric) => {
    expect(rollupKeys({ type })).toEqual([metric]);
  });

  it("submitted counts once, and also as fee-charging when the procedure charged a fee", () => {
    expect(rollupKeys({ type: "submitted", data: { feeVnd: 50_000 } })).toEqual(["submitted", "submitted_fee"]);
    expect(rollupKeys({ type: "submitted", data: { feeVnd: 0 } })).toEqual(["submitted"]);
    expect(rollupKeys({ type: "submitted", data: { formVersion: 1 } })).toEqual(["submitted"]);
    expect(rollupKeys({ type: "submitted", data: null })).toEqual(["submitted"]);
    // Only a number counts: a string or a negative fee is not a charge.
    expect(rollupKeys({ type: "submitted", data: { feeVnd: "50000" } })).toEqual(["submitted"]);
    expect(rollupKeys({ type: "submitted", data: { feeVnd: -1 } })).toEqual(["submitted"]);
  });

  it.each([
    [2, "received"],
    [3, "not_received"],
    [5, "supplement_requested"],
    [6, "payment_requested"],
    [7, "withdrawn"],
    [8, "stopped"],
    [9, "result_ready"],
    [10, "returned"],
  ])("status_changed to %i → %s", (toStatus, metric) => {
    expect(rollupKeys({ type: "status_changed", toStatus, data: { action: "x" } })).toEqual([metric]);
  });

  it("status_changed to a status with no counter (1 submitted, 4 processing, none) counts nowhere", () => {
    expect(rollupKeys({ type: "status_changed", toStatus: 4 })).toEqual([]);
    expect(rollupKeys({ type: "status_changed", toStatus: 1 })).toEqual([]);
    expect(rollupKeys({ type: "status_changed", toStatus: null })).toEqual([]);
    expect(rollupKeys({ type: "status_changed" })).toEqual([]);
  });

  it("a finishing status change with its timeliness gives two keys", () => {
    expect(rollupKeys({ type: "status_changed", toStatus: 9, data: { timeliness: "early" } })).toEqual(["result_ready", "finished_early"]);
    expect(rollupKeys({ type: "status_changed", toStatus: 9, data: { timeliness: "on_time" } })).toEqual(["result_ready", "finished_on_time"]);
    expect(rollupKeys({ type: "status_changed", toStatus: 8, data: { timeliness: "late", reason: "…" } })).toEqual(["stopped", "finished_late"]);
    expect(rollupKeys({ type: "status_changed", toStatus: 9, data: { timeliness: "sometime" } })).toEqual(["result_ready"]);
  });

  it.each([
    ["very_satisfied", "rated_very_satisfied"],
    ["satisfied", "rated_satisfied"],
    ["not_satisfied", "rated_not_satisfied"],
  ])("rated %s → %s", (rating, metric) => {
    expect(rollupKeys({ type: "rated", data: { rating } })).toEqual([metric]);
  });

  it("a rating without a known grade counts nowhere", () => {
    expect(rollupKeys({ type: "rated", data: { rating: "meh" } })).toEqual([]);
    expect(rollupKeys({ type: "rated", data: ["satisfied"] })).toEqual([]);
    expect(rollupKeys({ type: "rated" })).toEqual([]);
  });

  it.each([
    "draft_saved",
    "attachment_added",
    "attachment_removed",
    "tracking_viewed",
    "payment_started",
    "payment_failed",
    "payment_expired",
    "result_issued",
    "shipment_created",
    "shipment_updated",
    "personal_data_viewed",
    "attachment_viewed",
    "supplement_answered",
    "apology_issued",
    "notification_sent",
    "notification_failed",
    "user_created",
    "user_disabled",
    "user_enabled",
    "something_new",
  ])("%s counts nowhere", (type) => {
    expect(rollupKeys({ type, toStatus: 9, data: { timeliness: "late", rating: "satisfied", feeVnd: 1 } })).toEqual([]);
  });

  it("names only metrics listed in ROLLUP_METRICS", () => {
    const events: RollupEvent[] = [
      { type: "procedure_viewed" },
      { type: "submitted", data: { feeVnd: 1 } },
      ...[2, 3, 5, 6, 7, 8, 9, 10].map((toStatus) => ({ type: "status_changed", toStatus })),
      ...["early", "on_time", "late"].map((timeliness) => ({ type: "status_changed", data: { timeliness } })),
      ...["very_satisfied", "satisfied", "not_satisfied"].map((rating) => ({ type: "rated", data: { rating } })),
      { type: "template_downloaded" },
      { type: "form_started" },
      { type: "payment_confirmed" },
      { type: "result_downloaded" },
      { type: "online_exit", dossierId: 1, data: { exit: "counter-only" } },
      { type: "document_reused", dossierId: 1, data: { source: "upload", sourceId: 3, field: "photo" } },
    ];
    const produced = new Set(events.flatMap((e) => rollupKeys(e)));
    expect([...produced].sort()).toEqual([...ROLLUP_METRICS].sort());
  });
});

describe("rollupDay: the Vietnam date", () => {
  it("turns at 17:00 UTC (midnight in Vietnam)", () => {
    expect(rollupDay(new Date("2026-03-10T16:59:59.999Z"))).toBe("2026-03-10");
    expect(rollupDay(new Date("2026-03-10T17:00:00Z"))).toBe("2026-03-11");
    expect(rollupDay(new Date("2025-12-31T17:00:00Z"))).toBe("2026-01-01");
  });
});

describe("rollupRows", () => {
  it("puts the event's agency, procedure and channel on each key", () => {
    expect(
      rollupRows({ type: "status_changed", occurredAt: at, agencyId: 40, procedureId: 7, channel: "online", toStatus: 9, data: { timeliness: "late" } }),
    ).toEqual([
      { metric: "result_ready", day: "2026-03-10", agencyId: 40, procedureId: 7, channel: "online" },
      { metric: "finished_late", day: "2026-03-10", agencyId: 40, procedureId: 7, channel: "online" },
    ]);
  });

  it('uses 0 and "" for a missing agency, procedure and channel', () => {
    expect(rollupRows({ type: "procedure_viewed", occurredAt: at, agencyId: null, procedureId: null, channel: null })).toEqual([
      { metric: "viewed", day: "2026-03-10", agencyId: 0, procedureId: 0, channel: "" },
    ]);
    expect(rollupRows({ type: "procedure_viewed", occurredAt: at })).toEqual([
      { metric: "viewed", day: "2026-03-10", agencyId: 0, procedureId: 0, channel: "" },
    ]);
  });

  it("counts an event at 16:59:59Z and one at 17:00:00Z on different days", () => {
    const before = rollupRows({ type: "form_started", occurredAt: new Date("2026-03-10T16:59:59Z"), agencyId: 1, procedureId: 2, channel: "online" });
    const after = rollupRows({ type: "form_started", occurredAt: new Date("2026-03-10T17:00:00Z"), agencyId: 1, procedureId: 2, channel: "online" });
    expect(before.map((r) => r.day)).toEqual(["2026-03-10"]);
    expect(after.map((r) => r.day)).toEqual(["2026-03-11"]);
  });

  it("gives nothing for an event that counts nowhere", () => {
    expect(rollupRows({ type: "draft_saved", occurredAt: at, agencyId: 1, procedureId: 2, channel: "online" })).toEqual([]);
  });
});

describe("RollupTally", () => {
  it("adds events up per cell", () => {
    const tally = new RollupTally();
    const base = { occurredAt: at, agencyId: 1, procedureId: 2 };
    tally.add({ ...base, type: "submitted", channel: "online", data: { feeVnd: 10 } });
    tally.add({ ...base, type: "submitted", channel: "online", data: { feeVnd: 0 } });
    tally.add({ ...base, type: "submitted", channel: "counter" });
    tally.add({ ...base, type: "draft_saved", channel: "online" });
    const key = (metric: string, channel: string) => rollupKeyId({ metric, day: "2026-03-10", agencyId: 1, procedureId: 2, channel });
    expect(tally.cells.size).toBe(3);
    expect(tally.cells.get(key("submitted", "online"))?.count).toBe(2);
    expect(tally.cells.get(key("submitted_fee", "online"))?.count).toBe(1);
    expect(tally.cells.get(key("submitted", "counter"))?.count).toBe(1);
  });

  it("puts events either side of Vietnam midnight on their own days, in any order", () => {
    const tally = new RollupTally();
    for (const iso of ["2026-03-10T16:59:59Z", "2026-03-10T17:00:00Z", "2026-03-10T16:00:00Z", "2026-03-10T17:59:59Z", "2026-03-10T16:59:59Z"]) {
      tally.add({ type: "procedure_viewed", occurredAt: new Date(iso) });
    }
    expect([...tally.cells.values()].map((c) => [c.day, c.count])).toEqual([
      ["2026-03-10", 3],
      ["2026-03-11", 2],
    ]);
  });

  it("keeps cells apart that differ in any part of the key", () => {
    const ids = new Set([
      rollupKeyId({ metric: "viewed", day: "2026-03-10", agencyId: 1, procedureId: 2, channel: "" }),
      rollupKeyId({ metric: "viewed", day: "2026-03-10", agencyId: 12, procedureId: 0, channel: "" }),
      rollupKeyId({ metric: "viewed", day: "2026-03-10", agencyId: 1, procedureId: 20, channel: "" }),
      rollupKeyId({ metric: "viewed", day: "2026-03-11", agencyId: 1, procedureId: 2, channel: "" }),
      rollupKeyId({ metric: "viewed", day: "2026-03-10", agencyId: 1, procedureId: 2, channel: "online" }),
    ]);
    expect(ids.size).toBe(5);
  });
});

describe("online exits: demand the portal could not serve, once per draft and exit", () => {
  const exit = (dossierId: number | null, name: unknown, occurredAt = at) => ({
    type: "online_exit",
    occurredAt,
    dossierId,
    agencyId: 7,
    procedureId: 9,
    channel: "online",
    data: { exit: name, formVersion: 2 },
  });

  it("an online_exit event of a draft naming its exit counts under online_exit; without a draft or an exit, nowhere", () => {
    expect(rollupKeys(exit(5, "cho-o-khac"))).toEqual(["online_exit"]);
    expect(rollupKeys(exit(null, "cho-o-khac"))).toEqual([]);
    expect(rollupKeys(exit(5, ""))).toEqual([]);
    expect(rollupKeys(exit(5, 3))).toEqual([]);
    expect(rollupKeys({ type: "online_exit", dossierId: 5, data: null })).toEqual([]);
    expect(exitOnce(exit(5, "cho-o-khac"))).toBe("5\u001fcho-o-khac");
    // Another type naming an exit is not an exit.
    expect(exitOnce({ type: "draft_saved", dossierId: 5, data: { exit: "cho-o-khac" } })).toBeNull();
  });

  it("the replay counts the first event of a (draft, exit) pair only, on its own day; another exit or another draft counts again", () => {
    const tally = new RollupTally();
    tally.add(exit(5, "cho-o-khac"));
    tally.add(exit(5, "cho-o-khac")); // reposted: a second event should never be written, and never counts
    tally.add(exit(5, "cho-o-khac", new Date("2026-03-12T03:00:00Z"))); // days later: still the same draft's demand
    tally.add(exit(5, "yeu-to-nuoc-ngoai")); // the same draft, another reason
    tally.add(exit(6, "cho-o-khac")); // another citizen's draft
    const key = (day: string) => rollupKeyId({ metric: "online_exit", day, agencyId: 7, procedureId: 9, channel: "online" });
    expect(tally.cells.get(key("2026-03-10"))?.count).toBe(3);
    expect(tally.cells.has(key("2026-03-12"))).toBe(false);
    expect(tally.cells.size).toBe(1);
  });
});

describe("data reused: each pick from the citizen's data store", () => {
  const reused = (dossierId: number, source: string) => ({
    type: "document_reused",
    occurredAt: at,
    dossierId,
    agencyId: 7,
    procedureId: 9,
    channel: "online",
    data: { source, sourceId: 3, dossier: dossierId, field: "photo" },
  });
  it("a document_reused event counts under document_reused, every time (the same document picked again is reused again)", () => {
    expect(rollupKeys(reused(5, "upload"))).toEqual(["document_reused"]);
    expect(rollupKeys(reused(5, "result"))).toEqual(["document_reused"]);
    const tally = new RollupTally();
    tally.add(reused(5, "upload"));
    tally.add(reused(5, "upload"));
    tally.add(reused(6, "result"));
    const key = rollupKeyId({ metric: "document_reused", day: "2026-03-10", agencyId: 7, procedureId: 9, channel: "online" });
    expect(tally.cells.get(key)?.count).toBe(3);
    expect(tally.cells.size).toBe(1);
  });
});
