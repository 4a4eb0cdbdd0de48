import { describe, expect, it } from "vitest";
import { createCalendar } from "../calendar/working-days";
import { classifySearch, deadlineFlag, dueBucket, dueThresholds, escapeLike, QueueQuerySchema, statusesFor } from "./queue";
import { makeReceiptCode } from "./receipt-code";

const cal = createCalendar();
/** An instant given as Vietnam wall-clock time. */
const vn = (local: string) => new Date(`${local}+07:00`);

describe("QueueQuerySchema", () => {
  it("defaults to open dossiers, nearest deadline first, page 1", () => {
    expect(QueueQuerySchema.parse({})).toEqual({ status: "open", procedure: undefined, channel: undefined, due: undefined, q: undefined, sort: "due", dir: "asc", page: 1 });
  });

  it("reads every filter", () => {
    expect(QueueQuerySchema.parse({ status: "4", procedure: "1.001193", channel: "counter", due: "soon", q: "  Nguyễn  ", sort: "updated", dir: "asc", page: "3" })).toEqual({
      status: 4,
      procedure: "1.001193",
      channel: "counter",
      due: "soon",
      q: "Nguyễn",
      sort: "updated",
      dir: "asc",
      page: 3,
    });
  });

  it("sorts finished statuses and 'all' by submission, newest first, unless told otherwise", () => {
    expect(QueueQuerySchema.parse({ status: "10" })).toMatchObject({ status: 10, sort: "submitted", dir: "desc" });
    expect(QueueQuerySchema.parse({ status: "all" })).toMatchObject({ status: "all", sort: "submitted", dir: "desc" });
    expect(QueueQuerySchema.parse({ status: "2" })).toMatchObject({ sort: "due", dir: "asc" });
    expect(QueueQuerySchema.parse({ sort: "submitted" })).toMatchObject({ sort: "submitted", dir: "desc" });
    expect(QueueQuerySchema.parse({ sort: "due", dir: "desc" })).toMatchObject({ sort: "due", dir: "desc" });
  });

  it("ignores garbage instead of failing", () => {
    const garbage = { status: "0", procedure: "'; drop table dossiers; --", channel: "fax", due: "yesterday", q: "x".repeat(500), sort: "id", dir: "sideways", page: "-2" };
    expect(QueueQuerySchema.parse(garbage)).toEqual({ status: "open", procedure: undefined, channel: undefined, due: undefined, q: undefined, sort: "due", dir: "asc", page: 1 });
    expect(QueueQuerySchema.parse({ status: "11", page: "1.5" })).toMatchObject({ status: "open", page: 1 });
    expect(QueueQuerySchema.parse({ status: "", page: "", q: "   " })).toMatchObject({ status: "open", page: 1, q: undefined });
  });

  it("maps status filters to status codes", () => {
    expect(statusesFor("open")).toEqual([1, 2, 4, 5, 6, 9]);
    expect(statusesFor("all")).toBeNull();
    expect(statusesFor(7)).toEqual([7]);
  });
});

describe("classifySearch", () => {
  const code = makeReceiptCode("2026-11-20", [1, 2, 3, 4, 5, 6]);

  it("recognises a receipt code, forgiving case, spaces and O typed for 0", () => {
    expect(classifySearch(code)).toEqual({ kind: "receipt", receiptCode: code });
    expect(classifySearch(` ${code.toLowerCase().replaceAll("0", "o")} `)).toEqual({ kind: "receipt", receiptCode: code });
  });

  it("takes exactly 12 digits as a CCCD and anything else as a name", () => {
    expect(classifySearch("001099012345")).toEqual({ kind: "cccd", cccd: "001099012345" });
    expect(classifySearch("00109901234")).toEqual({ kind: "name", folded: "00109901234" });
    expect(classifySearch("Nguyễn  Văn Đức")).toEqual({ kind: "name", folded: "nguyen van duc" });
    expect(classifySearch("   ")).toBeNull();
  });

  it("escapes LIKE wildcards", () => {
    expect(escapeLike("50%_a\\b")).toBe("50\\%\\_a\\\\b");
  });
});

describe("due buckets", () => {
  it("counts 'soon' in working days across a weekend and the National Day holiday", () => {
    // Friday 28/8/2026; 29–30/8 weekend, 31/8–2/9 days off (National Day): two working days on is Friday 4/9.
    const t = dueThresholds(cal, vn("2026-08-28T16:00"));
    expect(t).toEqual({ today: "2026-08-28", soonUntil: "2026-09-04" });
    expect(dueBucket("2026-08-27", t)).toBe("overdue");
    expect(dueBucket("2026-08-28", t)).toBe("soon"); // due today is not yet late
    expect(dueBucket("2026-09-02", t)).toBe("soon");
    expect(dueBucket("2026-09-04", t)).toBe("soon");
    expect(dueBucket("2026-09-05", t)).toBe("later");
  });

  it("starts from the Vietnam date, and from a weekend counts the following working days", () => {
    // 17:30 UTC on Friday 20/11 is already Saturday 21/11 in Vietnam: Monday and Tuesday are the two days.
    expect(dueThresholds(cal, new Date("2026-11-20T17:30:00Z"))).toEqual({ today: "2026-11-21", soonUntil: "2026-11-24" });
    expect(dueThresholds(cal, vn("2026-11-20T09:00"))).toEqual({ today: "2026-11-20", soonUntil: "2026-11-24" });
  });

  it("flags only dossiers whose clock runs", () => {
    const t = dueThresholds(cal, vn("2026-08-28T10:00"));
    const late = { dueOn: "2026-08-20", pausedAt: null };
    expect(deadlineFlag({ ...late, status: 2 }, t)).toBe("overdue");
    expect(deadlineFlag({ ...late, status: 4 }, t)).toBe("overdue");
    expect(deadlineFlag({ ...late, status: 6 }, t)).toBe("overdue");
    expect(deadlineFlag({ ...late, status: 1 }, t)).toBeNull(); // provisional date only
    expect(deadlineFlag({ ...late, status: 5, pausedAt: new Date() }, t)).toBeNull(); // waiting on the citizen
    expect(deadlineFlag({ ...late, status: 4, pausedAt: new Date() }, t)).toBeNull();
    expect(deadlineFlag({ ...late, status: 9 }, t)).toBeNull();
    expect(deadlineFlag({ status: 4, pausedAt: null, dueOn: null }, t)).toBeNull();
    expect(deadlineFlag({ status: 4, pausedAt: null, dueOn: "2026-09-03" }, t)).toBe("soon");
  });
});
