import { describe, expect, it } from "vitest";
import { auditDetails, VnDateSchema, vnDayStart, vnPeriod } from "./audit";

describe("Vietnam days", () => {
  it("starts a Vietnam day at 17:00 UTC the day before", () => {
    expect(vnDayStart("2026-03-11").toISOString()).toBe("2026-03-10T17:00:00.000Z");
    expect(vnDayStart("2026-01-01").toISOString()).toBe("2025-12-31T17:00:00.000Z");
  });

  it("covers whole days from `from` to `to`, ends optional", () => {
    const p = vnPeriod({ from: "2026-03-11", to: "2026-03-12" });
    expect(p.from?.toISOString()).toBe("2026-03-10T17:00:00.000Z");
    expect(p.until?.toISOString()).toBe("2026-03-12T17:00:00.000Z");
    expect(vnPeriod({ to: "2024-02-29" })).toEqual({ from: null, until: new Date("2024-02-29T17:00:00.000Z") });
    expect(vnPeriod({})).toEqual({ from: null, until: null });
  });

  it("accepts only real calendar dates, typed day/month/year (or ISO), as ISO", () => {
    expect(VnDateSchema.safeParse("2024-02-29").success).toBe(true);
    expect(VnDateSchema.safeParse("2025-02-29").success).toBe(false);
    expect(VnDateSchema.parse("11/03/2026")).toBe("2026-03-11");
    expect(VnDateSchema.safeParse("31/02/2026").error?.issues[0]?.message).toBe("form.errors.date_not_real");
    expect(VnDateSchema.safeParse("2026-13-01").success).toBe(false);
  });
});

describe("auditDetails", () => {
  it("names the status move and pulls out the reason", () => {
    expect(auditDetails({ fromStatus: 1, toStatus: 3, data: { action: "refuse", reason: "Thiếu giấy tờ" } })).toEqual({
      from: "submitted",
      to: "notReceived",
      reason: "Thiếu giấy tờ",
      role: null,
      other: [],
    });
  });

  it("gives the role of an account event and lists the rest of the data", () => {
    expect(auditDetails({ fromStatus: null, toStatus: null, data: { userId: 9, role: "officer" } })).toEqual({
      from: null,
      to: null,
      reason: null,
      role: "officer",
      other: [],
    });
    expect(
      auditDetails({ fromStatus: null, toStatus: null, data: { txnRef: "ABC", amountVnd: 50000, fields: ["cccd", "phone"], nested: { a: 1 }, empty: "" } })
        .other,
    ).toEqual([
      { key: "txnRef", value: "ABC" },
      { key: "amountVnd", value: "50000" },
      { key: "fields", value: "cccd, phone" },
      { key: "nested", value: '{"a":1}' },
    ]);
  });

  it("does not throw on a status code it does not know", () => {
    expect(auditDetails({ fromStatus: 42, toStatus: 2, data: null })).toMatchObject({ from: null, to: "received" });
  });
});
