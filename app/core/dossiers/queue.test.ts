import { describe, expect, it } from "vitest";
import { classifySearch, escapeLike, QueueQuerySchema, statusesFor } from "./queue";
import { makeReceiptCode } from "./receipt-code";

describe("QueueQuerySchema", () => {
  it("defaults to open dossiers, nearest deadline first, page 1", () => {
    expect(QueueQuerySchema.parse({})).toEqual({
      status: "open",
      procedure: undefined,
      channel: undefined,
      due: undefined,
      q: undefined,
      sort: "due",
      dir: "asc",
      page: 1,
    });
  });

  it("reads every filter", () => {
    expect(
      QueueQuerySchema.parse({ status: "4", procedure: "1.001193", channel: "counter", due: "soon", q: "  Nguyễn  ", sort: "updated", dir: "asc", page: "3" }),
    ).toEqual({
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
    const garbage = {
      status: "0",
      procedure: "'; drop table dossiers; --",
      channel: "fax",
      due: "yesterday",
      q: "x".repeat(500),
      sort: "id",
      dir: "sideways",
      page: "-2",
    };
    expect(QueueQuerySchema.parse(garbage)).toEqual({
      status: "open",
      procedure: undefined,
      channel: undefined,
      due: undefined,
      q: undefined,
      sort: "due",
      dir: "asc",
      page: 1,
    });
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
